// Protocol constants the workspace needs at run time. The protocol's root module carries zod
// schemas, which the browser should not download: these few values are repeated here, and a unit
// test (constants.test.ts) fails if they drift from the protocol's.
export const RECENT_WINDOW_MS = 24 * 60 * 60 * 1000;
export const CHANNEL_CHOICES = [
  'widget',
  'telegram',
  'whatsapp',
  'viber',
  'vk',
  'messenger',
  'email',
  'api',
] as const;
export const USER_ROLE_CHOICES = ['operator', 'supervisor', 'admin'] as const;
export const ROUTING_STRATEGY_CHOICES = ['least_busy', 'round_robin', 'sticky', 'manual'] as const;
