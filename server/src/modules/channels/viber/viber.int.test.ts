// Viber against the local fake REST Bot API: the common channel suite, plus 64-bit message
// tokens kept exact, the ?sig= form of the signature, files, keyboards and their press, and
// receipts.
import { expect, it } from 'vitest';
import { channelSuite, uniqueId, type WebhookCall } from '../../../test/channel-suite.js';
import {
  BIG_TOKEN,
  VIBER_MEDIA,
  VIBER_TOKEN,
  startFakeViber,
  viberCallback,
  viberEvents,
  viberSignature,
  viberWebhook,
} from '../../../test/fakes/viber.js';
import { waitFor } from '../../../test/webhook-receiver.js';

let token = BIG_TOKEN;
const signed = (body: string): WebhookCall => viberWebhook(body);

channelSuite(
  {
    kind: 'viber',
    startFake: startFakeViber,
    account: (fake) => ({
      config: { apiBase: `${fake.url}/pa`, senderName: 'Test Shop' },
      secrets: { authToken: VIBER_TOKEN },
    }),
    inboundText: (_n, text) => signed(viberCallback(viberEvents.text(text), token++)),
    forge: (c) => ({
      ...c,
      headers: { 'x-viber-content-signature': viberSignature(c.body, 'another-token') },
    }),
    sentFileNames: (fake) =>
      fake
        .calls('/send_message')
        .flatMap((r) =>
          r.body.type === 'file' && String(r.body.media).startsWith('http') ? [String(r.body.file_name)] : [],
        ),
    sentTexts: (fake) => fake.calls('/send_message').map((r) => String(r.body.text ?? '')),
  },
  (suite) => {
    it('keeps tokens that differ beyond 2^53 apart, and accepts the signature as ?sig=', async () => {
      const sender = `u${uniqueId()}=`;
      const first = `Первое ${uniqueId()}`;
      const second = `Второе ${uniqueId()}`;
      // Consecutive 64-bit tokens are one number to JSON.parse: a naive dedupe would drop the second.
      expect(Number(BIG_TOKEN + 500n)).toBe(Number(BIG_TOKEN + 501n));
      await suite.post(signed(viberCallback(viberEvents.text(first, sender), BIG_TOKEN + 500n)));
      const body = viberCallback(viberEvents.text(second, sender), BIG_TOKEN + 501n);
      const bySig = await suite.post({ body, headers: {}, query: `?sig=${viberSignature(body)}` });
      expect(bySig.status).toBe(200);
      const conversation = await suite.conversationOf(first);
      await waitFor(
        async () => (await suite.messages(conversation.id)).items.find((m) => m.text === second),
        20_000,
      );
    });

    it('keeps a file, sends a keyboard, takes the press as the answer, and records receipts', async () => {
      const sender = `u${uniqueId()}=`;
      const text = `Счёт ${uniqueId()}`;
      await suite.post(signed(viberCallback(viberEvents.text(text, sender), token++)));
      const conversation = await suite.conversationOf(text);
      await suite.post(
        signed(viberCallback(viberEvents.file(`${suite.fake().url}/media/invoice.pdf`, sender), token++)),
      );
      const file = await waitFor(
        async () => (await suite.messages(conversation.id)).items.find((m) => m.attachments.length > 0),
        20_000,
      );
      expect(file.attachments[0]).toMatchObject({ name: 'invoice.pdf', size: VIBER_MEDIA.length });

      const menu = await suite.reply(conversation.id, {
        text: 'Pay now?',
        buttons: [
          { id: 'yes', label: 'Yes' },
          { id: 'site', label: 'Site', url: 'https://example.com/' },
        ],
      });
      const sent = await waitFor(
        () =>
          suite
            .fake()
            .calls('/send_message')
            .find((r) => r.body.text === 'Pay now?'),
        20_000,
      );
      expect(sent.body).toMatchObject({
        receiver: sender,
        sender: { name: 'Test Shop' },
        tracking_data: JSON.stringify({ m: menu.id }),
        keyboard: {
          Type: 'keyboard',
          Buttons: [
            { ActionType: 'reply', ActionBody: 'Yes', Text: 'Yes' },
            { ActionType: 'open-url', ActionBody: 'https://example.com/', Text: 'Site' },
          ],
        },
      });
      await suite.post(
        signed(
          viberCallback(
            viberEvents.text('Yes', sender, { tracking_data: JSON.stringify({ m: menu.id }) }),
            token++,
          ),
        ),
      );
      const answered = await waitFor(
        async () =>
          (await suite.messages(conversation.id)).items.find((m) => m.replyTo?.messageId === menu.id),
        20_000,
      );
      expect(answered).toMatchObject({ text: 'Yes', replyTo: { buttonId: 'yes' } });

      await waitFor(
        async () =>
          (await suite.deliveries(conversation.id)).find(
            (d) => d.messageId === menu.id && d.status === 'sent',
          ),
        20_000,
      );
      const stored = await suite
        .server()
        .app.storage.db.selectFrom('channel_outbound')
        .select('provider_message_id')
        .where('message_id', '=', menu.id)
        .executeTakeFirstOrThrow();
      expect(stored.provider_message_id).toMatch(/^\d{19}$/);
      await suite.post(
        signed(viberCallback(viberEvents.receipt('seen', sender), BigInt(stored.provider_message_id!))),
      );
      await waitFor(
        async () =>
          (await suite.deliveries(conversation.id)).find(
            (d) => d.messageId === menu.id && d.status === 'read',
          ),
        20_000,
      );
    });
  },
);
