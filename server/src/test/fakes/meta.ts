// Fake Meta Graph API for WhatsApp Cloud API and Messenger: the send, media upload and media
// download endpoints, phone-number and page look-ups. Webhook bodies are signed here exactly as
// Meta does it (X-Hub-Signature-256: sha256=HMAC(app secret, the raw bytes sent)), and Meta's
// webhook examples come from the official OpenAPI (fixtures/whatsapp-webhooks.from-openapi.json,
// facebook/openapi, MIT) with their reused wamids replaced by unique ones.
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { startFakeProvider, type FakeProvider, type WebhookCall } from './provider.js';

export const GRAPH_VERSION = 'v23.0';
export const PHONE_NUMBER_ID = '106540352242922';
export const PAGE_ID = '1234567890';
export const META_TOKEN = 'EAAG-test-token';
export const MEDIA_BYTES = Buffer.from([
  0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00, 0x00, 0x01,
]);

export function metaSignature(appSecret: string, body: string): string {
  return `sha256=${createHmac('sha256', appSecret).update(Buffer.from(body, 'utf8')).digest('hex')}`;
}

/** A webhook delivery of `payload` signed with the app secret, as Meta sends it. */
export function metaWebhook(appSecret: string, payload: unknown): WebhookCall {
  const body = JSON.stringify(payload);
  return { body, headers: { 'x-hub-signature-256': metaSignature(appSecret, body) } };
}

export async function startFakeGraph(): Promise<FakeProvider> {
  let next = 1;
  let fake: FakeProvider | undefined = undefined;
  fake = await startFakeProvider((request) => {
    const authorised = request.headers.authorization === `Bearer ${META_TOKEN}`;
    const p = request.path;
    if (p.startsWith('/cdn/')) return { bytes: MEDIA_BYTES, type: 'image/jpeg' };
    if (p.startsWith('/media-download/'))
      return authorised
        ? { bytes: MEDIA_BYTES, type: 'image/jpeg' }
        : { status: 401, json: { error: { message: 'token required', code: 190 } } };
    if (!authorised)
      return { status: 401, json: { error: { message: 'Invalid OAuth access token', code: 190 } } };
    if (p === `/${GRAPH_VERSION}/${PHONE_NUMBER_ID}`)
      return {
        json: { display_phone_number: '15550783881', verified_name: 'Test Shop', id: PHONE_NUMBER_ID },
      };
    if (p === `/${GRAPH_VERSION}/${PHONE_NUMBER_ID}/media`) return { json: { id: `media-${next++}` } };
    if (p === `/${GRAPH_VERSION}/${PHONE_NUMBER_ID}/messages`) {
      return {
        json: {
          messaging_product: 'whatsapp',
          contacts: [{ input: request.body.to, wa_id: request.body.to }],
          messages: [{ id: `wamid.OUT${next++}==` }],
        },
      };
    }
    if (p === `/${GRAPH_VERSION}/me`) return { json: { id: PAGE_ID, name: 'Test Page' } };
    if (p === `/${GRAPH_VERSION}/me/messages`)
      return { json: { recipient_id: '1', message_id: `m_out${next++}` } };
    const media = /^\/v23\.0\/(\d+)$/.exec(p);
    if (media)
      return {
        json: {
          url: `${fake?.url ?? ''}/media-download/${media[1]}`,
          mime_type: 'image/jpeg',
          id: media[1],
          messaging_product: 'whatsapp',
        },
      };
    return undefined;
  });
  return fake;
}

type Examples = Record<string, { entry: { changes: { value: { messages?: { id: string }[] } }[] }[] }>;
const examples = (
  JSON.parse(
    readFileSync(new URL('./fixtures/whatsapp-webhooks.from-openapi.json', import.meta.url), 'utf8'),
  ) as { examples: Examples }
).examples;

/** An OpenAPI webhook example with a fresh wamid (the examples reuse one), optionally with other text. */
export function whatsappExample(name: string, id: string, text?: string): Record<string, unknown> {
  const copy = JSON.parse(JSON.stringify(examples[name])) as Examples[string] & {
    entry: { changes: { value: { messages: Record<string, unknown>[] } }[] }[];
  };
  const message = copy.entry[0]!.changes[0]!.value.messages[0]!;
  message.id = id;
  if (text !== undefined) message.text = { body: text };
  return copy;
}

export function whatsappStatus(wamid: string, status: string): Record<string, unknown> {
  return {
    object: 'whatsapp_business_account',
    entry: [
      {
        id: '419561257915477',
        changes: [
          {
            field: 'messages',
            value: {
              messaging_product: 'whatsapp',
              metadata: { display_phone_number: '15550783881', phone_number_id: PHONE_NUMBER_ID },
              statuses: [{ id: wamid, status, timestamp: '1750025136', recipient_id: '16505551234' }],
            },
          },
        ],
      },
    ],
  };
}

/** Messenger webhook events as the Messenger Platform webhook reference shows them. */
export const messengerEvents = {
  envelope: (...messaging: Record<string, unknown>[]) => ({
    object: 'page',
    entry: [{ id: PAGE_ID, time: Date.now(), messaging }],
  }),
  text: (mid: string, text: string, psid = '2345678901') => ({
    sender: { id: psid },
    recipient: { id: PAGE_ID },
    timestamp: Date.now(),
    message: { mid, text },
  }),
  image: (mid: string, url: string, psid = '2345678901') => ({
    sender: { id: psid },
    recipient: { id: PAGE_ID },
    timestamp: Date.now(),
    message: { mid, attachments: [{ type: 'image', payload: { url } }] },
  }),
  quickReply: (mid: string, title: string, payload: string, psid = '2345678901') => ({
    sender: { id: psid },
    recipient: { id: PAGE_ID },
    timestamp: Date.now(),
    message: { mid, text: title, quick_reply: { payload } },
  }),
  read: (watermark: number, psid = '2345678901') => ({
    sender: { id: psid },
    recipient: { id: PAGE_ID },
    timestamp: watermark,
    read: { watermark },
  }),
  delivery: (mids: string[], psid = '2345678901') => ({
    sender: { id: psid },
    recipient: { id: PAGE_ID },
    delivery: { mids, watermark: Date.now() },
  }),
};
