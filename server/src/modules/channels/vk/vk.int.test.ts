// VK against the local fake API: the common channel suite, plus the confirmation handshake, a
// document, an inline keyboard and its text-button press, and a refusal shown to the operator.
import { expect, it } from 'vitest';
import { channelSuite, uniqueId, type WebhookCall } from '../../../test/channel-suite.js';
import {
  VK_CONFIRMATION,
  VK_DOC,
  VK_GROUP,
  VK_SECRET,
  VK_TOKEN,
  startFakeVk,
  vkEvents,
  type FakeVk,
} from '../../../test/fakes/vk.js';
import { waitFor } from '../../../test/webhook-receiver.js';

const call = (payload: unknown): WebhookCall => ({ body: JSON.stringify(payload), headers: {} });
const USER = 123456;

channelSuite(
  {
    kind: 'vk',
    startFake: startFakeVk,
    account: (fake) => ({
      config: { groupId: String(VK_GROUP), apiBase: fake.url },
      secrets: { accessToken: VK_TOKEN, secret: VK_SECRET, confirmation: VK_CONFIRMATION },
    }),
    inboundText: (n, text) => call(vkEvents.messageNew(`ev${n}`, USER, { text })),
    forge: (c) => ({ ...c, body: c.body.replace(`"secret":"${VK_SECRET}"`, '"secret":"guess"') }),
    sentFileNames: (fake) =>
      (fake as FakeVk).delivered().some((b) => String(b.attachment ?? '').startsWith('doc'))
        ? fake.calls('/upload').map((r) => (r.body.file as { name: string }).name)
        : [],
    sentTexts: (fake) => (fake as FakeVk).delivered().map((b) => String(b.message ?? '')),
    okBody: 'ok',
  },
  (suite) => {
    it('answers the confirmation request with the confirmation string', async () => {
      const response = await suite.post(call(vkEvents.confirmation()));
      expect(response.status).toBe(200);
      expect(await response.text()).toBe(VK_CONFIRMATION);
    });

    it('keeps a document, sends an inline keyboard, and takes the press as the answer', async () => {
      const user = 200000 + (uniqueId() % 100000);
      const text = `Договор ${uniqueId()}`;
      await suite.post(call(vkEvents.messageNew(`ev${uniqueId()}`, user, { text })));
      const conversation = await suite.conversationOf(text);
      await suite.post(
        call(
          vkEvents.messageNew(`ev${uniqueId()}`, user, {
            attachments: [
              {
                type: 'doc',
                doc: {
                  id: 1,
                  owner_id: user,
                  title: 'contract.pdf',
                  size: VK_DOC.length,
                  ext: 'pdf',
                  url: `${suite.fake().url}/files/contract.pdf`,
                },
              },
            ],
          }),
        ),
      );
      const doc = await waitFor(
        async () => (await suite.messages(conversation.id)).items.find((m) => m.attachments.length > 0),
        20_000,
      );
      expect(doc.attachments[0]).toMatchObject({ name: 'contract.pdf', size: VK_DOC.length });

      const menu = await suite.reply(conversation.id, {
        text: 'Sign it?',
        buttons: [{ id: 'ok', label: 'Sign' }],
      });
      const sent = await waitFor(
        () => (suite.fake() as FakeVk).delivered().find((b) => b.message === 'Sign it?'),
        20_000,
      );
      expect(sent.peer_id).toBe(String(user));
      expect(Number(sent.random_id)).toEqual(expect.any(Number));
      expect(JSON.parse(String(sent.keyboard))).toEqual({
        inline: true,
        buttons: [
          [
            {
              action: { type: 'text', label: 'Sign', payload: JSON.stringify({ b: `${menu.id}:0` }) },
              color: 'primary',
            },
          ],
        ],
      });
      await suite.post(
        call(
          vkEvents.messageNew(`ev${uniqueId()}`, user, {
            text: 'Sign',
            payload: JSON.stringify({ b: `${menu.id}:0` }),
          }),
        ),
      );
      const answered = await waitFor(
        async () =>
          (await suite.messages(conversation.id)).items.find((m) => m.replyTo?.messageId === menu.id),
        20_000,
      );
      expect(answered).toMatchObject({ text: 'Sign', replyTo: { buttonId: 'ok' } });
    });

    it("shows VK's refusal on the reply", async () => {
      const text = `No permission ${uniqueId()}`;
      await suite.post(call(vkEvents.messageNew(`ev${uniqueId()}`, 901, { text })));
      const conversation = await suite.conversationOf(text);
      const sent = await suite.reply(conversation.id, { text: 'Hello?' });
      const failed = await waitFor(
        async () =>
          (await suite.deliveries(conversation.id)).find(
            (d) => d.messageId === sent.id && d.status === 'failed',
          ),
        20_000,
      );
      expect(failed.error).toContain('without permission');
    });
  },
);
