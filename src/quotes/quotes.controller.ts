import { Body, Controller, Get, Param, ParseIntPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiNotFoundResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CurrentUser } from '../common/current-user.decorator';
import type { User } from '../database/entities';
import { CreateQuoteDto } from './dto/create-quote.dto';
import { ListQuotesQuery } from './dto/list-quotes.query';
import { QuotePageResponse, QuoteResponse, toQuoteResponse } from './dto/quote.response';
import { QuotesService } from './quotes.service';

@ApiTags('quotes')
@ApiBearerAuth()
@Controller('quotes')
export class QuotesController {
  constructor(private readonly quotes: QuotesService) {}

  @Post()
  @ApiCreatedResponse({ type: QuoteResponse })
  @ApiNotFoundResponse({ description: 'session_id is not a session of the caller' })
  async create(@CurrentUser() user: User, @Body() dto: CreateQuoteDto): Promise<QuoteResponse> {
    return toQuoteResponse(await this.quotes.create(user, dto));
  }

  @Get()
  @ApiOkResponse({ type: QuotePageResponse })
  async list(@CurrentUser() user: User, @Query() query: ListQuotesQuery): Promise<QuotePageResponse> {
    const page = await this.quotes.list(user.id, query.limit, query.offset);
    return { items: page.items.map(toQuoteResponse), total: page.total, limit: query.limit, offset: query.offset };
  }

  @Get(':id')
  @ApiOkResponse({ type: QuoteResponse })
  @ApiNotFoundResponse({ description: 'No quote of the caller has this id' })
  async findOne(@CurrentUser() user: User, @Param('id', ParseIntPipe) id: number): Promise<QuoteResponse> {
    return toQuoteResponse(await this.quotes.findOwned(user.id, id));
  }
}
