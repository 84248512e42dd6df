import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsOptional } from 'class-validator';

const BOOLEAN_WORDS: Record<string, boolean> = { true: true, false: false };

export class ImportQuery {
  @ApiPropertyOptional({
    type: Boolean,
    default: false,
    description: "Preview: answer the report of the import without loading any price (the preview is kept in the shop's imports)",
  })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' && value in BOOLEAN_WORDS ? BOOLEAN_WORDS[value] : value))
  @IsBoolean({ message: 'dry_run must be true or false' })
  dry_run: boolean = false;
}
