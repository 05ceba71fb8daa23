// The two servers the benchmark drives, each as a child process of its own so that its CPU and
// memory are its own: Frontline from its build (fresh SQLite data directory, or a given empty
// PostgreSQL database) and the bare Socket.IO relay, plain or durable.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

const REPO_ROOT = path.resolve(import.meta.dirname, '../..');
const FRONTLINE_MAIN = path.join(REPO_ROOT, 'server/dist/main.js');

/** Enough for any send the bench makes: the limits are not what is measured. */
const UNLIMITED = '100000000';
/** Only the tail of a child's output is kept, to explain a failed start. */
const OUTPUT_TAIL_CHARS = 20_000;

export interface ServerProcess {
  url: string;
  pid: number;
  /** The last line the server logged (Frontline logs warnings and errors only, as JSON). */
  lastLogLine(): string | undefined;
  stop(): Promise<void>;
}

/** The demo workspace a first start seeds: whom the benchmark logs in as, where visitors come from. */
export interface BenchWorkspace {
  admin: { email: string; password: string };
  widgetKey: string;
}

export interface Frontline extends ServerProcess {
  workspace: BenchWorkspace;
  /** A value from /metrics, e.g. `frontline_socket_connections{namespace="visitor"}`; NaN when absent. */
  metric(series: string): Promise<number>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

async function startProcess(
  args: string[],
  env: Record<string, string>,
  port: number,
): Promise<ServerProcess> {
  const url = `http://127.0.0.1:${port}`;
  // A clean environment: a DATABASE_URL or REDIS_URL of the shell must not leak into the run.
  const child = spawn(process.execPath, args, {
    cwd: REPO_ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', PORT: String(port), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (chunk: Buffer) => (output = (output + chunk.toString()).slice(-OUTPUT_TAIL_CHARS));
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the server exited with ${child.exitCode}:\n${output}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`the server was not ready within 60 s:\n${output}`);
    }
    const ready = await fetch(`${url}/readyz`).then(
      (r) => r.ok,
      () => false,
    );
    if (ready) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    pid: child.pid ?? 0,
    lastLogLine: () =>
      output
        .split('\n')
        .filter((line) => line.trim())
        .at(-1),
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      // SIGTERM lets Frontline shut down gracefully (and write a CPU profile); SIGKILL if it hangs.
      const force = setTimeout(() => child.kill('SIGKILL'), 20_000);
      child.kill('SIGTERM');
      await exited;
      clearTimeout(force);
    },
  };
}

/**
 * Starts Frontline on a fresh data directory. `workspace` is for a second start on the same
 * PostgreSQL database, which seeds nothing then since the first start's workspace is there.
 */
export async function startFrontline(options: {
  databaseUrl: string | undefined;
  /** Cluster mode: nodes sharing this Redis (and a PostgreSQL database) are one service. */
  cluster?: { redisUrl: string; keyPrefix: string } | undefined;
  cpuProfileDir?: string | undefined;
  workspace?: BenchWorkspace | undefined;
}): Promise<Frontline> {
  if (!existsSync(FRONTLINE_MAIN))
    throw new Error(`${FRONTLINE_MAIN} is missing: run \`npm run build\` first`);
  const dataDir = mkdtempSync(path.join(tmpdir(), 'frontline-bench-'));
  const port = await freePort();
  const profile = options.cpuProfileDir ? ['--cpu-prof', `--cpu-prof-dir=${options.cpuProfileDir}`] : [];
  let server: ServerProcess;
  try {
    server = await startProcess(
      [...profile, FRONTLINE_MAIN, 'start'],
      { ...frontlineEnv(port, dataDir, options.databaseUrl), ...clusterEnv(options.cluster) },
      port,
    );
  } catch (error) {
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
  const workspace = options.workspace ?? readDemoLogins(dataDir);
  if (!workspace) {
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
    throw new Error('No demo workspace was created: the database given with --database-url must be empty');
  }
  return {
    ...server,
    workspace,
    async metric(series) {
      const text = await (await fetch(`${server.url}/metrics`)).text();
      const line = text.split('\n').find((l) => l.startsWith(`${series} `));
      return line ? Number(line.slice(series.length + 1)) : NaN;
    },
    async stop() {
      await server.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

function readDemoLogins(dataDir: string): BenchWorkspace | undefined {
  const file = path.join(dataDir, 'demo-logins.txt');
  if (!existsSync(file)) return undefined;
  const lines = readFileSync(file, 'utf8').split('\n');
  const field = (prefix: string) => lines.find((line) => line.startsWith(prefix))?.split(/\s+/) ?? [];
  const [, email = '', password = ''] = field('admin');
  return { admin: { email, password }, widgetKey: field('widget key')[2] ?? '' };
}

function frontlineEnv(
  port: number,
  dataDir: string,
  databaseUrl: string | undefined,
): Record<string, string> {
  return {
    HOST: '127.0.0.1',
    PUBLIC_URL: `http://127.0.0.1:${port}`,
    DATA_DIR: dataDir,
    SEED_DEMO: 'true',
    LOG_LEVEL: 'warn',
    RATE_LIMIT_MESSAGES_PER_MINUTE: UNLIMITED,
    RATE_LIMIT_CONVERSATIONS_PER_HOUR: UNLIMITED,
    RATE_LIMIT_LOGIN_PER_MINUTE: UNLIMITED,
    ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
  };
}

function clusterEnv(cluster: { redisUrl: string; keyPrefix: string } | undefined): Record<string, string> {
  return cluster ? { REDIS_URL: cluster.redisUrl, REDIS_KEY_PREFIX: cluster.keyPrefix } : {};
}

/** The bare relay, or with `durable` the durable relay on a fresh SQLite file (bare-relay.ts). */
export async function startBareRelay(options: { durable: boolean }): Promise<ServerProcess> {
  const port = await freePort();
  const dataDir = options.durable ? mkdtempSync(path.join(tmpdir(), 'frontline-relay-')) : undefined;
  const env: Record<string, string> = dataDir ? { RELAY_DATABASE: path.join(dataDir, 'relay.db') } : {};
  const removeData = () => dataDir && rmSync(dataDir, { recursive: true, force: true });
  let relay: ServerProcess;
  try {
    relay = await startProcess(
      ['--import', 'tsx', path.join(import.meta.dirname, 'bare-relay.ts')],
      env,
      port,
    );
  } catch (error) {
    removeData();
    throw error;
  }
  return {
    ...relay,
    async stop() {
      await relay.stop();
      removeData();
    },
  };
}
