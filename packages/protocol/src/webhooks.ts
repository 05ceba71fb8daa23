// Outgoing webhooks: endpoints an admin configures, the events they receive, the delivery log.
// Verification of the signature is described in docs/webhooks.md.
import { z } from 'zod';
import { CursorQuery, Id, Timestamp } from './common.js';
import { CONVERSATION_EVENT_TYPES } from './enums.js';

/**
 * Every conversation event type is also a webhook event (`conversation.<type>`), so an event type
 * another area adds to CONVERSATION_EVENT_TYPES is deliverable without touching the webhooks.
 */
export const WEBHOOK_EVENT_TYPES = [
  ...CONVERSATION_EVENT_TYPES.map((type) => `conversation.${type}` as const),
  'message.created',
  'contact.updated',
  'contact.merged',
  'contact.erased',
  'analytics.alert',
] as const;
export const WebhookEventType = z.enum(WEBHOOK_EVENT_TYPES);
export type WebhookEventType = z.infer<typeof WebhookEventType>;

/** What is POSTed to an endpoint. `id` is the event's: the same for every endpoint and every retry. */
export const WebhookEvent = z.object({
  id: Id,
  type: z.union([WebhookEventType, z.literal('webhook.test')]),
  createdAt: Timestamp,
  workspaceId: Id,
  data: z.record(z.string(), z.unknown()),
});
export type WebhookEvent = z.infer<typeof WebhookEvent>;

const WebhookUrl = z
  .url()
  .max(2000)
  .refine((url) => /^https?:\/\//i.test(url), 'Use an http:// or https:// address');

export const WebhookEndpoint = z.object({
  id: Id,
  url: z.string(),
  description: z.string(),
  eventTypes: z.array(WebhookEventType),
  enabled: z.boolean(),
  /** Enough of the signing secret to tell which one it is (`whsec_…Xy3q`); the secret itself is shown once. */
  secretHint: z.string(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type WebhookEndpoint = z.infer<typeof WebhookEndpoint>;

/** The answer to creating an endpoint or rotating its secret: the only time the secret is sent. */
export const WebhookEndpointWithSecret = WebhookEndpoint.extend({
  /** The signing secret (`whsec_...`): the receiver verifies the Frontline-Signature header with it. */
  secret: z.string(),
});
export type WebhookEndpointWithSecret = z.infer<typeof WebhookEndpointWithSecret>;

export const WebhookEndpointInput = z.object({
  url: WebhookUrl,
  description: z.string().trim().max(200).default(''),
  eventTypes: z.array(WebhookEventType).min(1, 'Choose at least one event type').max(100),
  enabled: z.boolean().default(true),
});
export type WebhookEndpointInput = z.input<typeof WebhookEndpointInput>;

export const WebhookEndpointPatch = z.object({
  url: WebhookUrl.optional(),
  description: z.string().trim().max(200).optional(),
  eventTypes: z.array(WebhookEventType).min(1, 'Choose at least one event type').max(100).optional(),
  enabled: z.boolean().optional(),
});
export type WebhookEndpointPatch = z.infer<typeof WebhookEndpointPatch>;

/**
 * pending: waiting for its first or next attempt; delivered: the receiver answered 2xx;
 * dead: every attempt failed (redeliver by hand); cancelled: the endpoint was removed or the
 * contact erased before it could be sent.
 */
export const DELIVERY_STATUSES = ['pending', 'delivered', 'dead', 'cancelled'] as const;
export const DeliveryStatus = z.enum(DELIVERY_STATUSES);
export type DeliveryStatus = z.infer<typeof DeliveryStatus>;

export const WebhookDelivery = z.object({
  id: Id,
  endpointId: Id,
  eventId: Id,
  eventType: z.string(),
  status: DeliveryStatus,
  attempts: z.number().int().nonnegative(),
  lastStatusCode: z.number().int().nullable(),
  lastError: z.string().nullable(),
  lastAttemptAt: Timestamp.nullable(),
  nextAttemptAt: Timestamp.nullable(),
  deliveredAt: Timestamp.nullable(),
  createdAt: Timestamp,
});
export type WebhookDelivery = z.infer<typeof WebhookDelivery>;

export const WebhookAttempt = z.object({
  attempt: z.number().int().positive(),
  startedAt: Timestamp,
  durationMs: z.number().int().nonnegative(),
  statusCode: z.number().int().nullable(),
  error: z.string().nullable(),
});
export type WebhookAttempt = z.infer<typeof WebhookAttempt>;

export const WebhookDeliveryDetail = WebhookDelivery.extend({
  payload: WebhookEvent,
  attemptLog: z.array(WebhookAttempt),
});
export type WebhookDeliveryDetail = z.infer<typeof WebhookDeliveryDetail>;

export const WebhookDeliveryQuery = CursorQuery.extend({
  endpointId: Id.optional(),
  status: DeliveryStatus.optional(),
  eventType: z.string().max(64).optional(),
});
export type WebhookDeliveryQuery = z.infer<typeof WebhookDeliveryQuery>;
