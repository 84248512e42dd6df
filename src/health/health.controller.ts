import { Controller, Get, ServiceUnavailableException } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { Public } from '../common/public.decorator';
import { type HealthReport, HealthService } from './health.service';

@ApiTags('operations')
@Controller('health')
export class HealthController {
  constructor(private readonly health: HealthService) {}

  @Public()
  @Get()
  @ApiOperation({ summary: 'Whether the server can serve: the database answers, its schema is migrated, Redis (when configured) answers' })
  @ApiOkResponse({
    description: '`ok`; or `degraded` while Redis is away (rate limits then count per instance), still 200 so a balancer keeps the instance',
    schema: { example: { status: 'ok', database: 'up' } },
  })
  @ApiServiceUnavailableResponse({ description: 'The database does not answer, or migrations are pending (named in the body)' })
  async check(): Promise<HealthReport> {
    const report = await this.health.report();
    if (report.status === 'error') throw new ServiceUnavailableException({ statusCode: 503, error: 'Service Unavailable', ...report });
    return report;
  }
}
