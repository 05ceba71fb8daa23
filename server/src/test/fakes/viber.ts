// Fake Viber REST Bot API (developers.viber.com/docs/api/rest-bot-api): send_message,
// get_account_info, set_webhook, and media links. Like Viber it answers HTTP 200 with a status
// field, and its message_token values are 64-bit integers written as bare JSON numbers beyond
// 2^53. Callback shapes follow the REST API documentation ("Callbacks").
import { createHmac } from 'node:crypto';
import { startFakeProvider, type FakeProvider, type WebhookCall } from './provider.js';

export const VIBER_TOKEN = '445da6az1s345z78-dazcczb2542zv51a-e0vc5fva17480im9';
export const VIBER_MEDIA = Buffer.from('%PDF-1.4 viber file\n');
/** Above Number.MAX_SAFE_INTEGER: consecutive tokens round to one JS number. */
export const BIG_TOKEN = 5466358343372472277n;

export function viberSignature(body: string, token = VIBER_TOKEN): string {
  return createHmac('sha256', token).update(Buffer.from(body, 'utf8')).digest('hex');
}

/** A callback body signed with the bot's token in X-Viber-Content-Signature, as Viber sends it. */
export function viberWebhook(body: string, token = VIBER_TOKEN): WebhookCall {
  return { body, headers: { 'x-viber-content-signature': viberSignature(body, token) } };
}

export async function startFakeViber(): Promise<FakeProvider> {
  let next = BIG_TOKEN + 1000n;
  return startFakeProvider((request) => {
    if (request.path.startsWith('/media/')) return { bytes: VIBER_MEDIA, type: 'application/pdf' };
    if (request.headers['x-viber-auth-token'] !== VIBER_TOKEN)
      return { json: { status: 2, status_message: 'invalidAuthToken' } };
    switch (request.path) {
      case '/pa/get_account_info':
        return {
          json: {
            status: 0,
            status_message: 'ok',
            id: 'pa:75346594275468546724',
            name: 'Test Shop',
            uri: 'testshop',
          },
        };
      case '/pa/set_webhook':
        return { json: { status: 0, status_message: 'ok', event_types: ['delivered', 'seen', 'failed'] } };
      case '/pa/send_message':
        if (request.body.receiver === 'unsubscribed==')
          return { json: { status: 6, status_message: 'receiverNotSubscribed' } };
        return {
          type: 'application/json',
          text: `{"status":0,"status_message":"ok","message_token":${next++},"chat_hostname":"SN-CHAT-02_"}`,
        };
      default:
        return undefined;
    }
  });
}

/** A callback body with the 64-bit token written as a bare number, as Viber sends it. */
export function viberCallback(event: Record<string, unknown>, token: bigint): string {
  return JSON.stringify({ ...event, message_token: '__TOKEN__' }).replace('"__TOKEN__"', token.toString());
}

export const viberEvents = {
  text: (text: string, senderId = '01234567890A=', extra: Record<string, unknown> = {}) => ({
    event: 'message',
    timestamp: 1457764197627,
    chat_hostname: 'SN-376_',
    sender: {
      id: senderId,
      name: 'John McClane',
      avatar: 'http://avatar.example.com',
      country: 'UK',
      language: 'en',
      api_version: 1,
    },
    message: { type: 'text', text, ...extra },
  }),
  file: (url: string, senderId = '01234567890A=') => ({
    event: 'message',
    timestamp: 1457764197627,
    sender: { id: senderId, name: 'John McClane' },
    message: { type: 'file', media: url, file_name: 'invoice.pdf', size: VIBER_MEDIA.length },
  }),
  receipt: (event: 'delivered' | 'seen' | 'failed', userId = '01234567890A=') => ({
    event,
    timestamp: 1457764197627,
    user_id: userId,
  }),
};
