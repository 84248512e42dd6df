import { IsIn, IsOptional } from 'class-validator';

import { JOB_TYPES, type JobType } from '../../common/reference-data';

export class CreateQuoteSessionDto {
  @IsOptional()
  @IsIn(JOB_TYPES)
  job_type?: JobType;
}
