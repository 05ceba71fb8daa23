// Every client of a two-node cluster loses its connection at the same moment: how long until 99%
// are connected again and have caught up? Prints the figure (issue 10) and bounds it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WidgetSession } from '@frontline/protocol';
import { openConversation } from './factories.js';
import { startNginxCluster, type NginxCluster } from './nginx-cluster.js';
import { ReliableClient } from './reliable-client.js';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const CLIENTS = 200;

let cluster: NginxCluster;
const clients: ReliableClient[] = [];

beforeAll(async () => {
  cluster = await startNginxCluster({
    nodes: 2,
    redisUrl: REDIS_URL,
    env: { RATE_LIMIT_CONVERSATIONS_PER_HOUR: '10000' },
  });
}, 120_000);

afterAll(async () => {
  for (const client of clients) client.close();
  await cluster?.close();
});

describe('a reconnect storm', () => {
  it(`brings ${CLIENTS} clients back in sync`, async () => {
    const { widgetKey } = cluster.nodes[0]!.demoLogins();
    for (let i = 0; i < CLIENTS; i++) {
      const localAddress = cluster.addressFor(i % 2);
      const session = (
        await cluster.request(localAddress, 'POST', `/api/widget/${widgetKey}/session`, { body: {} })
      ).json<WidgetSession>();
      const client = new ReliableClient(`visitor${i}`, cluster.url, '/visitor', {
        visitorToken: session.visitorToken,
        localAddress,
      });
      await new Promise<void>((resolve) => client.socket.once('connect', () => resolve()));
      await client.follow((await openConversation(client.socket)).id);
      clients.push(client);
    }

    const stormAt = Date.now();
    for (const client of clients) client.socket.io.engine?.close();
    const inSync = () => clients.filter((c) => c.socket.connected && c.lastSyncedAt > stormAt).length;
    let ninetyNineAt: number | undefined;
    for (const deadline = stormAt + 30_000; inSync() < CLIENTS && Date.now() < deadline;) {
      if (ninetyNineAt === undefined && inSync() >= CLIENTS * 0.99) ninetyNineAt = Date.now();
      await new Promise((r) => setTimeout(r, 20));
    }
    const allAt = inSync() === CLIENTS ? Date.now() : undefined;
    ninetyNineAt ??= allAt;
    process.stdout.write(
      `reconnect storm: ${CLIENTS} clients on 2 nodes; 99% back in sync after ${ninetyNineAt === undefined ? 'more than 30 s' : `${ninetyNineAt - stormAt} ms`}, all after ${allAt === undefined ? 'more than 30 s' : `${allAt - stormAt} ms`}\n`,
    );
    expect(ninetyNineAt).toBeDefined();
    expect(ninetyNineAt! - stormAt).toBeLessThan(15_000);
  }, 180_000);
});
