// Telegram Bot API (core.telegram.org/bots/api). Inbound, per channel (config `inbound`): a
// webhook, whose X-Telegram-Bot-Api-Secret-Token header must equal the secret set with setWebhook
// (no body signature exists); or long polling with getUpdates (polling.ts), for a server without a
// public HTTPS address. Either way update_id is the dedupe key. Outbound: sendMessage with an inline keyboard
// (callback_data carries "<message id>:<button index>", within the 64-byte limit), sendDocument
// for files, sendLocation and sendContact. Telegram has no delivery or read receipts.
import { z } from 'zod';
import {
  ProviderError,
  header,
  type AccountContext,
  type ChannelAdapter,
  type InboundEvent,
  type InboundFileRef,
} from '../core/adapter.js';
import { constantTimeEqual } from '../core/crypto.js';
import { buttonPayload, joinText } from '../core/fallback.js';
import { excerpt, providerDownload, providerFetch, type ProviderRequest } from '../core/http.js';

const DEFAULT_API = 'https://api.telegram.org';
const MAX_BUTTONS = 100;
const ALLOWED_UPDATES = ['message', 'callback_query'];

const User = z.object({
  id: z.number(),
  first_name: z.string().optional(),
  last_name: z.string().optional(),
  username: z.string().optional(),
});
const Chat = z.object({ id: z.number() });
const PhotoSize = z.object({ file_id: z.string(), width: z.number(), height: z.number() });
const Message = z.object({
  message_id: z.number(),
  from: User.optional(),
  chat: Chat,
  text: z.string().optional(),
  caption: z.string().optional(),
  photo: z.array(PhotoSize).optional(),
  document: z
    .object({ file_id: z.string(), file_name: z.string().optional(), mime_type: z.string().optional() })
    .optional(),
  voice: z.object({ file_id: z.string(), mime_type: z.string().optional() }).optional(),
  video: z
    .object({ file_id: z.string(), file_name: z.string().optional(), mime_type: z.string().optional() })
    .optional(),
  location: z.object({ latitude: z.number(), longitude: z.number() }).optional(),
  venue: z.object({ title: z.string(), address: z.string() }).optional(),
  contact: z
    .object({
      phone_number: z.string(),
      first_name: z.string(),
      last_name: z.string().optional(),
      user_id: z.number().optional(),
    })
    .optional(),
});
const Update = z.object({
  update_id: z.number(),
  message: Message.optional(),
  callback_query: z
    .object({
      id: z.string(),
      from: User,
      data: z.string().optional(),
      message: z.object({ chat: Chat }).optional(),
    })
    .optional(),
});

/** How updates reach us: Telegram calls our webhook, or we ask for them (getUpdates). */
export const TELEGRAM_INBOUND_MODES = ['webhook', 'polling'] as const;

const Config = z
  .object({ apiBase: z.url().optional(), inbound: z.enum(TELEGRAM_INBOUND_MODES).optional() })
  .strict();
const Secrets = z
  .object({
    botToken: z.string().regex(/^\d+:[A-Za-z0-9_-]+$/, 'the token BotFather gave, like 123456:ABC-DEF...'),
    webhookSecret: z.string().regex(/^[A-Za-z0-9_-]{1,256}$/, '1-256 characters of A-Z a-z 0-9 _ -'),
  })
  .strict();

function root(account: AccountContext): string {
  return String(account.config.apiBase ?? DEFAULT_API).replace(/\/$/, '');
}

export function isPolled(account: Pick<AccountContext, 'config'>): boolean {
  return account.config.inbound === 'polling';
}

/** Telegram's error answers name their wait in the body (ResponseParameters.retry_after, seconds). */
const ErrorAnswer = z.object({ parameters: z.object({ retry_after: z.number() }) });
const retryAfterIn = (json: unknown) => ErrorAnswer.safeParse(json).data?.parameters.retry_after;

async function call(
  account: AccountContext,
  method: string,
  body: Record<string, unknown> | FormData,
  options: Pick<ProviderRequest, 'timeoutMs' | 'signal'> = {},
): Promise<unknown> {
  const url = `${root(account)}/bot${account.secrets.botToken}/${method}`;
  const response = await providerFetch(account.http, 'Telegram', url, {
    ...options,
    retryAfterIn,
    ...(body instanceof FormData
      ? { body }
      : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
  });
  const json = response.json as {
    ok?: boolean;
    result?: unknown;
    description?: string;
    error_code?: number;
  } | null;
  if (!json?.ok)
    throw new ProviderError(
      `Telegram refused ${method}: ${json?.description ?? excerpt(response.text)}`,
      false,
      { code: json?.error_code ?? response.status },
    );
  return json.result;
}

/** Points the bot at our webhook, with the secret Telegram sends back in a header. */
export async function setWebhook(
  account: AccountContext,
  webhookUrl: string,
  signal?: AbortSignal,
): Promise<void> {
  await call(
    account,
    'setWebhook',
    { url: webhookUrl, secret_token: account.secrets.webhookSecret, allowed_updates: ALLOWED_UPDATES },
    { signal },
  );
}

/** getUpdates refuses to run while a webhook is set; pending updates stay for getUpdates to take. */
export async function deleteWebhook(account: AccountContext, signal: AbortSignal): Promise<void> {
  await call(account, 'deleteWebhook', { drop_pending_updates: false }, { signal });
}

/**
 * One long poll: the updates from `offset` on (which confirms every one before it to Telegram),
 * waiting up to `timeoutSeconds` for one to come.
 */
export async function getUpdates(
  account: AccountContext,
  offset: number,
  timeoutSeconds: number,
  signal: AbortSignal,
): Promise<Array<{ updateId: number; events: InboundEvent[] | 'unreadable' }>> {
  const result = await call(
    account,
    'getUpdates',
    { offset, timeout: timeoutSeconds, allowed_updates: ALLOWED_UPDATES },
    // Telegram answers by the end of the poll; a connection silent well past it is dead.
    { signal, timeoutMs: (timeoutSeconds + 15) * 1000 },
  );
  return z
    .array(z.object({ update_id: z.number() }).loose())
    .parse(result)
    .map((update) => ({ updateId: update.update_id, events: eventsOrUnreadable(update) }));
}

/** An update we cannot read is skipped (and logged) rather than blocking every update after it. */
function eventsOrUnreadable(update: unknown): InboundEvent[] | 'unreadable' {
  try {
    return eventsOf(update);
  } catch {
    return 'unreadable';
  }
}

function nameOf(user: z.infer<typeof User>): string | null {
  return [user.first_name, user.last_name].filter(Boolean).join(' ') || user.username || null;
}

/** The events of one update (webhook body or getUpdates item); kinds we do not take in give none. */
function eventsOf(raw: unknown): InboundEvent[] {
  const update = Update.parse(raw);
  const events: InboundEvent[] = [];
  const providerId = String(update.update_id);
  if (update.message) {
    const m = update.message;
    const files: InboundFileRef[] = [];
    const largest = m.photo?.at(-1);
    if (largest) files.push({ ref: largest.file_id, name: `photo-${m.message_id}.jpg`, mime: 'image/jpeg' });
    if (m.document)
      files.push({
        ref: m.document.file_id,
        name: m.document.file_name ?? 'file',
        mime: m.document.mime_type ?? null,
      });
    if (m.video)
      files.push({
        ref: m.video.file_id,
        name: m.video.file_name ?? 'video.mp4',
        mime: m.video.mime_type ?? null,
      });
    if (m.voice)
      files.push({ ref: m.voice.file_id, name: 'voice.ogg', mime: m.voice.mime_type ?? 'audio/ogg' });
    const user = m.from ?? { id: m.chat.id };
    events.push({
      type: 'message',
      providerId,
      user: {
        externalId: String(user.id),
        address: String(m.chat.id),
        name: m.from ? nameOf(m.from) : null,
        phone: m.contact && m.contact.user_id === m.from?.id ? m.contact.phone_number : null,
      },
      text: m.text ?? m.caption ?? '',
      files,
      location: m.location
        ? {
            latitude: m.location.latitude,
            longitude: m.location.longitude,
            name: m.venue?.title ?? null,
            address: m.venue?.address ?? null,
          }
        : undefined,
      sharedContact: m.contact
        ? {
            name: [m.contact.first_name, m.contact.last_name].filter(Boolean).join(' '),
            phone: m.contact.phone_number,
            email: null,
          }
        : undefined,
    });
  } else if (update.callback_query) {
    const q = update.callback_query;
    events.push({
      type: 'message',
      providerId,
      user: {
        externalId: String(q.from.id),
        address: String(q.message?.chat.id ?? q.from.id),
        name: nameOf(q.from),
      },
      text: '',
      files: [],
      buttonPayload: q.data,
      ack: { callbackQueryId: q.id },
    });
  }
  return events;
}

export const telegramAdapter: ChannelAdapter = {
  kind: 'telegram',
  // Bot FAQ: about 30 messages a second in all, about one a second to one chat.
  sendRate: { perSecond: 30, perChatPerSecond: 1 },
  capabilities: {
    buttons: true,
    maxButtons: MAX_BUTTONS,
    linkButtons: true,
    attachments: true,
    maxFileBytes: 20 * 1024 * 1024,
    location: true,
    sharedContact: true,
    deliveryStatus: false,
    readStatus: false,
  },
  configSchema: Config,
  secretsSchema: Secrets,
  secretNames: ['botToken', 'webhookSecret'],

  verify(account, request) {
    const given = header(request, 'x-telegram-bot-api-secret-token');
    return given !== undefined && constantTimeEqual(given, account.secrets.webhookSecret ?? '');
  },

  parse(_account, request) {
    return { events: eventsOf(JSON.parse(request.body.toString('utf8'))) };
  },

  async download(account, file) {
    const info = z
      .object({ file_path: z.string() })
      .parse(await call(account, 'getFile', { file_id: file.ref }));
    const fetched = await providerDownload(
      account.http,
      'Telegram',
      `${root(account)}/file/bot${account.secrets.botToken}/${info.file_path}`,
    );
    return {
      bytes: fetched.bytes,
      name: file.name ?? info.file_path.split('/').at(-1) ?? 'file',
      mime: file.mime ?? fetched.mime ?? 'application/octet-stream',
    };
  },

  async acknowledge(account, ack) {
    if (ack.callbackQueryId)
      await call(account, 'answerCallbackQuery', { callback_query_id: ack.callbackQueryId });
  },

  async send(account, target, message) {
    const chatId = target.address;
    let lastId = '';
    const record = (result: unknown) => {
      lastId = String(z.object({ message_id: z.number() }).parse(result).message_id);
    };
    for (const file of message.files) {
      const form = new FormData();
      form.set('chat_id', chatId);
      form.set(
        file.mime.startsWith('image/') ? 'photo' : 'document',
        new Blob([await file.bytes()], { type: file.mime }),
        file.name,
      );
      record(await call(account, file.mime.startsWith('image/') ? 'sendPhoto' : 'sendDocument', form));
    }
    if (message.location)
      record(
        await call(account, 'sendLocation', {
          chat_id: chatId,
          latitude: message.location.latitude,
          longitude: message.location.longitude,
        }),
      );
    if (message.sharedContact)
      record(
        await call(account, 'sendContact', {
          chat_id: chatId,
          phone_number: message.sharedContact.phone ?? '',
          first_name: message.sharedContact.name,
        }),
      );
    const text = joinText(message.text);
    if (text || message.buttons.length > 0) {
      const body: Record<string, unknown> = { chat_id: chatId, text: text || '…' };
      if (message.buttons.length > 0)
        body.reply_markup = {
          inline_keyboard: message.buttons.map((b, i) => [
            b.url
              ? { text: b.label, url: b.url }
              : { text: b.label, callback_data: buttonPayload(message.id, String(i)) },
          ]),
        };
      record(await call(account, 'sendMessage', body));
    }
    return { providerMessageId: lastId };
  },

  async test(account, webhookUrl) {
    const me = z.object({ username: z.string().optional() }).parse(await call(account, 'getMe', {}));
    const bot = `@${me.username ?? 'bot'}`;
    // A polled bot must keep its webhook unset: the poller owns it (polling.ts).
    if (isPolled(account)) return `Connected as ${bot}; updates are fetched by long polling`;
    await setWebhook(account, webhookUrl);
    return `Connected as ${bot}; webhook set to ${webhookUrl}`;
  },
};
