import { Body, Controller, Get, HttpCode, HttpStatus, Param, Post, Put, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiPayloadTooLargeResponse,
} from '@nestjs/swagger';

import { CurrentUser } from '../auth/decorators/current-user.decorator';
import { ErrorResponse } from '../common/error.response';
import { GuardedApi } from '../common/guarded-api.decorator';
import type { User } from '../database/entities';
import { TakesMappingDocument } from '../http/route-config';
import { MappingDocumentBody, MappingDocumentResponse } from './dto/mapping-document.dto';
import { ListMaterialPricesQuery, MaterialTypeParams, PriceHistoryQuery } from './dto/material-price.query';
import {
  MaterialPriceObservationPageResponse,
  MaterialPricePageResponse,
  toMaterialPriceObservationResponse,
  toMaterialPriceResponse,
} from './dto/material-price.response';
import { ResolvePriceQuery, ResolvePricesBody } from './dto/resolve-price.dto';
import { ResolvedPriceResponse, ResolvedPricesResponse } from './dto/resolved-price.response';
import { MaterialPricesService } from './material-prices.service';
import { PriceMappingsService } from './price-mappings.service';

const BAD_KEY = {
  type: ErrorResponse,
  description: 'A malformed key of a known family (the reason says why), a bad unit, or an unknown field',
};

@GuardedApi('material-prices')
@Controller('material-prices')
export class MaterialPricesController {
  constructor(
    private readonly materialPrices: MaterialPricesService,
    private readonly priceMappings: PriceMappingsService,
  ) {}

  @Get()
  @ApiOperation({
    summary: "The current prices of the shared baseline and the caller's shop, per material, supplier and unit, a page at a time",
  })
  @ApiOkResponse({
    type: MaterialPricePageResponse,
    description: "A page of the current prices of the shared baseline and the caller's shop, by material",
  })
  @ApiBadRequestResponse({ type: ErrorResponse, description: 'An unknown query field, a limit outside 1–100, or a malformed key' })
  async list(@CurrentUser() user: User, @Query() query: ListMaterialPricesQuery): Promise<MaterialPricePageResponse> {
    const page = await this.materialPrices.listCurrent(user.id, query);
    return { ...page, items: page.items.map(toMaterialPriceResponse) };
  }

  @Get('resolve')
  @ApiOperation({ summary: 'What one material costs now: the one current price a quote uses, with the rule that chose it' })
  @ApiOkResponse({ type: ResolvedPriceResponse })
  @ApiBadRequestResponse(BAD_KEY)
  @ApiNotFoundResponse({ type: ErrorResponse, description: "No price for that key (and unit) in the caller's shop or the shared baseline" })
  resolve(@CurrentUser() user: User, @Query() query: ResolvePriceQuery): Promise<ResolvedPriceResponse> {
    return this.materialPrices.resolveOne(user.id, query.material_type, query.unit);
  }

  @Post('resolve')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: "Resolve up to 500 keys in one round trip (a quote's bill of materials); keys without a price are listed" })
  @ApiOkResponse({ type: ResolvedPricesResponse })
  @ApiBadRequestResponse(BAD_KEY)
  resolveMany(@CurrentUser() user: User, @Body() body: ResolvePricesBody): Promise<ResolvedPricesResponse> {
    return this.materialPrices.resolve(user.id, body.material_types, body.unit);
  }

  @Get('mappings')
  @ApiOperation({ summary: "The caller's shop's whole mapping document: supplier aliases, material mappings and ignored descriptions" })
  @ApiOkResponse({ type: MappingDocumentResponse })
  mappings(@CurrentUser() user: User): Promise<MappingDocumentResponse> {
    return this.priceMappings.documentOf(user.id);
  }

  @Put('mappings')
  @TakesMappingDocument()
  @ApiOperation({ summary: "Replace the caller's shop's whole mapping document; the next import reads it" })
  @ApiOkResponse({ type: MappingDocumentResponse, description: 'The document as stored (material keys in their normal spelling)' })
  @ApiBadRequestResponse({
    type: ErrorResponse,
    description: 'Every invalid entry, named (a target that is not a valid key, an alias cycle, an unknown section)',
  })
  @ApiForbiddenResponse({ type: ErrorResponse, description: 'A guest account: claim it first' })
  @ApiPayloadTooLargeResponse({
    type: ErrorResponse,
    description: 'A section with more entries than MAPPINGS_MAX_ENTRIES (the count and the cap named)',
  })
  @ApiConflictResponse({ type: ErrorResponse, description: "An import of the shop's prices ran on for longer than PRICE_LOAD_WAIT_MS" })
  replaceMappings(@CurrentUser() user: User, @Body() body: MappingDocumentBody): Promise<MappingDocumentResponse> {
    return this.priceMappings.replace(user, body);
  }

  @Get(':material_type/history')
  @ApiOperation({ summary: 'The observations of one material the caller may see, newest first, a page at a time' })
  @ApiOkResponse({
    type: MaterialPriceObservationPageResponse,
    description: 'A page of the observations the caller may see, newest first; empty for an unknown material',
  })
  @ApiBadRequestResponse({
    type: ErrorResponse,
    description: 'A material key that is empty or too long, or a limit or offset out of range',
  })
  async history(
    @CurrentUser() user: User,
    @Param() params: MaterialTypeParams,
    @Query() query: PriceHistoryQuery,
  ): Promise<MaterialPriceObservationPageResponse> {
    const page = await this.materialPrices.listHistory(user.id, params.material_type, query);
    return { ...page, items: page.items.map(toMaterialPriceObservationResponse) };
  }
}
