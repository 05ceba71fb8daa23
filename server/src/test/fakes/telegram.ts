// Fake Telegram Bot API (core.telegram.org/bots/api): getMe, setWebhook, deleteWebhook, getUpdates
// (a long poll: updates stay until an offset past them confirms them; a second concurrent poll
// ends the first with 409, and none runs while a webhook is set, as Telegram answers), send*,
// getFile and the file download path, answerCallbackQuery. Update payloads follow the official samples
// (core.telegram.org/bots/webhooks#testing-your-bot-with-updates) corrected to the Bot API spec
// (data/channels/telegram: CallbackQuery.chat_instance is required), with unique update_ids.
import { startFakeProvider, type FakeAnswer, type FakeProvider, type FakeRequest } from './provider.js';

export const TELEGRAM_TOKEN = '123456:TEST-token_abc';
export const FILE_BYTES = Buffer.from('%PDF-1.4 fake telegram document\n');

export interface FakeTelegram extends FakeProvider {
  /** An update for getUpdates, as if a person wrote to the bot. */
  queue(update: { update_id: number }): void;
  /** The webhook set now ('' when none). */
  webhookUrl(): string;
  /** getUpdates calls ended by a newer concurrent one (two pollers of one bot). */
  conflicts(): number;
}

interface Poll {
  offset: number;
  answer(answer: FakeAnswer): void;
}

const conflict = (description: string): FakeAnswer => ({
  status: 409,
  json: { ok: false, error_code: 409, description },
});

export async function startFakeTelegram(): Promise<FakeTelegram> {
  let nextId = 1000;
  let webhook = '';
  let conflicts = 0;
  let pending: Array<{ update_id: number }> = [];
  let poll: Poll | undefined;
  const due = (offset: number) => pending.filter((u) => u.update_id >= offset);

  const getUpdates = (request: FakeRequest): FakeAnswer | Promise<FakeAnswer> => {
    if (webhook)
      return conflict(
        "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first",
      );
    if (poll) {
      conflicts++;
      poll.answer(
        conflict(
          'Conflict: terminated by other getUpdates request; make sure that only one bot instance is running',
        ),
      );
    }
    const offset = Number(request.body.offset ?? 0);
    if (offset > 0) pending = due(offset);
    if (due(offset).length > 0) return { json: { ok: true, result: due(offset) } };
    return new Promise((resolve) => {
      const mine: Poll = {
        offset,
        answer(answer) {
          clearTimeout(timer);
          if (poll === mine) poll = undefined;
          resolve(answer);
        },
      };
      const timer = setTimeout(
        () => mine.answer({ json: { ok: true, result: [] } }),
        Number(request.body.timeout ?? 0) * 1000,
      );
      request.signal.addEventListener('abort', () => mine.answer({ status: 499 }));
      poll = mine;
    });
  };

  const fake = await startFakeProvider((request) => {
    const prefix = `/bot${TELEGRAM_TOKEN}/`;
    if (request.path.startsWith(`/file/bot${TELEGRAM_TOKEN}/`))
      return { bytes: FILE_BYTES, type: 'application/pdf' };
    if (!request.path.startsWith(prefix))
      return { status: 401, json: { ok: false, error_code: 401, description: 'Unauthorized' } };
    const method = request.path.slice(prefix.length);
    switch (method) {
      case 'getMe':
        return {
          json: { ok: true, result: { id: 123456, is_bot: true, first_name: 'Shop', username: 'shop_bot' } },
        };
      case 'setWebhook':
        webhook = String(request.body.url);
        return { json: { ok: true, result: true } };
      case 'deleteWebhook':
        webhook = '';
        return { json: { ok: true, result: true } };
      case 'getUpdates':
        return getUpdates(request);
      case 'answerCallbackQuery':
        return { json: { ok: true, result: true } };
      case 'getFile':
        return {
          json: {
            ok: true,
            result: {
              file_id: request.body.file_id,
              file_unique_id: 'u1',
              file_path: 'documents/file_1.pdf',
            },
          },
        };
      case 'sendMessage':
      case 'sendPhoto':
      case 'sendDocument':
      case 'sendLocation':
      case 'sendContact':
        if (request.body.chat_id === '403')
          return {
            status: 403,
            json: { ok: false, error_code: 403, description: 'Forbidden: bot was blocked by the user' },
          };
        return {
          json: {
            ok: true,
            result: {
              message_id: nextId++,
              date: 0,
              chat: { id: Number(request.body.chat_id), type: 'private' },
            },
          },
        };
      default:
        return { status: 404, json: { ok: false, error_code: 404, description: 'Not Found' } };
    }
  });
  return {
    ...fake,
    queue(update) {
      pending.push(update);
      if (poll) poll.answer({ json: { ok: true, result: due(poll.offset) } });
    },
    webhookUrl: () => webhook,
    conflicts: () => conflicts,
  };
}

const from = {
  id: 1111111,
  is_bot: false,
  first_name: 'Test Firstname',
  last_name: 'Test Lastname',
  username: 'Testusername',
};
const chat = {
  id: 1111111,
  type: 'private',
  first_name: 'Test Firstname',
  last_name: 'Test Lastname',
  username: 'Testusername',
};

export const telegramUpdates = {
  text: (updateId: number, text: string) => ({
    update_id: updateId,
    message: { message_id: updateId, date: 1441645532, chat, from, text },
  }),
  document: (updateId: number) => ({
    update_id: updateId,
    message: {
      message_id: updateId,
      date: 1441645532,
      chat,
      from,
      document: {
        file_id: 'BQACAgIAAxkBAAIBQ2dmZmlsZS1kb2N1bWVudA',
        file_unique_id: 'u1',
        file_name: 'Testfile.pdf',
        mime_type: 'application/pdf',
        file_size: 536392,
      },
    },
  }),
  callback: (updateId: number, data: string) => ({
    update_id: updateId,
    callback_query: {
      id: `4382bfdwdsb323b2d${updateId}`,
      from,
      chat_instance: '-1234',
      data,
      message: { message_id: 1, date: 0, chat },
    },
  }),
};
