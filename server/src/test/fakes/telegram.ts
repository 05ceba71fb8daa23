// Fake Telegram Bot API (core.telegram.org/bots/api): getMe, setWebhook, send*, getFile and the
// file download path, answerCallbackQuery. Update payloads follow the official samples
// (core.telegram.org/bots/webhooks#testing-your-bot-with-updates) corrected to the Bot API spec
// (data/channels/telegram: CallbackQuery.chat_instance is required), with unique update_ids.
import { startFakeProvider, type FakeProvider } from './provider.js';

export const TELEGRAM_TOKEN = '123456:TEST-token_abc';
export const FILE_BYTES = Buffer.from('%PDF-1.4 fake telegram document\n');

export async function startFakeTelegram(): Promise<FakeProvider> {
  let nextId = 1000;
  return startFakeProvider((request) => {
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
