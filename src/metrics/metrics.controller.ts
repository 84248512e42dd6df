import { Controller, Get, Headers, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';

import { Public } from '../auth/decorators/public.decorator';
import { MetricsService } from './metrics.service';

// DECISION: the metrics route stays out of the OpenAPI document: it is for a Prometheus scraper configured by an
// operator, not for the API clients generated from the document.
@ApiExcludeController()
@Controller('metrics')
export class MetricsController {
  constructor(private readonly metrics: MetricsService) {}

  /** Prometheus text format; 404 unless METRICS_TOKEN is set, then 401 without it as a bearer token. */
  @Public()
  @Get()
  async scrape(@Headers('authorization') authorization: string | undefined, @Res() reply: FastifyReply): Promise<void> {
    const { contentType, body } = await this.metrics.exposition(authorization);
    await reply.header('Content-Type', contentType).send(body);
  }
}
