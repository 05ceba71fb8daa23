// The contract every messenger/e-mail adapter implements. An adapter only translates: the
// provider's webhook (already read as raw bytes) into normalised events, and a stored reply into
// the provider's send call. Storage, dedupe, contacts, retries and delivery state live in the
// channel service, the same for every provider.
import type {
  ChannelCapabilities,
  ChannelDeliveryStatus,
  ChannelKind,
  MessageButton,
  SharedContact,
  SharedLocation,
} from '@frontline/protocol';
import type { z } from 'zod';
import type { OutboundHttp } from '../../../outbound-http.js';

/** An account as adapters see it: its settings and its decrypted secrets. */
export interface AccountContext {
  id: string;
  workspaceId: string;
  kind: ChannelKind;
  config: Record<string, string | number | boolean>;
  secrets: Record<string, string>;
  /** Every call to the provider or the account's own URLs goes through this (the OUTBOUND_URLS guard). */
  http: OutboundHttp;
}

export interface RawWebhook {
  method: string;
  headers: Record<string, string | string[] | undefined>;
  query: Record<string, string | undefined>;
  /** The exact bytes the provider sent: signatures are computed over these. */
  body: Buffer;
}

/** A file a provider offers with a message; fetched by the adapter when the event is processed. */
export interface InboundFileRef {
  /** Provider-specific reference (file id, media id or URL). */
  ref: string;
  name: string | null;
  mime: string | null;
}

export interface InboundUser {
  /** Stable id of the person at the provider (per bot/page/number). */
  externalId: string;
  /** Where replies go (chat id, peer id, phone, address). */
  address: string;
  name: string | null;
  phone?: string | null;
  email?: string | null;
}

export interface InboundMessage {
  type: 'message';
  /** The provider's id of this delivery: stored once however often it is retried. */
  providerId: string;
  user: InboundUser;
  text: string;
  files: InboundFileRef[];
  location?: SharedLocation;
  sharedContact?: SharedContact;
  /** A button press: the payload our own button carried, and its title as a text fallback. */
  buttonPayload?: string;
  /** Provider callback to acknowledge (Telegram callback query, VK message_event). */
  ack?: Record<string, string>;
  /** E-mail threading: this message's Message-ID, the ids it answers, and its subject. */
  thread?: { messageId: string; references: string[]; subject?: string };
}

export interface InboundStatus {
  type: 'status';
  providerId: string;
  /** Our outbound message at the provider. */
  providerMessageId: string;
  status: Exclude<ChannelDeliveryStatus, 'pending'>;
  error?: string;
}

/** Every reply to `address` up to a time reached this state (Messenger's delivery and read watermarks). */
export interface InboundWatermark {
  type: 'watermark';
  providerId: string;
  address: string;
  /** Epoch milliseconds. */
  upTo: number;
  status: 'delivered' | 'read';
}

export type InboundEvent = InboundMessage | InboundStatus | InboundWatermark;

export interface WebhookOutcome {
  events: InboundEvent[];
  /** What to answer the provider when not the default 200 "ok" (VK wants "ok", handshakes a challenge). */
  reply?: { status: number; body: string; contentType?: string };
}

export interface OutboundFile {
  name: string;
  mime: string;
  size: number;
  bytes: () => Promise<Buffer>;
  /** A time-limited public link to the file (for providers that fetch media by URL). */
  url: string;
}

export interface OutboundMessage {
  /** Our message id: used where the provider offers idempotency (VK random_id) or correlation. */
  id: string;
  conversationId: string;
  text: string;
  buttons: MessageButton[];
  files: OutboundFile[];
  location: SharedLocation | null;
  sharedContact: SharedContact | null;
  authorName: string | null;
}

export interface OutboundTarget {
  address: string;
  /** When the person last wrote (WhatsApp's and Messenger's reply windows). */
  lastInboundAt: number;
  /** E-mail: the thread's Message-IDs. */
  thread: { messageId?: string; references?: string[]; subject?: string };
}

/** A refusal or failure of the provider; `retryable` decides between back-off and failing the message. */
export class ProviderError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
    readonly details: {
      /** The provider's own error code (HTTP status, or Telegram's error_code). */
      code?: number;
      /** How long the provider asked us to wait before trying again (Retry-After, retry_after). */
      retryAfterMs?: number;
    } = {},
  ) {
    super(message);
  }
}

/**
 * How many sends a second the provider accepts from one account, overall and to one chat (null:
 * no per-chat limit). Whole numbers: the throttle counts in one-second windows.
 */
export interface ChannelSendRate {
  perSecond: number;
  perChatPerSecond: number | null;
}

export interface ChannelAdapter {
  kind: ChannelKind;
  capabilities: ChannelCapabilities;
  /** The provider's documented limits (docs/channels.md); sends are spread to stay within them. */
  sendRate: ChannelSendRate;
  /** Non-secret settings and secrets the account needs; checked on create and update. */
  configSchema: z.ZodType<Record<string, string | number | boolean>>;
  secretsSchema: z.ZodType<Record<string, string>>;
  /** Which secrets are required to connect; the admin page asks for these. */
  secretNames: readonly string[];
  /**
   * A handshake the provider does before or beside sending events (Meta's GET hub.challenge, VK's
   * confirmation). Returns the answer, or null when the request is not a handshake.
   */
  handshake?(account: AccountContext, request: RawWebhook): { status: number; body: string } | null;
  /** Signature or secret check, before anything is parsed into events or stored. */
  verify(account: AccountContext, request: RawWebhook): boolean;
  parse(account: AccountContext, request: RawWebhook): WebhookOutcome;
  /** Fetches a file an inbound message referred to. */
  download(
    account: AccountContext,
    file: InboundFileRef,
  ): Promise<{ bytes: Buffer; name: string; mime: string }>;
  /** Answers a button press where the provider expects it (best effort). */
  acknowledge?(account: AccountContext, ack: Record<string, string>): Promise<void>;
  send(
    account: AccountContext,
    target: OutboundTarget,
    message: OutboundMessage,
  ): Promise<{ providerMessageId: string }>;
  /** Checks the credentials with the provider; with a webhook URL, registers it where the API allows. */
  test(account: AccountContext, webhookUrl: string): Promise<string>;
}

export function header(request: RawWebhook, name: string): string | undefined {
  const value = request.headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}
