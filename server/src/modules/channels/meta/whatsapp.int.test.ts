// WhatsApp Cloud API against the local fake Graph API: the common channel suite, plus the GET
// verification handshake, an image from Meta's OpenAPI example, reply buttons and their press,
// statuses arriving out of order, and the 24-hour window.
import { expect, it } from 'vitest';
import { channelSuite, uniqueId, type WebhookCall } from '../../../test/channel-suite.js';
import {
  MEDIA_BYTES,
  META_TOKEN,
  PHONE_NUMBER_ID,
  metaSignature,
  metaWebhook,
  startFakeGraph,
  whatsappExample,
  whatsappStatus,
} from '../../../test/fakes/meta.js';
import { waitFor } from '../../../test/webhook-receiver.js';

const APP_SECRET = 'wa-app-secret';
const VERIFY_TOKEN = 'wa-verify-token';
const signed = (payload: unknown): WebhookCall => metaWebhook(APP_SECRET, payload);

channelSuite(
  {
    kind: 'whatsapp',
    startFake: startFakeGraph,
    account: (fake) => ({
      config: { phoneNumberId: PHONE_NUMBER_ID, graphOrigin: fake.url },
      secrets: { accessToken: META_TOKEN, appSecret: APP_SECRET, verifyToken: VERIFY_TOKEN },
    }),
    inboundText: (n, text) => signed(whatsappExample('Text Message', `wamid.T${n}=`, text)),
    forge: (c) => ({ ...c, headers: { 'x-hub-signature-256': metaSignature('not-the-secret', c.body) } }),
    sentFileNames: (fake) =>
      fake
        .calls('/messages')
        .flatMap((r) => ((r.body.document as { filename?: string } | undefined)?.filename ?? []) as string[]),
    sentTexts: (fake) =>
      fake.calls('/messages').map((r) => {
        const body = r.body as { text?: { body?: string }; interactive?: { body?: { text?: string } } };
        return body.text?.body ?? body.interactive?.body?.text ?? '';
      }),
    rateLimited: {
      headers: { 'retry-after': '2' },
      json: { error: { message: '(#4) Application request limit reached', type: 'OAuthException', code: 4 } },
    },
  },
  (suite) => {
    it('answers the GET verification handshake only with the right verify token', async () => {
      const path = new URL(suite.account().webhookUrl).pathname;
      const good = await fetch(
        `${suite.server().url}${path}?hub.mode=subscribe&hub.verify_token=${VERIFY_TOKEN}&hub.challenge=1158201444`,
      );
      expect(good.status).toBe(200);
      expect(await good.text()).toBe('1158201444');
      const bad = await fetch(
        `${suite.server().url}${path}?hub.mode=subscribe&hub.verify_token=nope&hub.challenge=1`,
      );
      expect(bad.status).toBe(403);
    });

    it('keeps an image, sends reply buttons, takes the press as the answer, and keeps the furthest status', async () => {
      const text = `Цвет ${uniqueId()}`;
      await suite.post(signed(whatsappExample('Text Message', `wamid.A${uniqueId()}=`, text)));
      const conversation = await suite.conversationOf(text);
      await suite.post(signed(whatsappExample('Image Message', `wamid.I${uniqueId()}=`)));
      const image = await waitFor(
        async () =>
          (await suite.messages(conversation.id)).items.find(
            (m) => m.author.type === 'visitor' && m.attachments.length > 0,
          ),
        20_000,
      );
      expect(image).toMatchObject({
        text: 'Taj Mahal',
        attachments: [{ mime: 'image/jpeg', size: MEDIA_BYTES.length }],
      });

      const menu = await suite.reply(conversation.id, {
        text: 'Which one?',
        buttons: [
          { id: 'red', label: 'Red' },
          { id: 'blue', label: 'Blue' },
        ],
      });
      const sent = await waitFor(
        () =>
          suite
            .fake()
            .calls('/messages')
            .find((r) => r.body.type === 'interactive'),
        20_000,
      );
      expect(sent.body.interactive).toMatchObject({
        type: 'button',
        body: { text: 'Which one?' },
        action: {
          buttons: [
            { type: 'reply', reply: { id: `${menu.id}:0`, title: 'Red' } },
            { reply: { id: `${menu.id}:1`, title: 'Blue' } },
          ],
        },
      });
      const press = whatsappExample('Interactive Button Reply Message', `wamid.B${uniqueId()}=`) as {
        entry: {
          changes: {
            value: { messages: { interactive: { button_reply: { id: string; title: string } } }[] };
          }[];
        }[];
      };
      press.entry[0]!.changes[0]!.value.messages[0]!.interactive.button_reply = {
        id: `${menu.id}:1`,
        title: 'Blue',
      };
      await suite.post(signed(press));
      const answered = await waitFor(
        async () =>
          (await suite.messages(conversation.id)).items.find((m) => m.replyTo?.messageId === menu.id),
        20_000,
      );
      expect(answered).toMatchObject({ text: 'Blue', replyTo: { buttonId: 'blue' } });

      await waitFor(
        async () =>
          (await suite.deliveries(conversation.id)).find(
            (d) => d.messageId === menu.id && d.status === 'sent',
          ),
        20_000,
      );
      const wamid = (sent.answer as { messages: { id: string }[] }).messages[0]!.id;
      // Out of order: read arrives before delivered; the furthest state stays.
      await suite.post(signed(whatsappStatus(wamid, 'read')));
      await suite.post(signed(whatsappStatus(wamid, 'delivered')));
      await waitFor(
        async () =>
          (await suite.deliveries(conversation.id)).find(
            (d) => d.messageId === menu.id && d.status === 'read',
          ),
        20_000,
      );
      await new Promise((resolve) => setTimeout(resolve, 800));
      expect((await suite.deliveries(conversation.id)).find((d) => d.messageId === menu.id)?.status).toBe(
        'read',
      );
    });

    it('refuses a free-form reply outside the 24-hour window with the reason', async () => {
      const text = `Старый клиент ${uniqueId()}`;
      const from = String(79000000000 + (uniqueId() % 1_000_000));
      const payload = whatsappExample('Text Message', `wamid.W${uniqueId()}=`, text) as {
        entry: { changes: { value: { messages: { from: string }[]; contacts: { wa_id: string }[] } }[] }[];
      };
      payload.entry[0]!.changes[0]!.value.messages[0]!.from = from;
      payload.entry[0]!.changes[0]!.value.contacts[0]!.wa_id = from;
      await suite.post(signed(payload));
      const conversation = await suite.conversationOf(text);
      await suite
        .server()
        .app.storage.db.updateTable('channel_contacts')
        .set({ last_inbound_at: Date.now() - 25 * 3600_000 })
        .where('external_id', '=', from)
        .execute();
      const late = await suite.reply(conversation.id, { text: 'Sorry for the delay' });
      const failed = await waitFor(
        async () =>
          (await suite.deliveries(conversation.id)).find(
            (d) => d.messageId === late.id && d.status === 'failed',
          ),
        20_000,
      );
      expect(failed.error).toContain('24 hours');
    });
  },
);
