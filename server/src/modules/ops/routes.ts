// Liveness, readiness (the database answers) and Prometheus metrics.
import type { HttpApp } from '../../http.js';
import type { Storage } from '../../storage/database.js';
import type { Metrics } from './metrics.js';

const tags = ['operations'];

export function opsRoutes(
  app: HttpApp,
  storage: Storage,
  metrics: Metrics,
  isShuttingDown: () => boolean,
): void {
  app.get('/healthz', { schema: { tags, summary: 'The process is alive' } }, async () => ({ status: 'ok' }));

  app.get(
    '/readyz',
    { schema: { tags, summary: 'Ready for traffic: the database answers and no shutdown is under way' } },
    async (_request, reply) => {
      if (isShuttingDown()) return reply.code(503).send({ status: 'shutting_down' });
      try {
        await storage.ping();
        return { status: 'ok', database: storage.engine };
      } catch {
        return reply.code(503).send({ status: 'database_unreachable', database: storage.engine });
      }
    },
  );

  app.get(
    '/metrics',
    { schema: { tags, summary: 'Prometheus metrics', hide: true } },
    async (_request, reply) =>
      reply.header('content-type', metrics.registry.contentType).send(await metrics.registry.metrics()),
  );
}
