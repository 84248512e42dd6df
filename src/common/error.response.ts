import { ApiProperty } from '@nestjs/swagger';

/** The body of every error answer (NestJS's usual shape); validation errors list their problems in `message`. */
export class ErrorResponse {
  /** @example 404 */
  statusCode: number;
  @ApiProperty({ oneOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }], example: 'No price for sq_tube_9x11ga' })
  message: string | string[];
  /** @example "Not Found" */
  error: string;
}
