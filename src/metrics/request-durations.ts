import type { NestFastifyApplication } from '@nestjs/platform-fastify';

import { MetricsService } from './metrics.service';

/** By the route pattern (`/api/quotes/:id`), never the URL. */
export function recordRequestDurations(app: NestFastifyApplication): void {
  const { requestDuration } = app.get(MetricsService);
  app
    .getHttpAdapter()
    .getInstance()
    .addHook('onResponse', async (request, reply) => {
      requestDuration.observe(
        { method: request.method, route: request.routeOptions.url ?? 'unmatched', status: String(reply.statusCode) },
        reply.elapsedTime / 1000,
      );
    });
}
