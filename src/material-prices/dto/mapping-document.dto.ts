import { ApiProperty, ApiPropertyOptional, type ApiPropertyOptions } from '@nestjs/swagger';
import { IsArray, IsObject, IsOptional } from 'class-validator';

const SUPPLIERS = {
  type: 'object',
  additionalProperties: { type: 'string' },
  example: { 'Osorio Metals Supply Inc.': 'Osorio' },
  description: 'Supplier aliases: the name as an export writes it -> the supplier name it is',
} as const;
const MATERIALS = {
  type: 'object',
  additionalProperties: { type: 'string' },
  example: { 'Flat Bar 1/2" x': 'flat_bar_4x0.5' },
  description: "Material mappings: a supplier's description (matched after trimming and case folding) -> a valid material key",
} as const;
const IGNORE: ApiPropertyOptions = {
  type: [String],
  example: ['Tubing - Round 4" OD x sch 40'],
  description: 'Descriptions to skip: counted as ignored, not rejected',
};

/** The whole mapping document of the caller's shop, as PUT replaces it (each entry is checked: a 400 names every bad one). */
export class MappingDocumentBody {
  @ApiPropertyOptional(SUPPLIERS) @IsOptional() @IsObject() suppliers?: Record<string, string>;
  @ApiPropertyOptional(MATERIALS) @IsOptional() @IsObject() materials?: Record<string, string>;
  @ApiPropertyOptional(IGNORE) @IsOptional() @IsArray() ignore?: string[];
}

export class MappingDocumentResponse {
  @ApiProperty(SUPPLIERS) suppliers: Record<string, string>;
  @ApiProperty(MATERIALS) materials: Record<string, string>;
  @ApiProperty(IGNORE) ignore: string[];
}
