// Prometheus metrics: the process defaults plus what an operator of Frontline watches.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'frontline_' });
  return {
    registry,
    httpDuration: new Histogram({
      name: 'frontline_http_request_duration_seconds',
      help: 'HTTP request duration by route and status',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    }),
    socketConnections: new Gauge({
      name: 'frontline_socket_connections',
      help: 'Open Socket.IO connections on this node by namespace',
      labelNames: ['namespace'],
      registers: [registry],
    }),
    messagesStored: new Counter({
      name: 'frontline_messages_stored_total',
      help: 'Messages committed by this node, by author type',
      labelNames: ['author'],
      registers: [registry],
    }),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
