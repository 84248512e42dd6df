import { Body, Controller, Get, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTooManyRequestsResponse,
} from '@nestjs/swagger';

import { CurrentUser } from '../auth/decorators/current-user.decorator';
import { ErrorResponse } from '../common/error.response';
import { GuardedApi } from '../common/guarded-api.decorator';
import type { User } from '../database/entities';
import { CreateQuoteSessionDto } from './dto/create-quote-session.dto';
import { QuoteSessionResponse, toQuoteSessionResponse } from './dto/quote-session.response';
import { QuoteSessionsService } from './quote-sessions.service';

@GuardedApi('quotes')
@Controller('quote-sessions')
export class QuoteSessionsController {
  constructor(private readonly sessions: QuoteSessionsService) {}

  @Post()
  @ApiOperation({ summary: "Start a quote session of the caller's shop" })
  @ApiCreatedResponse({ type: QuoteSessionResponse })
  @ApiBadRequestResponse({ type: ErrorResponse, description: 'An unknown job type or field' })
  @ApiTooManyRequestsResponse({
    type: ErrorResponse,
    description: 'The shop created QUOTA_QUOTE_SESSIONS_PER_DAY sessions in the last 24 hours; `Retry-After` says when it may again',
  })
  async create(@CurrentUser() user: User, @Body() dto: CreateQuoteSessionDto): Promise<QuoteSessionResponse> {
    return toQuoteSessionResponse(await this.sessions.createWithinQuota(user.id, dto.job_type ?? null));
  }

  @Get(':id')
  @ApiOperation({ summary: "One quote session of the caller's shop" })
  @ApiOkResponse({ type: QuoteSessionResponse })
  @ApiNotFoundResponse({ type: ErrorResponse, description: 'No session of the caller has this id' })
  async findOne(@CurrentUser() user: User, @Param('id', ParseUUIDPipe) id: string): Promise<QuoteSessionResponse> {
    return toQuoteSessionResponse(await this.sessions.findOwned(user.id, id));
  }
}
