// The API channel: a company's own app (or any system) talks to the inbox over HTTP. Both
// directions are signed like Frontline's webhooks (docs/webhooks.md): the header
// `Frontline-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>`, with
// five minutes of tolerance. Inbound: POST messages (and delivery statuses of our replies) to the
// channel's webhook URL; the message's `id` is the dedupe key. Outbound: each operator reply is
// POSTed, signed, to the app's URL; 2xx is delivered, 429/5xx/timeouts are retried, other 4xx fail
// the reply with the app's answer.
import { z } from 'zod';
import { SharedContact, SharedLocation } from '@frontline/protocol';
import {
  ProviderError,
  header,
  type AccountContext,
  type ChannelAdapter,
  type InboundEvent,
} from '../core/adapter.js';
import { constantTimeEqual } from '../core/crypto.js';
import { buttonPayload } from '../core/fallback.js';
import { downloadByUrl, excerpt, providerFetch } from '../core/http.js';
import { SIGNATURE_HEADER, signature, signatureHeader } from '../../webhooks/signing.js';

const TOLERANCE_SECONDS = 300;

export const ApiInbound = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('message'),
    /** Your id of this message: sending it again stores nothing new. */
    id: z.string().min(1).max(200),
    user: z.object({
      id: z.string().min(1).max(200),
      name: z.string().max(200).optional(),
      email: z.email().optional(),
      phone: z.string().max(50).optional(),
    }),
    text: z.string().max(10_000).default(''),
    /** The `payload` of one of our buttons the user pressed. */
    buttonPayload: z.string().max(200).optional(),
    location: SharedLocation.optional(),
    sharedContact: SharedContact.optional(),
    files: z
      .array(
        z.object({
          url: z.url(),
          name: z.string().max(200).optional(),
          mime: z.string().max(100).optional(),
        }),
      )
      .max(10)
      .default([]),
  }),
  z.object({
    type: z.literal('status'),
    /** The `id` of our message, as we sent it to you. */
    messageId: z.string(),
    status: z.enum(['delivered', 'read', 'failed']),
    error: z.string().max(500).optional(),
  }),
]);

const Config = z.object({ webhookUrl: z.url() }).strict();
const Secrets = z.object({ signingSecret: z.string().min(16) }).strict();

export function verifyFrontlineSignature(
  secret: string,
  headerValue: string | undefined,
  body: Buffer,
  now = Date.now(),
): boolean {
  if (!headerValue || !secret) return false;
  const parts = headerValue.split(',').map((p) => p.trim().split('='));
  const t = Number(parts.find(([k]) => k === 't')?.[1]);
  if (!Number.isFinite(t) || Math.abs(now / 1000 - t) > TOLERANCE_SECONDS) return false;
  const expected = signature(secret, t, body.toString('utf8'));
  return parts.some(([k, v]) => k === 'v1' && v !== undefined && constantTimeEqual(v, expected));
}

/** POSTs a JSON body to the app's URL, signed with the channel's secret. */
function postSigned(account: AccountContext, body: string) {
  return providerFetch(account.http, 'The app', String(account.config.webhookUrl), {
    headers: {
      'content-type': 'application/json',
      'user-agent': 'Frontline-Channels/1',
      [SIGNATURE_HEADER]: signatureHeader(
        [account.secrets.signingSecret ?? ''],
        Math.floor(Date.now() / 1000),
        body,
      ),
    },
    body,
  });
}

export const apiAdapter: ChannelAdapter = {
  kind: 'api',
  // The company's own webhook receiver: a cap that protects it from a burst, not a provider limit.
  sendRate: { perSecond: 50, perChatPerSecond: null },
  capabilities: {
    buttons: true,
    maxButtons: 20,
    linkButtons: true,
    attachments: true,
    maxFileBytes: 25 * 1024 * 1024,
    location: true,
    sharedContact: true,
    deliveryStatus: true,
    readStatus: true,
  },
  configSchema: Config,
  secretsSchema: Secrets,
  secretNames: ['signingSecret'],

  verify(account, request) {
    return verifyFrontlineSignature(
      account.secrets.signingSecret ?? '',
      header(request, SIGNATURE_HEADER),
      request.body,
    );
  },

  parse(_account, request) {
    const body = ApiInbound.parse(JSON.parse(request.body.toString('utf8')));
    const events: InboundEvent[] = [];
    if (body.type === 'message')
      events.push({
        type: 'message',
        providerId: `message:${body.id}`,
        user: {
          externalId: body.user.id,
          address: body.user.id,
          name: body.user.name ?? null,
          email: body.user.email ?? null,
          phone: body.user.phone ?? null,
        },
        text: body.text,
        files: body.files.map((f) => ({ ref: f.url, name: f.name ?? null, mime: f.mime ?? null })),
        location: body.location,
        sharedContact: body.sharedContact,
        buttonPayload: body.buttonPayload,
      });
    else
      events.push({
        type: 'status',
        providerId: `status:${body.messageId}:${body.status}`,
        providerMessageId: body.messageId,
        status: body.status,
        error: body.error,
      });
    return { events };
  },

  download: (account, file) => downloadByUrl(account.http, 'The app', file),

  async send(account, target, message) {
    const body = JSON.stringify({
      type: 'message',
      id: message.id,
      conversationId: message.conversationId,
      to: target.address,
      author: { name: message.authorName },
      text: message.text,
      buttons: message.buttons.map((b, i) => ({
        label: b.label,
        url: b.url,
        payload: b.url ? null : buttonPayload(message.id, String(i)),
      })),
      files: message.files.map((f) => ({ name: f.name, mime: f.mime, size: f.size, url: f.url })),
      location: message.location,
      sharedContact: message.sharedContact,
    });
    const response = await postSigned(account, body);
    if (response.status < 200 || response.status >= 300)
      throw new ProviderError(`The app answered HTTP ${response.status}: ${excerpt(response.text)}`, false);
    return { providerMessageId: message.id };
  },

  async test(account) {
    const body = JSON.stringify({ type: 'ping' });
    const response = await postSigned(account, body);
    if (response.status >= 400)
      throw new Error(`The app answered the ping with HTTP ${response.status}: ${excerpt(response.text)}`);
    return `The app at ${String(account.config.webhookUrl)} answered the ping with HTTP ${response.status}`;
  },
};
