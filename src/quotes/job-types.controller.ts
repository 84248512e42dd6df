import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation } from '@nestjs/swagger';

import { GuardedApi } from '../common/guarded-api.decorator';
import { JOB_TYPES } from '../common/reference-data';

@GuardedApi('quotes')
@Controller('job-types')
export class JobTypesController {
  @Get()
  @ApiOperation({ summary: 'The job types a quote may have' })
  @ApiOkResponse({ description: 'The accepted job types', schema: { type: 'array', items: { type: 'string', enum: [...JOB_TYPES] } } })
  list(): readonly string[] {
    return JOB_TYPES;
  }
}
