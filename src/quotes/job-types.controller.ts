import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { JOB_TYPES } from '../reference-data';

@ApiTags('quotes')
@ApiBearerAuth()
@Controller('job-types')
export class JobTypesController {
  @Get()
  @ApiOkResponse({ description: 'The accepted job types', schema: { type: 'array', items: { type: 'string', enum: [...JOB_TYPES] } } })
  list(): readonly string[] {
    return JOB_TYPES;
  }
}
