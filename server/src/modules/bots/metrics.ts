// The bot step histogram on /metrics: how long a step takes from loading the run to saving it,
// HTTP actions excluded (their time is the external system's). bench/bots reads it.
import { Histogram, type Registry } from 'prom-client';
import type { BotService } from './service.js';

export function registerBotMetrics(registry: Registry, bots: BotService): void {
  const steps = new Histogram({
    name: 'frontline_bot_step_seconds',
    help: 'Bot step duration, HTTP actions excluded',
    buckets: [0.001, 0.002, 0.003, 0.005, 0.0075, 0.01, 0.015, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
    registers: [registry],
  });
  bots.onStepTimed((seconds) => steps.observe(seconds));
}
