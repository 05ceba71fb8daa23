// Cluster mode as it is deployed: N real Frontline processes on one PostgreSQL database and one
// Redis, behind Debian's nginx rendering deploy/nginx.conf.template. Clients reach nodes through
// nginx only; a client picks its node by its source address (nginx hashes it), so tests can put a
// visitor on one node and an operator on another, kill a node, and watch clients move.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createDatabase, deleteRedisKeys, type TestDatabase } from './harness.js';
import { freePort, startServerProcess, type ServerProcess } from './process-harness.js';

const REPO_ROOT = path.resolve(import.meta.dirname, '../../..');
const NGINX = process.env.NGINX_BIN ?? '/usr/sbin/nginx';

export interface NginxCluster {
  /** The address clients use: nginx. */
  url: string;
  nodes: ServerProcess[];
  database: TestDatabase;
  /** A source address (127.0.0.x) whose requests nginx sends to node `index`. */
  addressFor(index: number): string;
  /** An HTTP request through nginx leaving from `address` (fetch cannot choose its source address). */
  request(address: string, method: string, pathname: string, options?: RequestOptions): Promise<HttpAnswer>;
  /** Which node served a request from `address` (by the upstream nginx chose). */
  nodeServing(address: string): Promise<number>;
  close(): Promise<void>;
}

export interface RequestOptions {
  headers?: Record<string, string>;
  body?: unknown;
}

export interface HttpAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json<T>(): T;
}

export async function startNginxCluster(options: {
  nodes: number;
  redisUrl: string;
  /** Admin URL of the PostgreSQL server to create the cluster's database on (default: the tests'). */
  postgresAdminUrl?: string;
  env?: Record<string, string>;
}): Promise<NginxCluster> {
  const workDir = mkdtempSync(path.join(tmpdir(), 'frontline-nginx-cluster-'));
  const database = await createDatabase(
    workDir,
    ...(options.postgresAdminUrl ? [options.postgresAdminUrl] : []),
  );
  if (!database.url) throw new Error('A cluster runs on PostgreSQL: run this suite in the postgres project');
  const redisKeyPrefix = `frontline-test-${randomUUID()}:`;
  const env = {
    REDIS_URL: options.redisUrl,
    REDIS_KEY_PREFIX: redisKeyPrefix,
    SECRET_KEY: randomUUID() + randomUUID(),
    TRUST_PROXY: 'true',
    ...options.env,
  };
  const nodes: ServerProcess[] = [];
  // One after the other: the first migrates and seeds the demo workspace, the rest find it done.
  for (let i = 0; i < options.nodes; i++) {
    nodes.push(await startServerProcess({ dataDir: workDir, databaseUrl: database.url, env }));
  }

  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const nginx = startNginx(workDir, port, nodes);
  await waitForHttp(`${url}/healthz`, nginx);

  const request = (address: string, method: string, pathname: string, options: RequestOptions = {}) =>
    requestFrom(address, method, `${url}${pathname}`, options);
  const nodeServing = async (address: string) => {
    const answer = await request(address, 'GET', '/healthz');
    const upstream = String(answer.headers['x-frontline-upstream'] ?? '')
      .split(',')
      .at(-1)
      ?.trim();
    const index = nodes.findIndex((node) => new URL(node.url).host === upstream);
    if (index < 0) throw new Error(`nginx answered from "${upstream}", which is no node of this cluster`);
    return index;
  };
  // The hash is fixed per address: find, once, a few addresses that land on each node.
  const byNode = new Map<number, string>();
  for (let last = 2; byNode.size < nodes.length && last < 250; last++) {
    const address = `127.0.0.${last}`;
    const index = await nodeServing(address);
    if (!byNode.has(index)) byNode.set(index, address);
  }

  return {
    url,
    nodes,
    database,
    addressFor: (index) => {
      const address = byNode.get(index);
      if (!address) throw new Error(`no client address reaches node ${index}`);
      return address;
    },
    request,
    nodeServing,
    async close() {
      nginx.kill('SIGKILL');
      for (const node of nodes) await node.kill();
      await database.drop();
      await deleteRedisKeys(options.redisUrl, redisKeyPrefix);
      rmSync(workDir, { recursive: true, force: true });
    },
  };
}

function startNginx(workDir: string, port: number, nodes: ServerProcess[]): ChildProcess {
  const template = readFileSync(path.join(REPO_ROOT, 'deploy/nginx.conf.template'), 'utf8');
  const site = template
    .replaceAll(
      '${FRONTLINE_UPSTREAMS}',
      nodes.map((n) => `server ${new URL(n.url).host} max_fails=1 fail_timeout=2s;`).join(' '),
    )
    .replaceAll('${FRONTLINE_LISTEN}', `127.0.0.1:${port}`);
  const temp = (name: string) => path.join(workDir, name);
  const config = `
daemon off;
pid ${temp('nginx.pid')};
error_log ${temp('nginx-error.log')} warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path ${temp('client_body')};
  proxy_temp_path ${temp('proxy')};
  fastcgi_temp_path ${temp('fastcgi')};
  uwsgi_temp_path ${temp('uwsgi')};
  scgi_temp_path ${temp('scgi')};
  # Tests learn which node served a request from this header; deployments do not send it.
  add_header X-Frontline-Upstream $upstream_addr always;
  ${site}
}
`;
  writeFileSync(temp('nginx.conf'), config);
  const child = spawn(NGINX, ['-p', workDir, '-c', temp('nginx.conf')], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  return child;
}

async function waitForHttp(url: string, nginx: ChildProcess): Promise<void> {
  let stderr = '';
  nginx.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    if (nginx.exitCode !== null) throw new Error(`nginx exited with ${nginx.exitCode}: ${stderr}`);
    if (
      await fetch(url).then(
        (r) => r.ok,
        () => false,
      )
    )
      return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`nginx did not answer within 10 s: ${stderr}`);
}

function requestFrom(
  address: string,
  method: string,
  url: string,
  options: RequestOptions,
): Promise<HttpAnswer> {
  const body = options.body === undefined ? undefined : JSON.stringify(options.body);
  return new Promise((resolve, reject) => {
    const target = new URL(url);
    const outgoing = httpRequest(
      {
        host: target.hostname,
        port: target.port,
        path: target.pathname + target.search,
        method,
        localAddress: address,
        headers: {
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...options.headers,
        },
      },
      (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (text += chunk));
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            headers: response.headers,
            text,
            json: <T>() => JSON.parse(text) as T,
          }),
        );
      },
    );
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}
