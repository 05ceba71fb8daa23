// Fake VK API (dev.vk.com/method; VKCOM/vk-api-schema 5.199): messages.send (which, like VK,
// drops a second send with the same random_id), messages.sendMessageEventAnswer,
// groups.getById, the document upload chain, and file links. Errors come back with HTTP 200 and
// an error object, as VK does. Callback bodies follow the schema's callback_base and
// callback_message_new / callback_message_event objects.
import { startFakeProvider, type FakeProvider } from './provider.js';

export const VK_TOKEN = 'vk1.a.community-token';
export const VK_GROUP = 229000111;
export const VK_SECRET = 'vk-callback-secret';
export const VK_CONFIRMATION = 'a1b2c3d4';
export const VK_DOC = Buffer.from('%PDF-1.4 vk document\n');

export interface FakeVk extends FakeProvider {
  /** messages.send calls VK accepted (a repeated random_id is not a new message). */
  delivered(): Record<string, unknown>[];
}

export async function startFakeVk(): Promise<FakeVk> {
  let next = 100;
  const byRandomId = new Map<string, number>();
  const delivered: Record<string, unknown>[] = [];
  const fake = await startFakeProvider((request) => {
    if (request.path.startsWith('/files/')) return { bytes: VK_DOC, type: 'application/pdf' };
    if (request.path === '/upload') return { json: { file: 'uploaded-file-token' } };
    const method = request.path.replace('/method/', '');
    if (request.body.access_token !== VK_TOKEN)
      return {
        json: { error: { error_code: 5, error_msg: 'User authorization failed: invalid access_token' } },
      };
    switch (method) {
      case 'groups.getById':
        return { json: { response: { groups: [{ id: VK_GROUP, name: 'Test Community' }] } } };
      case 'messages.sendMessageEventAnswer':
        return { json: { response: 1 } };
      case 'docs.getMessagesUploadServer':
        return { json: { response: { upload_url: `${fake.url}/upload` } } };
      case 'docs.save':
        return {
          json: {
            response: { type: 'doc', doc: { owner_id: 2000000001, id: 555, title: request.body.title } },
          },
        };
      case 'messages.send': {
        if (request.body.peer_id === '901')
          return {
            json: {
              error: { error_code: 901, error_msg: "Can't send messages for users without permission" },
            },
          };
        const randomId = String(request.body.random_id);
        const known = byRandomId.get(randomId);
        if (known !== undefined) return { json: { response: known } };
        const id = next++;
        byRandomId.set(randomId, id);
        delivered.push(request.body);
        return { json: { response: id } };
      }
      default:
        return undefined;
    }
  });
  return Object.assign(fake, { delivered: () => delivered });
}

export const vkEvents = {
  messageNew: (eventId: string, fromId: number, message: Record<string, unknown>, secret = VK_SECRET) => ({
    group_id: VK_GROUP,
    type: 'message_new',
    event_id: eventId,
    v: '5.199',
    object: {
      message: {
        date: 1580125800,
        from_id: fromId,
        id: Number(eventId.replace(/\D/g, '').slice(-8)) || 1,
        out: 0,
        peer_id: fromId,
        text: '',
        conversation_message_id: 1,
        fwd_messages: [],
        important: false,
        random_id: 0,
        attachments: [],
        is_hidden: false,
        ...message,
      },
      client_info: {
        button_actions: ['text', 'vkpay', 'open_app', 'location', 'open_link', 'callback'],
        keyboard: true,
        inline_keyboard: true,
        carousel: true,
        lang_id: 0,
      },
    },
    secret,
  }),
  confirmation: () => ({ type: 'confirmation', group_id: VK_GROUP }),
};
