// Telegram by long polling against the local fake Bot API, nodes sharing one database: messages
// arrive by getUpdates after the webhook is deleted; a restarted node reads on from the stored
// offset (nothing repeated, nothing lost); two nodes poll the bot once between them (Telegram
// would end one of two concurrent polls with 409); another program polling the same bot and a bad
// token show as the channel's error; switching back to the webhook stops polling and sets it again.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChannelAccount, Conversation, MessagePage } from '@frontline/protocol';
import { createWorkspace, login, type StaffClient, type TestWorkspace } from '../../../test/factories.js';
import {
  TELEGRAM_TOKEN,
  startFakeTelegram,
  telegramUpdates,
  type FakeTelegram,
} from '../../../test/fakes/telegram.js';
import { nodesOnOneDatabase, type SharedDatabaseNodes, type TestServer } from '../../../test/harness.js';
import { uniqueId } from '../../../test/channel-suite.js';
import { waitFor } from '../../../test/webhook-receiver.js';

const SECRET = 'tg-poll-secret_1';
const ENV = {
  CHANNEL_READER_LEASE_MS: '3000',
  CHANNEL_RETRY_BASE_MS: '200',
  CHANNEL_READER_RETRY_MAX_MS: '1000',
};

let fake: FakeTelegram;
let nodes: SharedDatabaseNodes;
let workspace: TestWorkspace;
let account: ChannelAccount;
let firstNode: TestServer;
const staff = (server: TestServer, role: 'admin' | 'operator' = 'operator') => login(server, workspace[role]);
const settle = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A person writes to the bot: the update waits at the fake for getUpdates. */
function write(text: string): number {
  const id = uniqueId();
  fake.queue(telegramUpdates.text(id, text));
  return id;
}
const conversationAbout = (client: StaffClient, text: string) =>
  waitFor(
    async () =>
      (
        await client.json<{ items: Conversation[] }>(
          'GET',
          `/api/conversations?channel=telegram&q=${encodeURIComponent(text)}`,
        )
      ).items[0],
    20_000,
  );
const visitorTexts = async (client: StaffClient, id: string) =>
  (await client.json<MessagePage>('GET', `/api/conversations/${id}/messages`)).items
    .filter((m) => m.author.type === 'visitor')
    .map((m) => m.text);
const offsets = () => fake.calls('/getUpdates').map((r) => Number(r.body.offset));
const errorOf = async (client: StaffClient, id: string) =>
  (await client.json<ChannelAccount[]>('GET', '/api/channels')).find((c) => c.id === id)?.lastError;

beforeAll(async () => {
  fake = await startFakeTelegram();
  nodes = await nodesOnOneDatabase(ENV);
  firstNode = await nodes.start();
  workspace = await createWorkspace(firstNode);
  const admin = await staff(firstNode, 'admin');
  // A webhook set before, as a bot that used one would have.
  await fetch(`${fake.url}/bot${TELEGRAM_TOKEN}/setWebhook`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ url: 'https://old.example.com/hook' }),
  });
  account = await admin.json<ChannelAccount>('POST', '/api/channels', {
    kind: 'telegram',
    name: 'Shop bot (polling)',
    config: { apiBase: fake.url, inbound: 'polling' },
    secrets: { botToken: TELEGRAM_TOKEN, webhookSecret: SECRET },
  });
}, 60_000);

afterAll(async () => {
  await nodes?.close();
  await fake?.close();
});

describe('Telegram channel by long polling', () => {
  let node: TestServer;
  let operator: StaffClient;
  let first: { text: string; updateId: number; conversationId: string };

  it('deletes the webhook, then takes messages in by getUpdates, and its connection test leaves the webhook alone', async () => {
    node = firstNode;
    operator = await staff(node);
    const text = `Где мой заказ ${uniqueId()}?`;
    const updateId = write(text);
    const conversation = await conversationAbout(operator, text);
    expect(await visitorTexts(operator, conversation.id)).toEqual([text]);
    const deleted = fake.calls('/deleteWebhook')[0]!;
    expect(deleted.receivedAt).toBeLessThanOrEqual(fake.calls('/getUpdates')[0]!.receivedAt);
    expect(fake.webhookUrl()).toBe('');
    expect(fake.calls('/getUpdates')[0]!.body).toMatchObject({ timeout: 25 });
    await waitFor(() => (offsets().includes(updateId + 1) ? true : undefined));

    const admin = await staff(node, 'admin');
    const test = await admin.json<{ ok: boolean; detail: string }>(
      'POST',
      `/api/channels/${account.id}/test`,
    );
    expect(test).toEqual({ ok: true, detail: 'Connected as @shop_bot; updates are fetched by long polling' });
    expect(fake.calls('/setWebhook')).toHaveLength(1); // only the one made before the channel
    first = { text, updateId, conversationId: conversation.id };
  });

  it('reads on after a restart from the stored offset: nothing lost, nothing repeated', async () => {
    const before = offsets().length;
    await nodes.stop(node);
    const text = `Пока сервер спал ${uniqueId()}`;
    const updateId = write(text);
    node = await nodes.start();
    operator = await staff(node);
    const conversation = await conversationAbout(operator, text);
    expect(conversation.id).toBe(first.conversationId); // the same person, still open
    expect(await visitorTexts(operator, conversation.id)).toEqual([first.text, text]);
    // The restarted node asked from past the first update, not from the start.
    expect(offsets()[before]).toBe(first.updateId + 1);
    const all = offsets();
    expect(all).toEqual([...all].sort((a, b) => a - b));
    await waitFor(() => (offsets().includes(updateId + 1) ? true : undefined));
  });

  it('two nodes on one database poll the bot once between them; the other takes over when one stops', async () => {
    const second = await nodes.start();
    // Several lease sweeps (a third of the 3 s lease each): a second poller would have met 409.
    await settle(3000);
    const texts = [1, 2, 3].map((i) => `Вопрос ${i} ${uniqueId()}`);
    for (const text of texts) {
      write(text);
      await settle(100);
    }
    for (const text of texts) await conversationAbout(operator, text);
    await nodes.stop(node);
    node = second;
    operator = await staff(node);
    const later = `После остановки ${uniqueId()}`;
    write(later);
    const conversation = await conversationAbout(operator, later);
    expect((await visitorTexts(operator, conversation.id)).filter((t) => t === later)).toHaveLength(1);
    expect(fake.conflicts()).toBe(0);
    expect(await errorOf(await staff(node, 'admin'), account.id)).toBeNull();
  });

  it("shows another program polling the same bot as the channel's error, and clears it once it stops", async () => {
    const admin = await staff(node, 'admin');
    const other = () =>
      fetch(`${fake.url}/bot${TELEGRAM_TOKEN}/getUpdates`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ timeout: 1 }),
      });
    const shown = await waitFor(async () => {
      await other();
      const error = await errorOf(admin, account.id);
      return error?.includes('another program') ? error : undefined;
    });
    expect(shown).toBe(
      "Telegram polling: another program reads this bot's updates (Telegram refused getUpdates: Conflict: terminated by other getUpdates request; make sure that only one bot instance is running): stop it, or give this channel a bot of its own",
    );
    const text = `Снова одна программа ${uniqueId()}`;
    write(text);
    await conversationAbout(operator, text);
    await waitFor(async () => ((await errorOf(admin, account.id)) === null ? true : undefined));
  });

  it("shows a token Telegram refuses as the channel's error", async () => {
    const admin = await staff(node, 'admin');
    const broken = await admin.json<ChannelAccount>('POST', '/api/channels', {
      kind: 'telegram',
      name: 'Bot with a revoked token',
      config: { apiBase: fake.url, inbound: 'polling' },
      secrets: { botToken: '999:revoked-token', webhookSecret: SECRET },
    });
    const error = await waitFor(async () => (await errorOf(admin, broken.id)) ?? undefined);
    expect(error).toBe(
      'Telegram polling: Telegram does not accept the bot token (Telegram refused deleteWebhook: Unauthorized): paste the token @BotFather gave for this bot',
    );
    await admin.request('DELETE', `/api/channels/${broken.id}`);
  });

  it('switched back to the webhook, stops polling and sets the webhook with its secret again', async () => {
    const admin = await staff(node, 'admin');
    await admin.json('PATCH', `/api/channels/${account.id}`, {
      config: { apiBase: fake.url, inbound: 'webhook' },
    });
    const set = await waitFor(() => fake.calls('/setWebhook').find((r) => r.body.url === account.webhookUrl));
    expect(set.body).toMatchObject({ secret_token: SECRET });
    const polls = fake.calls('/getUpdates').length;
    await settle(1500);
    expect(fake.calls('/getUpdates')).toHaveLength(polls);
    const left = await node.app.storage.db
      .selectFrom('channel_telegram_polls')
      .selectAll()
      .where('account_id', '=', account.id)
      .execute();
    expect(left).toEqual([]);
    const text = `Через вебхук ${uniqueId()}`;
    const posted = await fetch(`${node.url}${new URL(account.webhookUrl).pathname}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': SECRET },
      body: JSON.stringify(telegramUpdates.text(uniqueId(), text)),
    });
    expect(posted.status).toBe(200);
    await conversationAbout(operator, text);
  });
});
