import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags, ApiOperation, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { ErrorResponse } from '../common/error.response';
import { JOB_TYPES } from '../reference-data';

@ApiTags('quotes')
@ApiBearerAuth()
@Controller('job-types')
export class JobTypesController {
  @Get()
  @ApiOperation({ summary: 'The job types a quote may have' })
  @ApiUnauthorizedResponse({ type: ErrorResponse, description: 'No valid access token' })
  @ApiOkResponse({ description: 'The accepted job types', schema: { type: 'array', items: { type: 'string', enum: [...JOB_TYPES] } } })
  list(): readonly string[] {
    return JOB_TYPES;
  }
}
