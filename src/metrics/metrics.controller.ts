import { Controller, Get, Headers, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';

import { Public } from '../auth/decorators/public.decorator';
import { MetricsService } from './metrics.service';

// For an operator's Prometheus scraper, not for the API clients generated from the document.
@ApiExcludeController()
@Controller('metrics')
export class MetricsController {
  constructor(private readonly metrics: MetricsService) {}

  @Public()
  @Get()
  async scrape(@Headers('authorization') authorization: string | undefined, @Res() reply: FastifyReply): Promise<void> {
    const { contentType, body } = await this.metrics.exposition(authorization);
    await reply.header('Content-Type', contentType).send(body);
  }
}
