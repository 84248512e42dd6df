import { Body, Controller, Get, Param, ParseIntPipe, Post, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiPayloadTooLargeResponse,
  ApiTooManyRequestsResponse,
} from '@nestjs/swagger';

import { CurrentUser } from '../auth/decorators/current-user.decorator';
import { ErrorResponse } from '../common/error.response';
import { GuardedApi } from '../common/guarded-api.decorator';
import { PageQuery } from '../common/page.query';
import type { User } from '../database/entities';
import { CreateQuoteDto } from './dto/create-quote.dto';
import { QuotePageResponse, QuoteResponse, toQuoteResponse } from './dto/quote.response';
import { QuotesService } from './quotes.service';

@GuardedApi('quotes')
@Controller('quotes')
export class QuotesController {
  constructor(private readonly quotes: QuotesService) {}

  @Post()
  @ApiOperation({ summary: "Create a quote of the caller's shop, numbered in the shop's own sequence" })
  @ApiCreatedResponse({ type: QuoteResponse })
  @ApiBadRequestResponse({ type: ErrorResponse, description: 'An unknown job type or field, or a value out of range' })
  @ApiNotFoundResponse({ type: ErrorResponse, description: 'session_id is not a session of the caller' })
  @ApiPayloadTooLargeResponse({ type: ErrorResponse, description: 'inputs_json or outputs_json holds more than QUOTA_QUOTE_JSON_BYTES' })
  @ApiTooManyRequestsResponse({
    type: ErrorResponse,
    description: 'The shop created QUOTA_QUOTES_PER_DAY quotes in the last 24 hours; `Retry-After` says when it may again',
  })
  async create(@CurrentUser() user: User, @Body() dto: CreateQuoteDto): Promise<QuoteResponse> {
    return toQuoteResponse(await this.quotes.create(user, dto));
  }

  @Get()
  @ApiOperation({ summary: "The caller's quotes, newest first, a page at a time" })
  @ApiOkResponse({ type: QuotePageResponse })
  @ApiBadRequestResponse({ type: ErrorResponse, description: 'limit or offset out of range, or an unknown query field' })
  async list(@CurrentUser() user: User, @Query() query: PageQuery): Promise<QuotePageResponse> {
    const page = await this.quotes.list(user.id, query.limit, query.offset);
    return { items: page.items.map(toQuoteResponse), total: page.total, limit: query.limit, offset: query.offset };
  }

  @Get(':id')
  @ApiOperation({ summary: "One quote of the caller's shop" })
  @ApiOkResponse({ type: QuoteResponse })
  @ApiNotFoundResponse({ type: ErrorResponse, description: 'No quote of the caller has this id' })
  async findOne(@CurrentUser() user: User, @Param('id', ParseIntPipe) id: number): Promise<QuoteResponse> {
    return toQuoteResponse(await this.quotes.findOwned(user.id, id));
  }
}
