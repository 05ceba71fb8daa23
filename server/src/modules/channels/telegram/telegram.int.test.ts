// Telegram against the local fake Bot API: the common channel suite, plus a document, inline
// keyboard buttons and a button press answered as a reply to that button.
import { expect, it } from 'vitest';
import { channelSuite, uniqueId, type WebhookCall } from '../../../test/channel-suite.js';
import {
  FILE_BYTES,
  TELEGRAM_TOKEN,
  startFakeTelegram,
  telegramUpdates,
} from '../../../test/fakes/telegram.js';
import { waitFor } from '../../../test/webhook-receiver.js';

const SECRET = 'tg-secret_123';
const call = (update: unknown, secret = SECRET): WebhookCall => ({
  body: JSON.stringify(update),
  headers: { 'x-telegram-bot-api-secret-token': secret },
});

channelSuite(
  {
    kind: 'telegram',
    startFake: startFakeTelegram,
    account: (fake) => ({
      config: { apiBase: fake.url },
      secrets: { botToken: TELEGRAM_TOKEN, webhookSecret: SECRET },
    }),
    inboundText: (n, text) => call(telegramUpdates.text(n, text)),
    forge: (c) => ({ ...c, headers: { 'x-telegram-bot-api-secret-token': 'wrong-secret' } }),
    sentFileNames: (fake) =>
      fake.calls('/sendDocument').map((r) => (r.body.document as { name: string }).name),
    sentTexts: (fake) => fake.calls('/sendMessage').map((r) => String(r.body.text)),
    rateLimited: {
      json: {
        ok: false,
        error_code: 429,
        description: 'Too Many Requests: retry after 2',
        parameters: { retry_after: 2 },
      },
    },
  },
  (suite) => {
    it('registers the webhook with its secret token on the connection test', () => {
      const set = suite.fake().calls('/setWebhook').at(-1);
      expect(set?.body).toMatchObject({ url: suite.account().webhookUrl, secret_token: SECRET });
    });

    it('keeps a document, and turns buttons into an inline keyboard whose press answers the button', async () => {
      const text = `Документы ${uniqueId()}`;
      await suite.post(call(telegramUpdates.text(uniqueId(), text)));
      const conversation = await suite.conversationOf(text);
      await suite.post(call(telegramUpdates.document(uniqueId())));
      const withFile = await waitFor(
        async () =>
          (await suite.messages(conversation.id)).items.find(
            (m) => m.author.type === 'visitor' && m.attachments.length > 0,
          ),
        20_000,
      );
      expect(withFile.attachments[0]).toMatchObject({ name: 'Testfile.pdf', size: FILE_BYTES.length });

      const menu = await suite.reply(conversation.id, {
        text: 'Choose',
        buttons: [
          { id: 'track', label: 'Track order' },
          { id: 'site', label: 'Website', url: 'https://example.com/' },
        ],
      });
      const sent = await waitFor(
        () =>
          suite
            .fake()
            .calls('/sendMessage')
            .find((r) => r.body.text === 'Choose'),
        20_000,
      );
      expect(sent.body.reply_markup).toEqual({
        inline_keyboard: [
          [{ text: 'Track order', callback_data: `${menu.id}:0` }],
          [{ text: 'Website', url: 'https://example.com/' }],
        ],
      });
      await suite.post(call(telegramUpdates.callback(uniqueId(), `${menu.id}:0`)));
      const pressed = await waitFor(
        async () =>
          (await suite.messages(conversation.id)).items.find((m) => m.replyTo?.messageId === menu.id),
        20_000,
      );
      expect(pressed).toMatchObject({
        text: 'Track order',
        replyTo: { buttonId: 'track' },
        author: { type: 'visitor' },
      });
      await waitFor(() => suite.fake().calls('/answerCallbackQuery').at(-1), 10_000);
    });

    it('spreads a burst of replies to one chat at the Bot API pace of one a second, in order', async () => {
      const text = `Burst ${uniqueId()}`;
      const update = telegramUpdates.text(uniqueId(), text);
      const chatId = 7_000_000 + (uniqueId() % 1_000_000);
      update.message.chat = { ...update.message.chat, id: chatId };
      await suite.post(call(update));
      const conversation = await suite.conversationOf(text);
      const lines = ['one', 'two', 'three', 'four'].map((word) => `${word} ${uniqueId()}`);
      for (const line of lines) await suite.reply(conversation.id, { text: line });
      const sent = await waitFor(() => {
        const calls = suite
          .fake()
          .calls('/sendMessage')
          .filter((r) => Number(r.body.chat_id) === chatId);
        return calls.length === lines.length ? calls : undefined;
      }, 20_000);
      expect(sent.map((r) => r.body.text)).toEqual(lines);
      // At most one send per one-second window: four sends span at least three window edges.
      const gaps = sent.slice(1).map((r, i) => r.receivedAt - sent[i]!.receivedAt);
      expect(sent.at(-1)!.receivedAt - sent[0]!.receivedAt).toBeGreaterThanOrEqual(2_000);
      expect(gaps.filter((gap) => gap < 50).length).toBe(0);
    });

    it('fails a reply the provider refuses for good and shows the reason', async () => {
      const text = `Blocked ${uniqueId()}`;
      const update = telegramUpdates.text(uniqueId(), text);
      update.message.chat = { ...update.message.chat, id: 403 };
      await suite.post(call(update));
      const conversation = await suite.conversationOf(text);
      const sent = await suite.reply(conversation.id, { text: 'Are you there?' });
      const failed = await waitFor(
        async () =>
          (await suite.deliveries(conversation.id)).find(
            (d) => d.messageId === sent.id && d.status === 'failed',
          ),
        20_000,
      );
      expect(failed.error).toContain('bot was blocked by the user');
    });
  },
);
