import { Controller, Get, Inject, Param, ParseIntPipe, Post, Query, Req } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBody,
  ApiConflictResponse,
  ApiConsumes,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiPayloadTooLargeResponse,
  ApiServiceUnavailableResponse,
  ApiTooManyRequestsResponse,
  ApiUnsupportedMediaTypeResponse,
} from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';

import { CurrentUser } from '../auth/decorators/current-user.decorator';
import { ErrorResponse } from '../common/error.response';
import { GuardedApi } from '../common/guarded-api.decorator';
import { PageQuery } from '../common/page.query';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/app-config.module';
import type { User } from '../database/entities';
import { AcceptsFiles } from '../http/route-config';
import { ImportQuery } from './dto/import.query';
import { PriceImportPageResponse, PriceImportResponse } from './dto/price-import.response';
import { PriceImportsService } from './price-imports.service';
import { receiveUploadedFiles } from './uploaded-files';

@GuardedApi('material-prices')
@Controller('material-prices/imports')
export class PriceImportsController {
  constructor(
    private readonly imports: PriceImportsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Post()
  @AcceptsFiles()
  @ApiOperation({
    summary: "Import supplier price files (JSON or CSV) into the caller's shop, or preview them with dry_run=true",
    description:
      'The files go through the same readers, key grammar, owner mappings and price rules as the CLI seeder. A file named mappings.json is ' +
      "applied first, like a seeder folder's. CSV: a header row of material_type, price_per_foot, price_per_lb, price_per_sqft, supplier, date, notes; " +
      '"," or ";" separated (";" files may use decimal commas), UTF-8 with or without a byte order mark.',
  })
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    schema: {
      type: 'object',
      required: ['file'],
      properties: {
        file: {
          type: 'array',
          items: { type: 'string', format: 'binary' },
          description: 'One or more .json, .csv (also tab- or |-separated) or .xlsx files (any field name)',
        },
      },
    },
  })
  @ApiCreatedResponse({
    type: PriceImportResponse,
    description:
      'The import and its report (the seeder --report shape); a preview loaded no price and is kept as an import with dry_run true',
  })
  @ApiBadRequestResponse({
    type: ErrorResponse,
    description:
      'No file, a bad file name, a file that is not JSON or CSV inside, a CSV without its header, too many records, bad mappings',
  })
  @ApiForbiddenResponse({ type: ErrorResponse, description: 'A guest account loading prices: claim it first (a preview is allowed)' })
  @ApiPayloadTooLargeResponse({
    type: ErrorResponse,
    description:
      "A file over IMPORT_MAX_FILE_BYTES, more files than IMPORT_MAX_FILES, or a mappings.json that would make a section of the shop's mappings hold more than MAPPINGS_MAX_ENTRIES",
  })
  @ApiUnsupportedMediaTypeResponse({
    type: ErrorResponse,
    description: 'Not multipart/form-data, or a file that is neither .json nor .csv',
  })
  @ApiConflictResponse({
    type: ErrorResponse,
    description: "Another import of the shop's prices ran on for longer than PRICE_LOAD_WAIT_MS",
  })
  @ApiServiceUnavailableResponse({
    type: ErrorResponse,
    description:
      "The database is unavailable, or other shops' imports kept every load slot of the server busy for PRICE_LOAD_WAIT_MS (guests' previews share one slot)",
  })
  @ApiTooManyRequestsResponse({
    type: ErrorResponse,
    description: 'More imports this hour than RATE_LIMIT_PRICE_IMPORTS_SHOP allows (Retry-After says when to try again)',
  })
  create(@CurrentUser() user: User, @Req() request: FastifyRequest, @Query() query: ImportQuery): Promise<PriceImportResponse> {
    return this.imports.import(user, query.dry_run, (folder) => receiveUploadedFiles(request, folder, this.config.imports));
  }

  @Get()
  @ApiOperation({ summary: "The caller's shop's imports, newest first, a page at a time" })
  @ApiOkResponse({ type: PriceImportPageResponse })
  @ApiBadRequestResponse({ type: ErrorResponse, description: 'A limit outside 1–100 or an unknown query field' })
  list(@CurrentUser() user: User, @Query() query: PageQuery): Promise<PriceImportPageResponse> {
    return this.imports.list(user.id, query.limit, query.offset);
  }

  @Get(':id')
  @ApiOperation({ summary: "One import of the caller's shop with its whole report" })
  @ApiOkResponse({ type: PriceImportResponse })
  @ApiBadRequestResponse({ type: ErrorResponse, description: 'An id that is not a whole number' })
  @ApiNotFoundResponse({ type: ErrorResponse, description: "No import of the caller's shop has this id" })
  findOne(@CurrentUser() user: User, @Param('id', ParseIntPipe) id: number): Promise<PriceImportResponse> {
    return this.imports.findOne(user.id, id);
  }
}
