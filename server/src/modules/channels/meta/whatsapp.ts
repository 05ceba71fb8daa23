// WhatsApp Cloud API (facebook/openapi business-messaging-api_v23.0). Inbound: entry[].changes[]
// .value with messages[] (text, media, location, contacts, interactive and template button
// replies) and statuses[] (sent/delivered/read/failed, out of order: the service keeps the
// furthest); routed on metadata.phone_number_id. Outbound: POST /{phone-number-id}/messages;
// up to 3 reply buttons as interactive "button", up to 10 as a "list", link buttons as links in
// the text; files uploaded to /{phone-number-id}/media first. Outside the 24-hour customer
// service window only an approved template may be sent: the account's template when configured,
// else the reply fails with that reason.
import { z } from 'zod';
import {
  ProviderError,
  type ChannelAdapter,
  type InboundEvent,
  type InboundFileRef,
} from '../core/adapter.js';
import { buttonPayload, joinText, linkLines } from '../core/fallback.js';
import { providerDownload } from '../core/http.js';
import { graphBase, graphCall, metaHandshake, metaVerify } from './graph.js';

const WINDOW_MS = 24 * 3600_000;
const MAX_REPLY_BUTTONS = 3;
const MAX_LIST_ROWS = 10;

const Media = z.object({
  id: z.string(),
  mime_type: z.string().optional(),
  caption: z.string().optional(),
  filename: z.string().optional(),
});
const WaMessage = z.object({
  from: z.string(),
  id: z.string(),
  type: z.string(),
  text: z.object({ body: z.string() }).optional(),
  image: Media.optional(),
  document: Media.optional(),
  audio: Media.optional(),
  video: Media.optional(),
  sticker: Media.optional(),
  location: z
    .object({
      latitude: z.number(),
      longitude: z.number(),
      name: z.string().optional(),
      address: z.string().optional(),
    })
    .optional(),
  contacts: z
    .array(
      z.object({
        name: z.object({ formatted_name: z.string() }),
        phones: z.array(z.object({ phone: z.string().optional() })).optional(),
        emails: z.array(z.object({ email: z.string().optional() })).optional(),
      }),
    )
    .optional(),
  interactive: z
    .object({
      type: z.string(),
      button_reply: z.object({ id: z.string(), title: z.string() }).optional(),
      list_reply: z.object({ id: z.string(), title: z.string() }).optional(),
    })
    .optional(),
  button: z.object({ payload: z.string().optional(), text: z.string() }).optional(),
});
const Status = z.object({
  id: z.string(),
  status: z.enum(['sent', 'delivered', 'read', 'failed']).or(z.string()),
  recipient_id: z.string().optional(),
  errors: z
    .array(
      z.object({ code: z.number().optional(), title: z.string().optional(), message: z.string().optional() }),
    )
    .optional(),
});
const Payload = z.object({
  object: z.string(),
  entry: z.array(
    z.object({
      changes: z.array(
        z.object({
          field: z.string().optional(),
          value: z.object({
            metadata: z.object({ phone_number_id: z.string() }).optional(),
            contacts: z
              .array(z.object({ wa_id: z.string(), profile: z.object({ name: z.string() }).optional() }))
              .optional(),
            messages: z.array(z.unknown()).optional(),
            statuses: z.array(z.unknown()).optional(),
          }),
        }),
      ),
    }),
  ),
});

const Config = z
  .object({
    phoneNumberId: z.string().min(1),
    graphOrigin: z.url().optional(),
    graphVersion: z
      .string()
      .regex(/^v\d+\.\d+$/)
      .optional(),
    /** An approved template for replies outside the 24-hour window, and its language code. */
    templateName: z.string().optional(),
    templateLanguage: z.string().optional(),
  })
  .strict();
const Secrets = z
  .object({ accessToken: z.string().min(1), appSecret: z.string().min(1), verifyToken: z.string().min(1) })
  .strict();

export const whatsappAdapter: ChannelAdapter = {
  kind: 'whatsapp',
  // Cloud API: 80 messages a second per business number by default; the 1-per-6-s pair limit
  // allows bursts, so it is left to the provider's 131056 answer (retried with back-off).
  sendRate: { perSecond: 80, perChatPerSecond: null },
  capabilities: {
    buttons: true,
    maxButtons: MAX_LIST_ROWS,
    linkButtons: false,
    attachments: true,
    maxFileBytes: 16 * 1024 * 1024,
    location: true,
    sharedContact: true,
    deliveryStatus: true,
    readStatus: true,
  },
  configSchema: Config,
  secretsSchema: Secrets,
  secretNames: ['accessToken', 'appSecret', 'verifyToken'],
  handshake: metaHandshake,
  verify: metaVerify,

  parse(account, request) {
    const payload = Payload.parse(JSON.parse(request.body.toString('utf8')));
    const events: InboundEvent[] = [];
    for (const entry of payload.entry)
      for (const change of entry.changes) {
        const value = change.value;
        if (value.metadata && value.metadata.phone_number_id !== String(account.config.phoneNumberId))
          continue;
        const names = new Map((value.contacts ?? []).map((c) => [c.wa_id, c.profile?.name ?? null]));
        for (const raw of value.messages ?? []) {
          const parsed = WaMessage.safeParse(raw);
          if (!parsed.success) continue;
          const m = parsed.data;
          const files: InboundFileRef[] = [];
          for (const kind of ['image', 'document', 'audio', 'video', 'sticker'] as const) {
            const media = m[kind];
            if (media)
              files.push({ ref: media.id, name: media.filename ?? null, mime: media.mime_type ?? null });
          }
          const media = m.image ?? m.document ?? m.video;
          const reply = m.interactive?.button_reply ?? m.interactive?.list_reply;
          const card = m.contacts?.[0];
          events.push({
            type: 'message',
            providerId: m.id,
            user: {
              externalId: m.from,
              address: m.from,
              name: names.get(m.from) ?? null,
              phone: `+${m.from}`,
            },
            text:
              m.text?.body ??
              media?.caption ??
              reply?.title ??
              m.button?.text ??
              (m.type === 'unsupported' ? '[unsupported message]' : ''),
            files,
            location: m.location
              ? {
                  latitude: m.location.latitude,
                  longitude: m.location.longitude,
                  name: m.location.name ?? null,
                  address: m.location.address ?? null,
                }
              : undefined,
            sharedContact: card
              ? {
                  name: card.name.formatted_name,
                  phone: card.phones?.[0]?.phone ?? null,
                  email: card.emails?.[0]?.email ?? null,
                }
              : undefined,
            buttonPayload: reply?.id ?? m.button?.payload,
          });
        }
        for (const raw of value.statuses ?? []) {
          const parsed = Status.safeParse(raw);
          if (!parsed.success) continue;
          const s = parsed.data;
          if (!['sent', 'delivered', 'read', 'failed'].includes(s.status)) continue;
          const error = s.errors?.[0];
          events.push({
            type: 'status',
            providerId: `status:${s.id}:${s.status}`,
            providerMessageId: s.id,
            status: s.status as 'sent' | 'delivered' | 'read' | 'failed',
            error: error
              ? `${error.code ?? ''} ${error.title ?? ''}${error.message ? `: ${error.message}` : ''}`.trim()
              : undefined,
          });
        }
      }
    return { events };
  },

  async download(account, file) {
    const token = account.secrets.accessToken;
    const info = z.object({ url: z.string(), mime_type: z.string().optional() }).parse(
      await graphCall(account.http, 'WhatsApp', `${graphBase(account)}/${encodeURIComponent(file.ref)}`, {
        token,
      }),
    );
    const fetched = await providerDownload(account.http, 'WhatsApp', info.url, {
      authorization: `Bearer ${token}`,
    });
    const mime = file.mime ?? info.mime_type ?? fetched.mime ?? 'application/octet-stream';
    return {
      bytes: fetched.bytes,
      mime,
      name: file.name ?? `whatsapp-${file.ref}.${mime.split('/')[1]?.split(';')[0] ?? 'bin'}`,
    };
  },

  async send(account, target, message) {
    const token = account.secrets.accessToken;
    const url = `${graphBase(account)}/${String(account.config.phoneNumberId)}/messages`;
    const base = {
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      to: target.address,
      biz_opaque_callback_data: message.id,
    };
    const post = async (body: Record<string, unknown>) => {
      const answer = await graphCall(account.http, 'WhatsApp', url, { token, json: { ...base, ...body } });
      return (
        z.object({ messages: z.array(z.object({ id: z.string() })) }).parse(answer).messages[0]?.id ?? ''
      );
    };
    if (Date.now() - target.lastInboundAt > WINDOW_MS) {
      const template = account.config.templateName;
      if (!template)
        throw new ProviderError(
          'The customer wrote more than 24 hours ago: WhatsApp allows only an approved template now. Set one in the channel settings, or wait for the customer to write.',
          false,
        );
      return {
        providerMessageId: await post({
          type: 'template',
          template: {
            name: String(template),
            language: { code: String(account.config.templateLanguage ?? 'en') },
          },
        }),
      };
    }
    let lastId = '';
    for (const file of message.files) {
      const form = new FormData();
      form.set('messaging_product', 'whatsapp');
      form.set('type', file.mime);
      form.set('file', new Blob([await file.bytes()], { type: file.mime }), file.name);
      const uploaded = z.object({ id: z.string() }).parse(
        await graphCall(
          account.http,
          'WhatsApp',
          `${graphBase(account)}/${String(account.config.phoneNumberId)}/media`,
          {
            token,
            form,
          },
        ),
      );
      const kind = file.mime.startsWith('image/')
        ? 'image'
        : file.mime.startsWith('video/')
          ? 'video'
          : 'document';
      lastId = await post({
        type: kind,
        [kind]: kind === 'document' ? { id: uploaded.id, filename: file.name } : { id: uploaded.id },
      });
    }
    if (message.location)
      lastId = await post({
        type: 'location',
        location: {
          latitude: message.location.latitude,
          longitude: message.location.longitude,
          ...(message.location.name ? { name: message.location.name } : {}),
          ...(message.location.address ? { address: message.location.address } : {}),
        },
      });
    if (message.sharedContact) {
      const c = message.sharedContact;
      lastId = await post({
        type: 'contacts',
        contacts: [
          {
            name: { formatted_name: c.name, first_name: c.name },
            ...(c.phone ? { phones: [{ phone: c.phone, type: 'CELL' }] } : {}),
            ...(c.email ? { emails: [{ email: c.email, type: 'WORK' }] } : {}),
          },
        ],
      });
    }
    const replies = message.buttons.map((b, i) => ({ b, i })).filter(({ b }) => !b.url);
    const body = joinText(message.text, ...linkLines(message.buttons));
    if (replies.length > 0 && replies.length <= MAX_LIST_ROWS) {
      const interactive =
        replies.length <= MAX_REPLY_BUTTONS
          ? {
              type: 'button',
              body: { text: body || '…' },
              action: {
                buttons: replies.map(({ b, i }) => ({
                  type: 'reply',
                  reply: { id: buttonPayload(message.id, String(i)), title: b.label.slice(0, 20) },
                })),
              },
            }
          : {
              type: 'list',
              body: { text: body || '…' },
              action: {
                button: 'Choose',
                sections: [
                  {
                    rows: replies.map(({ b, i }) => ({
                      id: buttonPayload(message.id, String(i)),
                      title: b.label.slice(0, 24),
                    })),
                  },
                ],
              },
            };
      lastId = await post({ type: 'interactive', interactive });
    } else if (body || replies.length > 0) {
      const listed = replies.length > MAX_LIST_ROWS ? replies.map(({ b, i }) => `${i + 1}. ${b.label}`) : [];
      lastId = await post({
        type: 'text',
        text: { body: joinText(body, listed.join('\n')), preview_url: false },
      });
    }
    return { providerMessageId: lastId };
  },

  async test(account) {
    const info = await graphCall(
      account.http,
      'WhatsApp',
      `${graphBase(account)}/${String(account.config.phoneNumberId)}?fields=display_phone_number,verified_name`,
      {
        token: account.secrets.accessToken,
      },
    );
    return `Connected to ${String(info.verified_name ?? '')} ${String(info.display_phone_number ?? '')}`.trim();
  },
};
