import { Controller, Get, ServiceUnavailableException } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';

import { Public } from '../auth/decorators/public.decorator';
import { type HealthReport, HealthService, type LivenessReport } from './health.service';

const READY = {
  description: '`ok`; or `degraded` while Redis is away (rate limits then count per instance), still 200 so a balancer keeps the instance',
  schema: {
    example: { status: 'ok', database: 'up', components: { database: { status: 'up' }, migrations: { status: 'up', pending: [] } } },
  },
};
const NOT_READY = { description: 'The database does not answer, or migrations are pending (named in the body and its components)' };

@ApiTags('operations')
@Controller('health')
export class HealthController {
  constructor(private readonly health: HealthService) {}

  @Public()
  @Get()
  @ApiOperation({
    summary:
      'Readiness (the same answer as /api/health/ready): the database answers, its schema is migrated, Redis (when configured) answers',
  })
  @ApiOkResponse(READY)
  @ApiServiceUnavailableResponse(NOT_READY)
  check(): Promise<HealthReport> {
    return this.ready();
  }

  @Public()
  @Get('ready')
  @ApiOperation({ summary: 'Readiness for a balancer: the database answers, its schema is migrated, Redis (when configured) answers' })
  @ApiOkResponse(READY)
  @ApiServiceUnavailableResponse(NOT_READY)
  async ready(): Promise<HealthReport> {
    const report = await this.health.report();
    if (report.status === 'error') throw new ServiceUnavailableException({ statusCode: 503, error: 'Service Unavailable', ...report });
    return report;
  }

  @Public()
  @Get('live')
  @ApiOperation({ summary: 'Liveness for a supervisor: the process answers, whatever the database does' })
  @ApiOkResponse({
    description: 'Always `ok` while the process serves',
    schema: { example: { status: 'ok', components: { process: { status: 'up', uptime_seconds: 42 } } } },
  })
  live(): LivenessReport {
    return this.health.live();
  }
}
