import {
  Body,
  Controller,
  Get,
  HttpCode,
  HttpStatus,
  Param,
  ParseEnumPipe,
  ParseUUIDPipe,
  Patch,
  Post,
  Query,
  UseInterceptors,
} from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiPayloadTooLargeResponse,
} from '@nestjs/swagger';

import { CurrentUser } from '../auth/decorators/current-user.decorator';
import { ErrorResponse } from '../common/error.response';
import { GuardedApi } from '../common/guarded-api.decorator';
import type { User } from '../database/entities';
import { CreateQuoteSessionDto } from './dto/create-quote-session.dto';
import { QuoteSessionPageResponse, QuoteSessionResponse, toQuoteSessionResponse } from './dto/quote-session.response';
import { QuoteSessionListQuery } from './dto/quote-session-list.query';
import { SessionMessageDto } from './dto/session-message.dto';
import { UpdateQuoteSessionDto } from './dto/update-quote-session.dto';
import { Idempotency, IdempotentOperation, type IdempotentRequest } from './idempotency/idempotent-request';
import { QuoteSessionsService } from './quote-sessions.service';
import { type IfMatch, IfMatchHeader, VersionedWrite, VersionETagInterceptor } from './versioning';

const NOT_FOUND = { type: ErrorResponse, description: 'No session of the caller has this id' };
const NOT_ACTIVE = 'The session is complete or abandoned';
const SESSION_ENDINGS = { complete: 'complete', abandon: 'abandoned' } as const;

@GuardedApi('quotes')
@Controller('quote-sessions')
@UseInterceptors(VersionETagInterceptor)
export class QuoteSessionsController {
  constructor(private readonly sessions: QuoteSessionsService) {}

  @Post()
  @ApiOperation({ summary: "Start a quote session of the caller's shop" })
  @ApiCreatedResponse({ type: QuoteSessionResponse })
  @ApiBadRequestResponse({ type: ErrorResponse, description: 'An unknown job type or field, or a bad Idempotency-Key' })
  @IdempotentOperation({ tooMany: 'The shop created QUOTA_QUOTE_SESSIONS_PER_DAY sessions in the last 24 hours' })
  create(
    @CurrentUser() user: User,
    @Body() dto: CreateQuoteSessionDto,
    @Idempotency() retry?: IdempotentRequest,
  ): Promise<QuoteSessionResponse> {
    return this.sessions.createWithinQuota(user.id, dto.job_type ?? null, retry);
  }

  @Get()
  @ApiOperation({ summary: "The caller's quote sessions, newest first, of one status or all, a page at a time" })
  @ApiOkResponse({ type: QuoteSessionPageResponse })
  @ApiBadRequestResponse({ type: ErrorResponse, description: 'status, limit or offset out of range, or an unknown query field' })
  async list(@CurrentUser() user: User, @Query() query: QuoteSessionListQuery): Promise<QuoteSessionPageResponse> {
    const page = await this.sessions.list(user.id, query.status, query.limit, query.offset);
    return { items: page.items.map(toQuoteSessionResponse), total: page.total, limit: query.limit, offset: query.offset };
  }

  @Get(':id')
  @ApiOperation({ summary: "One quote session of the caller's shop" })
  @ApiOkResponse({ type: QuoteSessionResponse })
  @ApiNotFoundResponse(NOT_FOUND)
  async findOne(@CurrentUser() user: User, @Param('id', ParseUUIDPipe) id: string): Promise<QuoteSessionResponse> {
    return toQuoteSessionResponse(await this.sessions.findOwned(user.id, id));
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Change the stage, parameters, photos or job type of an active session' })
  @ApiOkResponse({ type: QuoteSessionResponse })
  @ApiBadRequestResponse({ type: ErrorResponse, description: 'An unknown field or a value out of range' })
  @ApiNotFoundResponse(NOT_FOUND)
  @ApiConflictResponse({ type: ErrorResponse, description: NOT_ACTIVE })
  @ApiPayloadTooLargeResponse({ type: ErrorResponse, description: 'params_json holds more than QUOTA_QUOTE_JSON_BYTES' })
  @VersionedWrite()
  update(
    @CurrentUser() user: User,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: UpdateQuoteSessionDto,
    @IfMatchHeader() ifMatch: IfMatch,
  ): Promise<QuoteSessionResponse> {
    return this.sessions.update(user.id, id, dto, ifMatch);
  }

  @Post(':id/messages')
  @ApiOperation({ summary: "Append one message to an active session's conversation" })
  @ApiCreatedResponse({ type: QuoteSessionResponse, description: 'The session with the message appended' })
  @ApiBadRequestResponse({ type: ErrorResponse, description: 'An unknown role or field, or content out of range' })
  @ApiNotFoundResponse(NOT_FOUND)
  @ApiPayloadTooLargeResponse({
    type: ErrorResponse,
    description: 'The session holds QUOTA_SESSION_MESSAGES messages, or its messages would pass QUOTA_QUOTE_JSON_BYTES',
  })
  @IdempotentOperation({ conflict: NOT_ACTIVE })
  appendMessage(
    @CurrentUser() user: User,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: SessionMessageDto,
    @Idempotency() retry?: IdempotentRequest,
  ): Promise<QuoteSessionResponse> {
    return this.sessions.appendMessage(user.id, id, dto, retry);
  }

  @Post(':id/:ending')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'End an active session: complete, or abandon' })
  @ApiParam({ name: 'ending', enum: Object.keys(SESSION_ENDINGS) })
  @ApiOkResponse({ type: QuoteSessionResponse })
  @ApiNotFoundResponse(NOT_FOUND)
  @IdempotentOperation({ conflict: NOT_ACTIVE })
  @VersionedWrite()
  end(
    @CurrentUser() user: User,
    @Param('id', ParseUUIDPipe) id: string,
    @Param('ending', new ParseEnumPipe({ complete: 'complete', abandon: 'abandon' })) ending: keyof typeof SESSION_ENDINGS,
    @IfMatchHeader() ifMatch: IfMatch,
    @Idempotency() retry?: IdempotentRequest,
  ): Promise<QuoteSessionResponse> {
    return this.sessions.end(user.id, id, SESSION_ENDINGS[ending], ifMatch, retry);
  }
}
