import { Body, Controller, Get, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiNotFoundResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CurrentUser } from '../common/current-user.decorator';
import type { User } from '../database/entities';
import { CreateQuoteSessionDto } from './dto/create-quote-session.dto';
import { QuoteSessionResponse, toQuoteSessionResponse } from './dto/quote-session.response';
import { QuoteSessionsService } from './quote-sessions.service';

@ApiTags('quotes')
@ApiBearerAuth()
@Controller('quote-sessions')
export class QuoteSessionsController {
  constructor(private readonly sessions: QuoteSessionsService) {}

  @Post()
  @ApiCreatedResponse({ type: QuoteSessionResponse })
  async create(@CurrentUser() user: User, @Body() dto: CreateQuoteSessionDto): Promise<QuoteSessionResponse> {
    return toQuoteSessionResponse(await this.sessions.create(user.id, dto.job_type ?? null));
  }

  @Get(':id')
  @ApiOkResponse({ type: QuoteSessionResponse })
  @ApiNotFoundResponse({ description: 'No session of the caller has this id' })
  async findOne(@CurrentUser() user: User, @Param('id', ParseUUIDPipe) id: string): Promise<QuoteSessionResponse> {
    return toQuoteSessionResponse(await this.sessions.findOwned(user.id, id));
  }
}
