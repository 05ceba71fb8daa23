// Two Frontline nodes behind nginx on one PostgreSQL and Redis, as deployed. Each fault happens
// under load and ends with the core guarantee: every acked message held exactly once by everyone
// in its conversation, in seq order, with no gaps. Runs in the postgres project only: a cluster
// needs PostgreSQL.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  deliveryProblems,
  dropConnectionsAtRandom,
  exchangeMessages,
  joinChat,
  leaveChat,
  type Chat,
  type HttpPost,
} from './chat-load.js';
import { startNginxCluster, type NginxCluster } from './nginx-cluster.js';
import { startPrivatePostgres, startPrivateRedis, type PrivateService } from './private-services.js';

const MESSAGES_PER_SENDER = 15;
const VISITORS_PER_NODE = 2;

let postgres: PrivateService;
let redis: PrivateService;
let cluster: NginxCluster;
let chat: Chat | undefined;

beforeAll(async () => {
  [postgres, redis] = await Promise.all([startPrivatePostgres(), startPrivateRedis()]);
  cluster = await startNginxCluster({
    nodes: 2,
    redisUrl: redis.url,
    postgresAdminUrl: postgres.url,
    env: { RATE_LIMIT_MESSAGES_PER_MINUTE: '10000', RATE_LIMIT_CONVERSATIONS_PER_HOUR: '10000' },
  });
}, 120_000);

afterEach(() => {
  if (chat) leaveChat(chat);
  chat = undefined;
});

afterAll(async () => {
  await cluster?.close();
  await Promise.all([postgres?.destroy(), redis?.destroy()]);
});

const post: HttpPost = async (route, pathname, body) => {
  const answer = await cluster.request(route.localAddress ?? '127.0.0.1', 'POST', pathname, { body });
  const setCookie = answer.headers['set-cookie'] ?? [];
  const cookies = (Array.isArray(setCookie) ? setCookie : [setCookie]).map((c) => c.split(';')[0]).join('; ');
  return { status: answer.status, cookies, json: answer.json() };
};

/** Operators on both nodes; visitors spread over both, so most conversations cross nodes. */
async function chatAcrossNodes(): Promise<Chat> {
  const logins = cluster.nodes[0]!.demoLogins();
  const on = (node: number) => ({ url: cluster.url, localAddress: cluster.addressFor(node) });
  return joinChat({
    post,
    widgetKey: logins.widgetKey,
    operators: [
      { credentials: logins.admin, route: on(0) },
      { credentials: logins.operator, route: on(1) },
    ],
    visitors: Array.from({ length: VISITORS_PER_NODE * 2 }, (_, i) => on(i % 2)),
  });
}

const expectedAcks = () => (2 + VISITORS_PER_NODE * 2) * MESSAGES_PER_SENDER;
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const whenPast = async (share: number, progress: () => number, done: () => boolean) => {
  while (progress() < share && !done()) await pause(20);
};

describe('two nodes behind nginx', () => {
  it('keeps every guarantee across nodes while connections drop at random', async () => {
    chat = await chatAcrossNodes();
    await exchangeMessages(chat, MESSAGES_PER_SENDER, (_, done) => dropConnectionsAtRandom(chat!, done));
    expect(await deliveryProblems(chat, expectedAcks())).toEqual([]);
  }, 120_000);

  it('moves the clients of a killed node to the other one and loses nothing acked', async () => {
    chat = await chatAcrossNodes();
    const victim = cluster.nodes[0]!;
    await exchangeMessages(chat, MESSAGES_PER_SENDER, async (progress, done) => {
      await whenPast(0.3, progress, done);
      await victim.kill();
      // While it is down, nginx sends everyone to the survivor.
      expect(await cluster.nodeServing(cluster.addressFor(0))).toBe(1);
      await whenPast(0.7, progress, done);
      await victim.start();
    });
    expect(await deliveryProblems(chat, expectedAcks())).toEqual([]);
  }, 120_000);

  it('rides out a Redis restart', async () => {
    chat = await chatAcrossNodes();
    await exchangeMessages(chat, MESSAGES_PER_SENDER, async (progress, done) => {
      await whenPast(0.3, progress, done);
      await redis.stop();
      await pause(1_500);
      await redis.start();
    });
    expect(await deliveryProblems(chat, expectedAcks())).toEqual([]);
  }, 120_000);

  it('answers 503 at once while PostgreSQL is down and recovers by itself', async () => {
    chat = await chatAcrossNodes();
    const address = cluster.addressFor(1);
    let refusedIn: number | undefined;
    let readyWhileDown: number | undefined;
    await exchangeMessages(chat, MESSAGES_PER_SENDER, async (progress, done) => {
      await whenPast(0.3, progress, done);
      await postgres.stop();
      const started = Date.now();
      readyWhileDown = (await cluster.request(address, 'GET', '/readyz')).status;
      refusedIn = Date.now() - started;
      await pause(1_500);
      await postgres.start();
    });
    expect(readyWhileDown).toBe(503);
    expect(refusedIn).toBeLessThan(2_000);
    expect(await deliveryProblems(chat, expectedAcks())).toEqual([]);
    expect((await cluster.request(address, 'GET', '/readyz')).status).toBe(200);
  }, 120_000);
});
