// Facebook Messenger (Messenger Platform, Page messaging). Inbound: {object:"page", entry[]
// .messaging[]} with message (text, attachments, quick_reply), postback, delivery {mids} and
// read {watermark}, both meaning every reply up to that time; echoes of the Page's own messages are skipped. Outbound: POST /me/messages
// as RESPONSE inside the 24-hour window, with the HUMAN_AGENT tag up to 7 days after the
// person's last message (operators only), refused beyond; reply buttons as quick replies
// (max 13), link buttons as a button template (max 3) or links in the text; files uploaded as
// attachments; a location or contact card as text.
import { z } from 'zod';
import {
  ProviderError,
  type ChannelAdapter,
  type InboundEvent,
  type InboundFileRef,
} from '../core/adapter.js';
import { buttonPayload, contactText, joinText, linkLines, locationText } from '../core/fallback.js';
import { downloadByUrl } from '../core/http.js';
import { graphBase, graphCall, metaHandshake, metaVerify } from './graph.js';

const WINDOW_MS = 24 * 3600_000;
const HUMAN_AGENT_MS = 7 * 24 * 3600_000;
const MAX_QUICK_REPLIES = 13;

const Event = z.object({
  sender: z.object({ id: z.string() }),
  recipient: z.object({ id: z.string() }),
  timestamp: z.number().optional(),
  message: z
    .object({
      mid: z.string(),
      is_echo: z.boolean().optional(),
      text: z.string().optional(),
      quick_reply: z.object({ payload: z.string() }).optional(),
      attachments: z
        .array(
          z.object({
            type: z.string(),
            payload: z
              .object({
                url: z.string().optional(),
                coordinates: z.object({ lat: z.number(), long: z.number() }).optional(),
              })
              .nullable()
              .optional(),
            title: z.string().optional(),
          }),
        )
        .optional(),
    })
    .optional(),
  postback: z
    .object({ mid: z.string().optional(), title: z.string().optional(), payload: z.string() })
    .optional(),
  delivery: z.object({ mids: z.array(z.string()).optional(), watermark: z.number() }).optional(),
  read: z.object({ watermark: z.number() }).optional(),
});
const Payload = z.object({
  object: z.literal('page'),
  entry: z.array(z.object({ id: z.string(), messaging: z.array(z.unknown()).optional() })),
});

const Config = z
  .object({
    pageId: z.string().min(1),
    graphOrigin: z.url().optional(),
    graphVersion: z
      .string()
      .regex(/^v\d+\.\d+$/)
      .optional(),
  })
  .strict();
const Secrets = z
  .object({
    pageAccessToken: z.string().min(1),
    appSecret: z.string().min(1),
    verifyToken: z.string().min(1),
  })
  .strict();

const EXTENSIONS: Record<string, string> = { image: 'jpg', video: 'mp4', audio: 'mp3', file: 'bin' };

export const messengerAdapter: ChannelAdapter = {
  kind: 'messenger',
  // Meta publishes a daily call budget per Page, not a rate: a steady 20 a second stays well inside it.
  sendRate: { perSecond: 20, perChatPerSecond: null },
  capabilities: {
    buttons: true,
    maxButtons: MAX_QUICK_REPLIES,
    linkButtons: true,
    attachments: true,
    maxFileBytes: 25 * 1024 * 1024,
    location: false,
    sharedContact: false,
    deliveryStatus: true,
    readStatus: true,
  },
  configSchema: Config,
  secretsSchema: Secrets,
  secretNames: ['pageAccessToken', 'appSecret', 'verifyToken'],
  handshake: metaHandshake,
  verify: metaVerify,

  parse(account, request) {
    const payload = Payload.parse(JSON.parse(request.body.toString('utf8')));
    const events: InboundEvent[] = [];
    for (const entry of payload.entry) {
      if (entry.id !== String(account.config.pageId)) continue;
      for (const raw of entry.messaging ?? []) {
        const parsed = Event.safeParse(raw);
        if (!parsed.success) continue;
        const e = parsed.data;
        const user = { externalId: e.sender.id, address: e.sender.id, name: null };
        if (e.message && !e.message.is_echo) {
          const files: InboundFileRef[] = [];
          let location;
          for (const [i, a] of (e.message.attachments ?? []).entries()) {
            if (a.payload?.coordinates)
              location = {
                latitude: a.payload.coordinates.lat,
                longitude: a.payload.coordinates.long,
                name: a.title ?? null,
                address: null,
              };
            else if (a.payload?.url)
              files.push({
                ref: a.payload.url,
                name: `messenger-${i + 1}.${EXTENSIONS[a.type] ?? 'bin'}`,
                mime: null,
              });
          }
          events.push({
            type: 'message',
            providerId: e.message.mid,
            user,
            text: e.message.text ?? '',
            files,
            location,
            buttonPayload: e.message.quick_reply?.payload,
          });
        } else if (e.postback) {
          events.push({
            type: 'message',
            providerId: e.postback.mid ?? `postback:${e.sender.id}:${e.timestamp ?? 0}`,
            user,
            text: e.postback.title ?? '',
            files: [],
            buttonPayload: e.postback.payload,
          });
        } else if (e.delivery) {
          for (const mid of e.delivery.mids ?? [])
            events.push({
              type: 'status',
              providerId: `delivery:${mid}`,
              providerMessageId: mid,
              status: 'delivered',
            });
          // "mids" may be missing: the watermark says everything sent before it was delivered.
          events.push({
            type: 'watermark',
            providerId: `delivery:${e.sender.id}:${e.delivery.watermark}`,
            address: e.sender.id,
            upTo: e.delivery.watermark,
            status: 'delivered',
          });
        } else if (e.read) {
          events.push({
            type: 'watermark',
            providerId: `read:${e.sender.id}:${e.read.watermark}`,
            address: e.sender.id,
            upTo: e.read.watermark,
            status: 'read',
          });
        }
      }
    }
    return { events };
  },

  download: (account, file) => downloadByUrl(account.http, 'Messenger', file),

  async send(account, target, message) {
    const url = `${graphBase(account)}/me/messages`;
    const token = account.secrets.pageAccessToken;
    const age = Date.now() - target.lastInboundAt;
    if (age > HUMAN_AGENT_MS)
      throw new ProviderError(
        'The person wrote more than 7 days ago: Messenger allows no reply from the Page now. Wait for them to write again.',
        false,
      );
    const policy =
      age > WINDOW_MS
        ? { messaging_type: 'MESSAGE_TAG', tag: 'HUMAN_AGENT' }
        : { messaging_type: 'RESPONSE' };
    const recipient = { id: target.address };
    const post = async (messageBody: Record<string, unknown>) =>
      String(
        (
          await graphCall(account.http, 'Messenger', url, {
            token,
            json: { recipient, ...policy, message: messageBody },
          })
        ).message_id ?? '',
      );
    let lastId = '';
    for (const file of message.files) {
      const form = new FormData();
      form.set('recipient', JSON.stringify(recipient));
      for (const [k, v] of Object.entries(policy)) form.set(k, v);
      const type = file.mime.startsWith('image/')
        ? 'image'
        : file.mime.startsWith('video/')
          ? 'video'
          : file.mime.startsWith('audio/')
            ? 'audio'
            : 'file';
      form.set('message', JSON.stringify({ attachment: { type, payload: { is_reusable: false } } }));
      form.set('filedata', new Blob([await file.bytes()], { type: file.mime }), file.name);
      lastId = String((await graphCall(account.http, 'Messenger', url, { token, form })).message_id ?? '');
    }
    const replies = message.buttons.map((b, i) => ({ b, i })).filter(({ b }) => !b.url);
    const links = message.buttons.filter((b) => b.url);
    const text = joinText(
      message.text,
      message.location ? locationText(message.location) : null,
      message.sharedContact ? contactText(message.sharedContact) : null,
      links.length > 3 || replies.length > 0 ? linkLines(message.buttons).join('\n') : null,
      replies.length > MAX_QUICK_REPLIES
        ? replies.map(({ b, i }) => `${i + 1}. ${b.label}`).join('\n')
        : null,
    );
    if (links.length > 0 && links.length <= 3 && replies.length === 0) {
      lastId = await post({
        attachment: {
          type: 'template',
          payload: {
            template_type: 'button',
            text: (text || '…').slice(0, 640),
            buttons: links.map((b) => ({ type: 'web_url', url: b.url, title: b.label.slice(0, 20) })),
          },
        },
      });
    } else if (text || replies.length > 0) {
      const quick =
        replies.length > 0 && replies.length <= MAX_QUICK_REPLIES
          ? {
              quick_replies: replies.map(({ b, i }) => ({
                content_type: 'text',
                title: b.label.slice(0, 20),
                payload: buttonPayload(message.id, String(i)),
              })),
            }
          : {};
      lastId = await post({ text: text || '…', ...quick });
    }
    return { providerMessageId: lastId };
  },

  async test(account) {
    const me = await graphCall(account.http, 'Messenger', `${graphBase(account)}/me?fields=name,id`, {
      token: account.secrets.pageAccessToken,
    });
    if (String(me.id) !== String(account.config.pageId))
      throw new Error(
        `The token belongs to page ${String(me.id)}, not ${String(account.config.pageId)}: check the Page ID`,
      );
    return `Connected to the page ${String(me.name ?? me.id)}`;
  },
};
