// One integration suite every channel runs against its local fake provider, on the test project's
// database: an inbound message reaches the operator's inbox live; the same delivery twice is
// stored once; a forged signature is refused with nothing stored; the operator's reply reaches the
// fake in the provider's format; a provider down for a while gets the reply exactly once after, and
// one that asks us to slow down gets it no sooner than it asked.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChannelAccount, ChannelDelivery, Conversation, MessagePage } from '@frontline/protocol';
import {
  clientId,
  connected,
  createWorkspace,
  login,
  nextConversationUpdate,
  type ClientSocket,
  type StaffClient,
  type TestWorkspace,
} from './factories.js';
import { postWebhook, type FakeAnswer, type FakeProvider, type WebhookCall } from './fakes/provider.js';
import { startTestServer, type TestServer } from './harness.js';
import { waitFor } from './webhook-receiver.js';

export type { WebhookCall };

export interface ChannelSpec {
  kind: ChannelAccount['kind'];
  startFake(): Promise<FakeProvider>;
  account(fake: FakeProvider): { config: Record<string, string>; secrets: Record<string, string> };
  /** A signed inbound text message with a unique provider id. */
  inboundText(n: number, text: string): WebhookCall;
  /** The same body with a signature that does not match. */
  forge(call: WebhookCall): WebhookCall;
  /** The texts the fake received as sent messages. */
  sentTexts(fake: FakeProvider): string[];
  /** Names of the files the fake received (uploaded or linked) with sent messages. */
  sentFileNames(fake: FakeProvider): string[];
  /** What the webhook answers a good delivery with (VK: "ok"). */
  okBody?: string;
  /** The provider's HTTP 429 to a send, asking us to wait 2 s (Retry-After, or in the body). */
  rateLimited?: FakeAnswer;
}

export interface ChannelSuite {
  server: () => TestServer;
  admin: () => StaffClient;
  operator: () => StaffClient;
  fake: () => FakeProvider;
  account: () => ChannelAccount;
  post(call: WebhookCall): Promise<Response>;
  conversationOf(text: string): Promise<Conversation>;
  messages(conversationId: string): Promise<MessagePage>;
  reply(conversationId: string, body: Record<string, unknown>): Promise<{ id: string }>;
  deliveries(conversationId: string): Promise<ChannelDelivery[]>;
}

let counter = 0;
export const uniqueId = () => Date.now() * 100 + (++counter % 100);

export function channelSuite(spec: ChannelSpec, extra?: (suite: ChannelSuite) => void): void {
  let server: TestServer;
  let workspace: TestWorkspace;
  let admin: StaffClient;
  let operator: StaffClient;
  let socket: ClientSocket;
  let fake: FakeProvider;
  let account: ChannelAccount;

  const suite: ChannelSuite = {
    server: () => server,
    admin: () => admin,
    operator: () => operator,
    fake: () => fake,
    account: () => account,
    post: (call) => postWebhook(`${server.url}${new URL(account.webhookUrl).pathname}`, call),
    async conversationOf(text) {
      return waitFor(async () => {
        const list = await operator.json<{ items: Conversation[] }>(
          'GET',
          `/api/conversations?channel=${spec.kind}&limit=100&q=${encodeURIComponent(text)}`,
        );
        return list.items[0];
      }, 20_000);
    },
    messages: (id) => operator.json<MessagePage>('GET', `/api/conversations/${id}/messages`),
    reply: (id, body) =>
      operator.json<{ id: string }>('POST', `/api/conversations/${id}/messages`, {
        clientMsgId: clientId(),
        ...body,
      }),
    deliveries: (id) =>
      operator.json<ChannelDelivery[]>('GET', `/api/conversations/${id}/channel-deliveries`),
  };

  describe(`${spec.kind} channel`, () => {
    beforeAll(async () => {
      server = await startTestServer({ CHANNEL_RETRY_BASE_MS: '200', CHANNEL_MAX_ATTEMPTS: '6' });
      workspace = await createWorkspace(server);
      admin = await login(server, workspace.admin);
      operator = await login(server, workspace.operator);
      socket = await connected(operator.socket());
      fake = await spec.startFake();
      account = await admin.json<ChannelAccount>('POST', '/api/channels', {
        kind: spec.kind,
        name: `${spec.kind} test`,
        ...spec.account(fake),
      });
    }, 60_000);
    afterAll(async () => {
      socket?.disconnect();
      await fake?.close();
      await server?.close();
    });

    it('keeps secrets out of the API and answers the connection test', async () => {
      const listed = await admin.json<ChannelAccount[]>('GET', '/api/channels');
      const text = JSON.stringify(listed);
      for (const value of Object.values(spec.account(fake).secrets)) expect(text).not.toContain(value);
      expect(listed[0]?.secretsSet.length).toBeGreaterThan(0);
      const test = await admin.json<{ ok: boolean; detail: string }>(
        'POST',
        `/api/channels/${account.id}/test`,
      );
      expect(test, test.detail).toMatchObject({ ok: true });
      const refused = await operator.request('GET', '/api/channels');
      expect(refused.status).toBe(403);
    });

    it('puts an inbound message into the operator inbox live, once however often it is delivered', async () => {
      const text = `Привет, где мой заказ ${uniqueId()}?`;
      const call = spec.inboundText(uniqueId(), text);
      const live = nextConversationUpdate(
        socket,
        (c) => c.channel === spec.kind && c.lastMessagePreview === text,
        20_000,
      );
      const first = await suite.post(call);
      expect(first.status).toBe(200);
      if (spec.okBody) expect(await first.text()).toBe(spec.okBody);
      const conversation = await live;
      expect(conversation.status).not.toBe('resolved');
      const again = await suite.post(call);
      expect(again.status).toBe(200);
      await new Promise((resolve) => setTimeout(resolve, 1500));
      const page = await suite.messages(conversation.id);
      expect(page.items.filter((m) => m.text === text)).toHaveLength(1);
    });

    it('refuses a forged signature and stores nothing', async () => {
      const text = `forged ${uniqueId()}`;
      const response = await suite.post(spec.forge(spec.inboundText(uniqueId(), text)));
      expect([401, 403]).toContain(response.status);
      await new Promise((resolve) => setTimeout(resolve, 800));
      const list = await operator.json<{ items: Conversation[] }>(
        'GET',
        `/api/conversations?q=${encodeURIComponent(text)}`,
      );
      expect(list.items).toHaveLength(0);
    });

    it("delivers the operator's reply to the provider, and after an outage exactly once", async () => {
      const text = `Question ${uniqueId()}`;
      await suite.post(spec.inboundText(uniqueId(), text));
      const conversation = await suite.conversationOf(text);
      const answer = `Ответ оператора ${uniqueId()}`;
      const sent = await suite.reply(conversation.id, { text: answer });
      await waitFor(() => spec.sentTexts(fake).some((t) => t.includes(answer)) || undefined, 20_000);
      const delivered = await waitFor(
        async () =>
          (await suite.deliveries(conversation.id)).find(
            (d) => d.messageId === sent.id && d.status !== 'pending',
          ),
        20_000,
      );
      expect(delivered.status).toBe('sent');

      fake.failNext(3, 503);
      const later = `После сбоя ${uniqueId()}`;
      const retried = await suite.reply(conversation.id, { text: later });
      const after = await waitFor(
        async () =>
          (await suite.deliveries(conversation.id)).find(
            (d) => d.messageId === retried.id && d.status === 'sent',
          ),
        30_000,
      );
      expect(after.attempts).toBeGreaterThanOrEqual(4);
      await new Promise((resolve) => setTimeout(resolve, 1000));
      expect(spec.sentTexts(fake).filter((t) => t.includes(later))).toHaveLength(1);
    });

    it('sends a file the operator attached', async () => {
      const text = `File please ${uniqueId()}`;
      await suite.post(spec.inboundText(uniqueId(), text));
      const conversation = await suite.conversationOf(text);
      const name = `offer-${uniqueId()}.pdf`;
      const file = await operator.upload(name, '%PDF-1.4 offer\n', 'application/pdf');
      await suite.reply(conversation.id, { text: 'Here is the offer', fileIds: [file.id] });
      await waitFor(() => spec.sentFileNames(fake).includes(name) || undefined, 20_000);
    });

    if (spec.rateLimited)
      it('after a 429 sends again no sooner than the provider asked, once, saying why it waits, and the next reply waits behind it', async () => {
        const text = `Flood ${uniqueId()}`;
        await suite.post(spec.inboundText(uniqueId(), text));
        const conversation = await suite.conversationOf(text);
        fake.failNext(1, 429, spec.rateLimited);
        const answer = `Не спешим ${uniqueId()}`;
        const asked = Date.now();
        const sent = await suite.reply(conversation.id, { text: answer });
        const next = `Следом ${uniqueId()}`;
        const sentNext = await suite.reply(conversation.id, { text: next });
        const waiting = await waitFor(
          async () =>
            (await suite.deliveries(conversation.id)).find((d) => d.messageId === sent.id && d.error),
          10_000,
        );
        expect(waiting.status).toBe('pending');
        expect(waiting.error).toMatch(/ limits how fast we send \(HTTP 429\) and asked to wait 2 s$/);
        const delivered = await waitFor(
          async () =>
            (await suite.deliveries(conversation.id)).find(
              (d) => d.messageId === sent.id && d.status === 'sent',
            ),
          20_000,
        );
        expect(delivered.attempts).toBe(2);
        const sends = fake.requests.filter((r) => JSON.stringify(r.body).includes(answer));
        expect(sends).toHaveLength(1);
        expect(sends[0]!.receivedAt - asked).toBeGreaterThanOrEqual(2_000);
        // The chat's replies keep their order: the next one left only after the one held back.
        await waitFor(
          async () =>
            (await suite.deliveries(conversation.id)).find(
              (d) => d.messageId === sentNext.id && d.status === 'sent',
            ),
          20_000,
        );
        const order = fake.requests
          .map((r) => JSON.stringify(r.body))
          .filter((body) => body.includes(answer) || body.includes(next))
          .map((body) => (body.includes(answer) ? 'held back' : 'next'));
        expect(order).toEqual(['held back', 'next']);
      });

    extra?.(suite);
  });
}
