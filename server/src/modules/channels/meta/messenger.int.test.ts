// Facebook Messenger against the local fake Graph API: the common channel suite, plus an image
// attachment, quick replies and their press, and delivery receipts by mid.
import { expect, it } from 'vitest';
import { channelSuite, uniqueId, type WebhookCall } from '../../../test/channel-suite.js';
import {
  MEDIA_BYTES,
  META_TOKEN,
  PAGE_ID,
  messengerEvents,
  metaSignature,
  metaWebhook,
  startFakeGraph,
} from '../../../test/fakes/meta.js';
import { waitFor } from '../../../test/webhook-receiver.js';

const APP_SECRET = 'fb-app-secret';
const signed = (payload: unknown): WebhookCall => metaWebhook(APP_SECRET, payload);

channelSuite(
  {
    kind: 'messenger',
    startFake: startFakeGraph,
    account: (fake) => ({
      config: { pageId: PAGE_ID, graphOrigin: fake.url },
      secrets: { pageAccessToken: META_TOKEN, appSecret: APP_SECRET, verifyToken: 'fb-verify' },
    }),
    inboundText: (n, text) => signed(messengerEvents.envelope(messengerEvents.text(`m_${n}`, text))),
    forge: (c) => ({ ...c, headers: { 'x-hub-signature-256': metaSignature('wrong', c.body) } }),
    sentFileNames: (fake) =>
      fake
        .calls('/me/messages')
        .flatMap((r) => ((r.body.filedata as { name?: string } | undefined)?.name ?? []) as string[]),
    sentTexts: (fake) =>
      fake
        .calls('/me/messages')
        .map((r) => String((r.body.message as { text?: string } | undefined)?.text ?? '')),
  },
  (suite) => {
    it('keeps an image, sends quick replies, takes the tap as the answer and records delivery', async () => {
      const psid = String(uniqueId());
      const text = `Размер ${uniqueId()}`;
      await suite.post(signed(messengerEvents.envelope(messengerEvents.text(`m_${uniqueId()}`, text, psid))));
      const conversation = await suite.conversationOf(text);
      await suite.post(
        signed(
          messengerEvents.envelope(
            messengerEvents.image(`m_${uniqueId()}`, `${suite.fake().url}/cdn/photo.jpg`, psid),
          ),
        ),
      );
      const image = await waitFor(
        async () => (await suite.messages(conversation.id)).items.find((m) => m.attachments.length > 0),
        20_000,
      );
      expect(image.attachments[0]).toMatchObject({ size: MEDIA_BYTES.length });

      const menu = await suite.reply(conversation.id, {
        text: 'Pick a size',
        buttons: [
          { id: 's', label: 'S' },
          { id: 'm', label: 'M' },
        ],
      });
      const sent = await waitFor(
        () =>
          suite
            .fake()
            .calls('/me/messages')
            .find((r) => (r.body.message as { text?: string }).text === 'Pick a size'),
        20_000,
      );
      expect(sent.body).toMatchObject({
        recipient: { id: psid },
        messaging_type: 'RESPONSE',
        message: {
          quick_replies: [
            { content_type: 'text', title: 'S', payload: `${menu.id}:0` },
            { title: 'M', payload: `${menu.id}:1` },
          ],
        },
      });
      await suite.post(
        signed(
          messengerEvents.envelope(messengerEvents.quickReply(`m_${uniqueId()}`, 'M', `${menu.id}:1`, psid)),
        ),
      );
      const answered = await waitFor(
        async () =>
          (await suite.messages(conversation.id)).items.find((m) => m.replyTo?.messageId === menu.id),
        20_000,
      );
      expect(answered).toMatchObject({ text: 'M', replyTo: { buttonId: 'm' } });

      const mid = (sent.answer as { message_id: string }).message_id;
      await waitFor(
        async () =>
          (await suite.deliveries(conversation.id)).find(
            (d) => d.messageId === menu.id && d.status === 'sent',
          ),
        20_000,
      );
      await suite.post(signed(messengerEvents.envelope(messengerEvents.delivery([mid], psid))));
      await waitFor(
        async () =>
          (await suite.deliveries(conversation.id)).find(
            (d) => d.messageId === menu.id && d.status === 'delivered',
          ),
        20_000,
      );
      // A read watermark names a time: every reply sent up to it is read.
      await suite.post(signed(messengerEvents.envelope(messengerEvents.read(Date.now() + 1000, psid))));
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
