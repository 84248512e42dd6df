import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  HttpStatus,
  Param,
  ParseEnumPipe,
  ParseIntPipe,
  Patch,
  Post,
  Query,
  UseInterceptors,
} from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiPayloadTooLargeResponse,
} from '@nestjs/swagger';

import { CurrentUser } from '../auth/decorators/current-user.decorator';
import { ErrorResponse } from '../common/error.response';
import { GuardedApi } from '../common/guarded-api.decorator';
import { PageQuery } from '../common/page.query';
import type { User } from '../database/entities';
import { CreateQuoteDto } from './dto/create-quote.dto';
import { QuotePageResponse, QuoteResponse, toQuoteResponse } from './dto/quote.response';
import { QuoteEventPageResponse, toQuoteEventResponse } from './dto/quote-event.response';
import { QuoteListQuery } from './dto/quote-list.query';
import { UpdateQuoteDto } from './dto/update-quote.dto';
import { Idempotency, IdempotentOperation, type IdempotentRequest } from './idempotency/idempotent-request';
import { QUOTE_MOVES, type QuoteMove } from './quote-status';
import { QuotesService } from './quotes.service';
import { type IfMatch, IfMatchHeader, VersionedWrite, VersionETagInterceptor } from './versioning';

const NOT_FOUND = { type: ErrorResponse, description: 'No quote of the caller has this id' };
const MOVE_CONFLICT = 'The quote is archived or its status does not allow the move (the body names the status and the allowed moves)';

@GuardedApi('quotes')
@Controller('quotes')
@UseInterceptors(VersionETagInterceptor)
export class QuotesController {
  constructor(private readonly quotes: QuotesService) {}

  @Post()
  @ApiOperation({ summary: "Create a quote of the caller's shop, numbered in the shop's own sequence" })
  @ApiCreatedResponse({ type: QuoteResponse })
  @ApiBadRequestResponse({
    type: ErrorResponse,
    description: 'An unknown job type or field, a value out of range, or a bad Idempotency-Key',
  })
  @ApiNotFoundResponse({ type: ErrorResponse, description: 'session_id is not a session of the caller' })
  @ApiPayloadTooLargeResponse({ type: ErrorResponse, description: 'inputs_json or outputs_json holds more than QUOTA_QUOTE_JSON_BYTES' })
  @IdempotentOperation({ tooMany: 'The shop created QUOTA_QUOTES_PER_DAY quotes in the last 24 hours' })
  create(@CurrentUser() user: User, @Body() dto: CreateQuoteDto, @Idempotency() retry?: IdempotentRequest): Promise<QuoteResponse> {
    return this.quotes.create(user, dto, retry);
  }

  @Get()
  @ApiOperation({ summary: "The caller's quotes, filtered and sorted (newest first by default), a page at a time" })
  @ApiOkResponse({ type: QuotePageResponse })
  @ApiBadRequestResponse({ type: ErrorResponse, description: 'A filter, sort, limit or offset out of range, or an unknown query field' })
  async list(@CurrentUser() user: User, @Query() query: QuoteListQuery): Promise<QuotePageResponse> {
    const page = await this.quotes.list(user.id, query);
    return { items: page.items.map(toQuoteResponse), total: page.total, limit: query.limit, offset: query.offset };
  }

  @Get(':id')
  @ApiOperation({ summary: "One quote of the caller's shop (archived ones too)" })
  @ApiOkResponse({ type: QuoteResponse })
  @ApiNotFoundResponse(NOT_FOUND)
  async findOne(@CurrentUser() user: User, @Param('id', ParseIntPipe) id: number): Promise<QuoteResponse> {
    return toQuoteResponse(await this.quotes.findOwned(user.id, id));
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Change fields of a draft quote' })
  @ApiOkResponse({ type: QuoteResponse })
  @ApiBadRequestResponse({ type: ErrorResponse, description: 'An unknown field or a value out of range' })
  @ApiNotFoundResponse({
    type: ErrorResponse,
    description: 'No quote of the caller has this id, or session_id is not a session of the caller',
  })
  @ApiConflictResponse({ type: ErrorResponse, description: 'The quote is not a draft, or is archived' })
  @ApiPayloadTooLargeResponse({ type: ErrorResponse, description: 'inputs_json or outputs_json holds more than QUOTA_QUOTE_JSON_BYTES' })
  @VersionedWrite()
  update(
    @CurrentUser() user: User,
    @Param('id', ParseIntPipe) id: number,
    @Body() dto: UpdateQuoteDto,
    @IfMatchHeader() ifMatch: IfMatch,
  ): Promise<QuoteResponse> {
    return this.quotes.update(user, id, dto, ifMatch);
  }

  @Delete(':id')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Archive a quote: it leaves the default list, keeps its number and can be restored' })
  @ApiNoContentResponse({ description: 'Archived (or already archived)' })
  @ApiNotFoundResponse(NOT_FOUND)
  @VersionedWrite()
  archive(@CurrentUser() user: User, @Param('id', ParseIntPipe) id: number, @IfMatchHeader() ifMatch: IfMatch): Promise<void> {
    return this.quotes.archive(user, id, ifMatch);
  }

  @Post(':id/restore')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Bring an archived quote back to the lists' })
  @ApiOkResponse({ type: QuoteResponse })
  @ApiNotFoundResponse(NOT_FOUND)
  @IdempotentOperation({ conflict: 'The quote is not archived' })
  @VersionedWrite()
  restore(
    @CurrentUser() user: User,
    @Param('id', ParseIntPipe) id: number,
    @IfMatchHeader() ifMatch: IfMatch,
    @Idempotency() retry?: IdempotentRequest,
  ): Promise<QuoteResponse> {
    return this.quotes.restore(user, id, ifMatch, retry);
  }

  @Post(':id/:move')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary:
      'Move a quote: send (draft to sent, stamps sent_at), accept or decline (sent to accepted or declined, stamps decided_at), reopen (sent or declined to draft)',
  })
  @ApiParam({ name: 'move', enum: QUOTE_MOVES })
  @ApiOkResponse({ type: QuoteResponse })
  @ApiNotFoundResponse(NOT_FOUND)
  @ApiForbiddenResponse({ type: ErrorResponse, description: 'A guest account sends quotes once it is claimed' })
  @IdempotentOperation({ conflict: MOVE_CONFLICT })
  @VersionedWrite()
  move(
    @CurrentUser() user: User,
    @Param('id', ParseIntPipe) id: number,
    @Param('move', new ParseEnumPipe(Object.fromEntries(QUOTE_MOVES.map((move) => [move, move])))) move: QuoteMove,
    @IfMatchHeader() ifMatch: IfMatch,
    @Idempotency() retry?: IdempotentRequest,
  ): Promise<QuoteResponse> {
    return this.quotes.move(user, id, move, ifMatch, retry);
  }

  @Get(':id/events')
  @ApiOperation({ summary: "A quote's history, oldest first: every creation, edit, move, archive and restore" })
  @ApiOkResponse({ type: QuoteEventPageResponse })
  @ApiBadRequestResponse({ type: ErrorResponse, description: 'limit or offset out of range, or an unknown query field' })
  @ApiNotFoundResponse(NOT_FOUND)
  async events(
    @CurrentUser() user: User,
    @Param('id', ParseIntPipe) id: number,
    @Query() query: PageQuery,
  ): Promise<QuoteEventPageResponse> {
    const page = await this.quotes.events(user.id, id, query.limit, query.offset);
    return { items: page.items.map(toQuoteEventResponse), total: page.total, limit: query.limit, offset: query.offset };
  }
}
