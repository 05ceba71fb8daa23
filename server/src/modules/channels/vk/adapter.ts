// VK community messages over the Callback API (dev.vk.com/api/callback; VKCOM/vk-api-schema
// 5.199). Inbound: VK first asks for the confirmation string; every event then carries the
// community's `secret` in the JSON body (no HMAC exists) and an event_id that is the dedupe key,
// and must be answered with the plain text "ok". message_new brings text, photos, documents,
// voice messages, a place and text-button payloads; message_event is a callback-button press
// (acknowledged with messages.sendMessageEventAnswer). Outbound: messages.send with random_id
// derived from our message id (VK drops a resend with the same random_id, so retries are safe),
// an inline keyboard, documents uploaded through docs.getMessagesUploadServer and docs.save.
// VK answers errors with HTTP 200 and an error object: flood and internal errors are retried.
import { createHash } from 'node:crypto';
import { z } from 'zod';
import {
  ProviderError,
  type AccountContext,
  type ChannelAdapter,
  type InboundEvent,
  type InboundFileRef,
} from '../core/adapter.js';
import { constantTimeEqual } from '../core/crypto.js';
import { buttonPayload, contactText, joinText } from '../core/fallback.js';
import { downloadByUrl, excerpt, parseJsonOrNull, providerFetch } from '../core/http.js';

const DEFAULT_API = 'https://api.vk.com';
const API_VERSION = '5.199';
const MAX_BUTTONS = 10;
/** 6 too many requests per second, 9 flood control, 10 internal server error. */
const RETRYABLE_ERRORS = new Set([6, 9, 10]);

const Photo = z.object({
  sizes: z.array(z.object({ url: z.string(), width: z.number(), height: z.number() })),
});
const Attachment = z.object({
  type: z.string(),
  photo: Photo.optional(),
  doc: z.object({ url: z.string(), title: z.string(), ext: z.string().optional() }).optional(),
  audio_message: z.object({ link_mp3: z.string() }).optional(),
});
const VkMessage = z.object({
  id: z.number(),
  from_id: z.number(),
  peer_id: z.number().optional(),
  text: z.string().default(''),
  attachments: z.array(z.unknown()).default([]),
  payload: z.string().optional(),
  geo: z
    .object({
      coordinates: z.object({ latitude: z.number(), longitude: z.number() }),
      place: z.object({ title: z.string().optional() }).optional(),
    })
    .optional(),
});
const Envelope = z.object({
  type: z.string(),
  group_id: z.number(),
  event_id: z.string().optional(),
  secret: z.string().optional(),
  object: z.unknown().optional(),
});
const MessageEvent = z.object({
  user_id: z.number(),
  peer_id: z.number(),
  event_id: z.string(),
  payload: z.union([z.string(), z.record(z.string(), z.unknown())]),
});

const Config = z
  .object({ groupId: z.coerce.number().int().positive(), apiBase: z.url().optional() })
  .strict();
const Secrets = z
  .object({ accessToken: z.string().min(1), secret: z.string().min(1), confirmation: z.string().min(1) })
  .strict();

function envelopeOf(body: Buffer): z.infer<typeof Envelope> | null {
  try {
    const parsed = Envelope.safeParse(JSON.parse(body.toString('utf8')));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

async function call(
  account: AccountContext,
  method: string,
  params: Record<string, string | number>,
): Promise<unknown> {
  const form = new URLSearchParams({ access_token: account.secrets.accessToken ?? '', v: API_VERSION });
  for (const [k, v] of Object.entries(params)) form.set(k, String(v));
  const root = String(account.config.apiBase ?? DEFAULT_API).replace(/\/$/, '');
  const response = await providerFetch(account.http, 'VK', `${root}/method/${method}`, {
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: form,
  });
  const json = response.json as {
    response?: unknown;
    error?: { error_code: number; error_msg: string };
  } | null;
  if (json?.error)
    throw new ProviderError(
      `VK refused ${method}: ${json.error.error_msg} (error ${json.error.error_code})`,
      RETRYABLE_ERRORS.has(json.error.error_code),
    );
  if (!json || !('response' in json))
    throw new ProviderError(`VK answered ${method} oddly: ${excerpt(response.text)}`, true);
  return json.response;
}

/** VK's random_id: a signed 32-bit number, the same for every attempt at one message. */
function randomId(messageId: string, part: number): number {
  return createHash('sha256').update(`${messageId}:${part}`).digest().readInt32BE(0);
}

function payloadText(payload: string | Record<string, unknown> | undefined): string | undefined {
  if (payload === undefined) return undefined;
  const value = typeof payload === 'string' ? parseJsonOrNull(payload) : payload;
  return value && typeof value === 'object' && typeof (value as { b?: unknown }).b === 'string'
    ? (value as { b: string }).b
    : undefined;
}

export const vkAdapter: ChannelAdapter = {
  kind: 'vk',
  // 20 API requests a second with a community token.
  sendRate: { perSecond: 20, perChatPerSecond: null },
  capabilities: {
    buttons: true,
    maxButtons: MAX_BUTTONS,
    linkButtons: true,
    attachments: true,
    maxFileBytes: 200 * 1024 * 1024,
    location: true,
    sharedContact: false,
    deliveryStatus: false,
    readStatus: false,
  },
  configSchema: Config,
  secretsSchema: Secrets,
  secretNames: ['accessToken', 'secret', 'confirmation'],

  handshake(account, request) {
    if (request.method !== 'POST') return null;
    const envelope = envelopeOf(request.body);
    if (envelope?.type !== 'confirmation') return null;
    if (envelope.group_id !== Number(account.config.groupId))
      return { status: 403, body: 'Wrong community id' };
    return { status: 200, body: account.secrets.confirmation ?? '' };
  },

  verify(account, request) {
    const envelope = envelopeOf(request.body);
    return (
      envelope !== null &&
      envelope.group_id === Number(account.config.groupId) &&
      constantTimeEqual(envelope.secret ?? '', account.secrets.secret ?? '')
    );
  },

  parse(_account, request) {
    const envelope = envelopeOf(request.body);
    if (!envelope) throw new Error('Not a VK callback');
    const events: InboundEvent[] = [];
    const object = envelope.object as { message?: unknown } | undefined;
    if (envelope.type === 'message_new' && object?.message) {
      const m = VkMessage.parse(object.message);
      const files: InboundFileRef[] = [];
      for (const raw of m.attachments) {
        const a = Attachment.safeParse(raw);
        if (!a.success) continue;
        const largest = a.data.photo?.sizes.reduce((best, s) =>
          s.width * s.height > best.width * best.height ? s : best,
        );
        if (largest) files.push({ ref: largest.url, name: `photo-${m.id}.jpg`, mime: 'image/jpeg' });
        if (a.data.doc) files.push({ ref: a.data.doc.url, name: a.data.doc.title, mime: null });
        if (a.data.audio_message)
          files.push({ ref: a.data.audio_message.link_mp3, name: `voice-${m.id}.mp3`, mime: 'audio/mpeg' });
      }
      events.push({
        type: 'message',
        providerId: envelope.event_id ?? `message:${m.id}`,
        user: { externalId: String(m.from_id), address: String(m.peer_id ?? m.from_id), name: null },
        text: m.text,
        files,
        location: m.geo
          ? {
              latitude: m.geo.coordinates.latitude,
              longitude: m.geo.coordinates.longitude,
              name: m.geo.place?.title ?? null,
              address: null,
            }
          : undefined,
        buttonPayload: payloadText(m.payload),
      });
    } else if (envelope.type === 'message_event') {
      const e = MessageEvent.parse(envelope.object);
      events.push({
        type: 'message',
        providerId: envelope.event_id ?? `event:${e.event_id}`,
        user: { externalId: String(e.user_id), address: String(e.peer_id), name: null },
        text: '',
        files: [],
        buttonPayload: payloadText(e.payload),
        ack: { eventId: e.event_id, userId: String(e.user_id), peerId: String(e.peer_id) },
      });
    }
    return { events, reply: { status: 200, body: 'ok' } };
  },

  download: (account, file) => downloadByUrl(account.http, 'VK', file),

  async acknowledge(account, ack) {
    await call(account, 'messages.sendMessageEventAnswer', {
      event_id: ack.eventId ?? '',
      user_id: ack.userId ?? '',
      peer_id: ack.peerId ?? '',
    });
  },

  async send(account, target, message) {
    const attachments: string[] = [];
    for (const file of message.files) {
      const server = z
        .object({ upload_url: z.string() })
        .parse(await call(account, 'docs.getMessagesUploadServer', { type: 'doc', peer_id: target.address }));
      const form = new FormData();
      form.set('file', new Blob([await file.bytes()], { type: file.mime }), file.name);
      const uploaded = await providerFetch(account.http, 'VK', server.upload_url, { body: form });
      const saved = z.object({ file: z.string() }).safeParse(uploaded.json);
      if (!saved.success) throw new ProviderError(`VK upload failed: ${excerpt(uploaded.text)}`, false);
      const doc = z
        .object({ type: z.string(), doc: z.object({ owner_id: z.number(), id: z.number() }) })
        .parse(await call(account, 'docs.save', { file: saved.data.file, title: file.name }));
      attachments.push(`doc${doc.doc.owner_id}_${doc.doc.id}`);
    }
    const buttons = message.buttons.slice(0, MAX_BUTTONS);
    const params: Record<string, string | number> = {
      peer_id: target.address,
      random_id: randomId(message.id, 0),
      message:
        joinText(message.text, message.sharedContact ? contactText(message.sharedContact) : null) ||
        (attachments.length ? '' : '…'),
    };
    if (attachments.length) params.attachment = attachments.join(',');
    if (message.location) {
      params.lat = message.location.latitude;
      params.long = message.location.longitude;
    }
    if (buttons.length)
      params.keyboard = JSON.stringify({
        inline: true,
        buttons: buttons.map((b, i) => [
          b.url
            ? { action: { type: 'open_link', link: b.url, label: b.label.slice(0, 40) } }
            : {
                action: {
                  type: 'text',
                  label: b.label.slice(0, 40),
                  payload: JSON.stringify({ b: buttonPayload(message.id, String(i)) }),
                },
                color: 'primary',
              },
        ]),
      });
    const id = await call(account, 'messages.send', params);
    return { providerMessageId: String(id) };
  },

  async test(account) {
    const groups = z
      .union([
        z.array(z.object({ name: z.string() })),
        z.object({ groups: z.array(z.object({ name: z.string() })) }),
      ])
      .parse(await call(account, 'groups.getById', { group_id: Number(account.config.groupId) }));
    const name = Array.isArray(groups) ? groups[0]?.name : groups.groups[0]?.name;
    return `Connected to the community ${name ?? account.config.groupId}; paste the webhook URL into its Callback API settings`;
  },
};
