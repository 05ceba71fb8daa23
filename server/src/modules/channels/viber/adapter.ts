// Viber REST Bot API (developers.viber.com/docs/api/rest-bot-api). Inbound: X-Viber-Content-
// Signature (or ?sig=) is the hex HMAC-SHA256 of the raw body keyed with the auth token;
// message_token is a 64-bit integer, so bodies are parsed with lossless-json and the token kept
// as a string (JSON.parse would round it and make dedupe keys collide). Events: message (text,
// picture, file, video, location, contact, sticker), delivered / seen / failed receipts; the
// webhook check and subscription events need no work. Outbound: send_message with the auth token
// header; HTTP 200 carries errors as a non-zero status. Reply buttons are a custom keyboard whose
// press comes back as the button's text with our tracking_data; media is sent by link.
import { isSafeNumber, parse as parseLossless } from 'lossless-json';
import { z } from 'zod';
import {
  ProviderError,
  header,
  type ChannelAdapter,
  type InboundEvent,
  type InboundFileRef,
} from '../core/adapter.js';
import { constantTimeEqual, hmacHex } from '../core/crypto.js';
import { joinText, linkLines } from '../core/fallback.js';
import { downloadByUrl, excerpt, parseJsonOrNull, providerFetch } from '../core/http.js';
import type { OutboundHttp } from '../../../outbound-http.js';

const DEFAULT_API = 'https://chatapi.viber.com/pa';
const MAX_BUTTONS = 24;
/** Viber's documented send statuses that are worth retrying (tooManyRequests and internal errors). */
const RETRYABLE_STATUSES = new Set([12, 13]);

/** Integers beyond 2^53 stay strings; every other number is a number. */
export function parseViberJson(text: string): unknown {
  return parseLossless(text, null, (value: string) => (isSafeNumber(value) ? Number(value) : value));
}

const Id = z.union([z.string(), z.number()]).transform(String);
const Callback = z.object({
  event: z.string(),
  message_token: Id.optional(),
  sender: z.object({ id: z.string(), name: z.string().optional() }).optional(),
  user_id: z.string().optional(),
  desc: z.string().optional(),
  message: z
    .object({
      type: z.string(),
      text: z.string().optional(),
      media: z.string().optional(),
      file_name: z.string().optional(),
      tracking_data: z.string().optional(),
      location: z.object({ lat: z.number(), lon: z.number() }).optional(),
      contact: z.object({ name: z.string(), phone_number: z.string().optional() }).optional(),
    })
    .optional(),
});

const Config = z
  .object({
    apiBase: z.url().optional(),
    senderName: z.string().min(1).max(28),
    senderAvatar: z.url().optional(),
  })
  .strict();
const Secrets = z.object({ authToken: z.string().min(1) }).strict();

const Tracking = z.object({ m: z.string() });

function root(config: Record<string, unknown>): string {
  return String(config.apiBase ?? DEFAULT_API).replace(/\/$/, '');
}

async function call(
  account: { config: Record<string, unknown>; secrets: Record<string, string>; http: OutboundHttp },
  method: string,
  body: Record<string, unknown>,
): Promise<Record<string, unknown>> {
  const response = await providerFetch(account.http, 'Viber', `${root(account.config)}/${method}`, {
    headers: { 'content-type': 'application/json', 'x-viber-auth-token': account.secrets.authToken ?? '' },
    body: JSON.stringify(body),
  });
  const json = (response.text ? parseViberJson(response.text) : null) as Record<string, unknown> | null;
  const status = Number(json?.status ?? -1);
  if (status !== 0)
    throw new ProviderError(
      `Viber refused ${method}: ${String(json?.status_message ?? excerpt(response.text))} (status ${status})`,
      RETRYABLE_STATUSES.has(status),
    );
  return json ?? {};
}

export const viberAdapter: ChannelAdapter = {
  kind: 'viber',
  // Viber publishes no send rate for bots; 20 a second is a polite pace that 429s would correct.
  sendRate: { perSecond: 20, perChatPerSecond: null },
  capabilities: {
    buttons: true,
    maxButtons: MAX_BUTTONS,
    linkButtons: true,
    attachments: true,
    maxFileBytes: 50 * 1024 * 1024,
    location: true,
    sharedContact: true,
    deliveryStatus: true,
    readStatus: true,
  },
  configSchema: Config,
  secretsSchema: Secrets,
  secretNames: ['authToken'],

  verify(account, request) {
    const given = header(request, 'x-viber-content-signature') ?? request.query.sig;
    return (
      given !== undefined &&
      constantTimeEqual(given.toLowerCase(), hmacHex(account.secrets.authToken ?? '', request.body))
    );
  },

  parse(_account, request) {
    const callback = Callback.parse(parseViberJson(request.body.toString('utf8')));
    const events: InboundEvent[] = [];
    const token = callback.message_token;
    if (callback.event === 'message' && callback.sender && callback.message && token) {
      const m = callback.message;
      const files: InboundFileRef[] = [];
      if (m.media && ['picture', 'file', 'video'].includes(m.type))
        files.push({
          ref: m.media,
          name:
            m.file_name ?? (m.type === 'picture' ? 'picture.jpg' : m.type === 'video' ? 'video.mp4' : 'file'),
          mime: null,
        });
      const tracking = m.tracking_data ? Tracking.safeParse(parseJsonOrNull(m.tracking_data)) : undefined;
      events.push({
        type: 'message',
        providerId: `message:${token}`,
        user: {
          externalId: callback.sender.id,
          address: callback.sender.id,
          name: callback.sender.name ?? null,
        },
        text: m.type === 'sticker' ? '[sticker]' : (m.text ?? ''),
        files,
        location: m.location
          ? { latitude: m.location.lat, longitude: m.location.lon, name: null, address: null }
          : undefined,
        sharedContact: m.contact
          ? { name: m.contact.name, phone: m.contact.phone_number ?? null, email: null }
          : undefined,
        buttonPayload: tracking?.success && m.text ? `${tracking.data.m}:${m.text}` : undefined,
      });
    }
    const receipt = { delivered: 'delivered', seen: 'read', failed: 'failed' } as const;
    if (callback.event in receipt && token) {
      const status = receipt[callback.event as keyof typeof receipt];
      events.push({
        type: 'status',
        providerId: `${callback.event}:${token}`,
        providerMessageId: token,
        status,
        error: callback.desc,
      });
    }
    return { events };
  },

  download: (account, file) => downloadByUrl(account.http, 'Viber', file),

  async send(account, target, message) {
    const base: Record<string, unknown> = {
      receiver: target.address,
      min_api_version: 1,
      sender: {
        name: String(account.config.senderName),
        ...(account.config.senderAvatar ? { avatar: String(account.config.senderAvatar) } : {}),
      },
    };
    const post = async (body: Record<string, unknown>) =>
      String((await call(account, 'send_message', { ...base, ...body })).message_token ?? '');
    let lastId = '';
    for (const file of message.files) {
      lastId =
        file.mime === 'image/jpeg' || file.mime === 'image/png'
          ? await post({ type: 'picture', media: file.url, text: '' })
          : await post({ type: 'file', media: file.url, size: file.size, file_name: file.name });
    }
    if (message.location)
      lastId = await post({
        type: 'location',
        location: { lat: message.location.latitude, lon: message.location.longitude },
      });
    if (message.sharedContact)
      lastId = await post({
        type: 'contact',
        contact: { name: message.sharedContact.name, phone_number: message.sharedContact.phone ?? '' },
      });
    const buttons = message.buttons.slice(0, MAX_BUTTONS);
    const text = joinText(message.text, ...linkLines(message.buttons.slice(MAX_BUTTONS)));
    if (text || buttons.length > 0) {
      const body: Record<string, unknown> = { type: 'text', text: text || '…' };
      if (buttons.length > 0) {
        body.tracking_data = JSON.stringify({ m: message.id });
        body.keyboard = {
          Type: 'keyboard',
          DefaultHeight: false,
          Buttons: buttons.map((b) =>
            b.url
              ? { Columns: 6, Rows: 1, ActionType: 'open-url', ActionBody: b.url, Text: b.label }
              : { Columns: 6, Rows: 1, ActionType: 'reply', ActionBody: b.label, Text: b.label },
          ),
        };
      }
      lastId = await post(body);
    }
    return { providerMessageId: lastId };
  },

  async test(account, webhookUrl) {
    const info = await call(account, 'get_account_info', {});
    await call(account, 'set_webhook', {
      url: webhookUrl,
      event_types: ['delivered', 'seen', 'failed', 'conversation_started'],
      send_name: true,
    });
    return `Connected to ${String(info.name ?? 'the bot')}; webhook set to ${webhookUrl}`;
  },
};
