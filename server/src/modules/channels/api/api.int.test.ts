// The API channel against a fake company app: the common channel suite (signed inbound messages,
// signed replies to the app's URL, retries while the app is down), plus buttons, a file by URL,
// and statuses reported back by the app.
import { expect, it } from 'vitest';
import { channelSuite, uniqueId, type WebhookCall } from '../../../test/channel-suite.js';
import { APP_SECRET, appSignature, appWebhook, startFakeApp } from '../../../test/fakes/api-app.js';
import { waitFor } from '../../../test/webhook-receiver.js';

const signed = (payload: unknown): WebhookCall => appWebhook(payload);
const message = (id: string, userId: string, fields: Record<string, unknown>) => ({
  type: 'message',
  id,
  user: { id: userId, name: 'App User' },
  ...fields,
});

channelSuite(
  {
    kind: 'api',
    startFake: startFakeApp,
    account: (fake) => ({
      config: { webhookUrl: `${fake.url}/hooks` },
      secrets: { signingSecret: APP_SECRET },
    }),
    inboundText: (n, text) => signed(message(`msg-${n}`, 'user-1', { text })),
    forge: (c) => ({
      ...c,
      headers: { 'frontline-signature': appSignature(c.body, 'not-the-secret-at-all') },
    }),
    sentFileNames: (fake) =>
      fake
        .calls('/hooks')
        .flatMap((r) =>
          ((r.body.files as { name: string; url: string }[] | undefined) ?? [])
            .filter((f) => f.url.includes('/files/'))
            .map((f) => f.name),
        ),
    sentTexts: (fake) =>
      fake
        .calls('/hooks')
        .filter((r) => r.body.type === 'message')
        .map((r) => String(r.body.text)),
  },
  (suite) => {
    it('takes a file by URL, sends buttons with payloads, takes the press, and records statuses', async () => {
      const user = `user-${uniqueId()}`;
      const text = `Из приложения ${uniqueId()}`;
      await suite.post(signed(message(`m-${uniqueId()}`, user, { text })));
      const conversation = await suite.conversationOf(text);
      await suite.post(
        signed(
          message(`m-${uniqueId()}`, user, {
            files: [{ url: `${suite.fake().url}/files/a.txt`, name: 'a.txt', mime: 'text/plain' }],
          }),
        ),
      );
      await waitFor(
        async () =>
          (await suite.messages(conversation.id)).items.find((m) => m.attachments[0]?.name === 'a.txt'),
        20_000,
      );

      const menu = await suite.reply(conversation.id, {
        text: 'Rate us',
        buttons: [{ id: 'good', label: 'Good' }],
      });
      const sent = await waitFor(
        () =>
          suite
            .fake()
            .calls('/hooks')
            .find((r) => r.body.text === 'Rate us'),
        20_000,
      );
      expect(sent.body).toMatchObject({
        type: 'message',
        id: menu.id,
        to: user,
        buttons: [{ label: 'Good', url: null, payload: `${menu.id}:0` }],
      });
      await suite.post(signed(message(`m-${uniqueId()}`, user, { buttonPayload: `${menu.id}:0` })));
      const answered = await waitFor(
        async () =>
          (await suite.messages(conversation.id)).items.find((m) => m.replyTo?.messageId === menu.id),
        20_000,
      );
      expect(answered).toMatchObject({ text: 'Good', replyTo: { buttonId: 'good' } });

      await waitFor(
        async () =>
          (await suite.deliveries(conversation.id)).find(
            (d) => d.messageId === menu.id && d.status === 'sent',
          ),
        20_000,
      );
      await suite.post(signed({ type: 'status', messageId: menu.id, status: 'read' }));
      await waitFor(
        async () =>
          (await suite.deliveries(conversation.id)).find(
            (d) => d.messageId === menu.id && d.status === 'read',
          ),
        20_000,
      );
    });

    it('refuses a signature older than five minutes', async () => {
      const body = JSON.stringify(message(`m-${uniqueId()}`, 'user-old', { text: 'replayed' }));
      const response = await suite.post({
        body,
        headers: {
          'frontline-signature': appSignature(body, APP_SECRET, Math.floor(Date.now() / 1000) - 600),
        },
      });
      expect(response.status).toBe(401);
    });
  },
);
