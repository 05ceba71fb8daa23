// Messenger and e-mail channel accounts (admin CRUD) and the delivery state of replies sent through them.
import { z } from 'zod';
import { Id, Timestamp } from './common.js';

export const CHANNEL_KINDS = ['telegram', 'whatsapp', 'viber', 'vk', 'messenger', 'email', 'api'] as const;
export const ChannelKind = z.enum(CHANNEL_KINDS);
export type ChannelKind = z.infer<typeof ChannelKind>;

/** What a channel can show, so bots and the workspace adapt what they send. */
export const ChannelCapabilities = z.object({
  buttons: z.boolean(),
  maxButtons: z.number().int().nonnegative(),
  /** Buttons that open a link (otherwise links go into the text). */
  linkButtons: z.boolean(),
  attachments: z.boolean(),
  maxFileBytes: z.number().int().nonnegative(),
  location: z.boolean(),
  sharedContact: z.boolean(),
  deliveryStatus: z.boolean(),
  readStatus: z.boolean(),
});
export type ChannelCapabilities = z.infer<typeof ChannelCapabilities>;

const Settings = z.record(z.string(), z.union([z.string(), z.number(), z.boolean()]));

export const ChannelAccount = z.object({
  id: Id,
  kind: ChannelKind,
  name: z.string(),
  enabled: z.boolean(),
  /** Non-secret settings (ids, hosts, API base URLs). */
  config: Settings,
  /** Names of the secrets that are set; their values are never sent back. */
  secretsSet: z.array(z.string()),
  /** Paste this into the provider's webhook setting (e-mail: not used). */
  webhookUrl: z.string(),
  capabilities: ChannelCapabilities,
  lastError: z.string().nullable(),
  lastInboundAt: Timestamp.nullable(),
  createdAt: Timestamp,
});
export type ChannelAccount = z.infer<typeof ChannelAccount>;

export const ChannelAccountInput = z.object({
  kind: ChannelKind,
  name: z.string().trim().min(1).max(100),
  config: Settings.default({}),
  secrets: z.record(z.string(), z.string().max(4000)).default({}),
});
export type ChannelAccountInput = z.infer<typeof ChannelAccountInput>;

export const ChannelAccountPatch = z.object({
  name: z.string().trim().min(1).max(100).optional(),
  enabled: z.boolean().optional(),
  config: Settings.optional(),
  /** Merged into the stored secrets; an empty string removes one. */
  secrets: z.record(z.string(), z.string().max(4000)).optional(),
});
export type ChannelAccountPatch = z.infer<typeof ChannelAccountPatch>;

export const CHANNEL_DELIVERY_STATUSES = ['pending', 'sent', 'delivered', 'read', 'failed'] as const;
export const ChannelDeliveryStatus = z.enum(CHANNEL_DELIVERY_STATUSES);
export type ChannelDeliveryStatus = z.infer<typeof ChannelDeliveryStatus>;

export const ChannelDelivery = z.object({
  messageId: Id,
  conversationId: Id,
  accountId: Id,
  status: ChannelDeliveryStatus,
  /** The provider's reason when it refused or the attempts ran out. */
  error: z.string().nullable(),
  attempts: z.number().int().nonnegative(),
  updatedAt: Timestamp,
});
export type ChannelDelivery = z.infer<typeof ChannelDelivery>;

export const ChannelTestResult = z.object({ ok: z.boolean(), detail: z.string() });
export type ChannelTestResult = z.infer<typeof ChannelTestResult>;
