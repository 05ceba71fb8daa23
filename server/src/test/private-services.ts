// PostgreSQL and Redis instances of a test's own, on free ports, that the test may stop and start
// again: restarting the machine's shared services would break every other suite running meanwhile.
import { spawn, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { freePort } from './process-harness.js';

export interface PrivateService {
  url: string;
  stop(): Promise<void>;
  start(): Promise<void>;
  /** Stops it for good and removes its files. */
  destroy(): Promise<void>;
}

const POSTGRES_BIN = (() => {
  const root = '/usr/lib/postgresql';
  const version = existsSync(root) ? readdirSync(root).sort().at(-1) : undefined;
  return version ? path.join(root, version, 'bin') : undefined;
})();

/** PostgreSQL refuses to run as root; when the tests are root, its processes run as `postgres`. */
function asPostgres(command: string, args: string[]): string[] {
  return process.getuid?.() === 0
    ? ['runuser', '-u', 'postgres', '--', command, ...args]
    : [command, ...args];
}

function run(argv: string[]): void {
  const [command = '', ...args] = argv;
  const result = spawnSync(command, args, { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`${argv.join(' ')} failed: ${result.stderr || result.stdout}`);
}

export async function startPrivatePostgres(): Promise<PrivateService> {
  if (!POSTGRES_BIN) throw new Error('PostgreSQL server binaries are not installed (/usr/lib/postgresql)');
  const dir = mkdtempSync(path.join(tmpdir(), 'frontline-pg-'));
  if (process.getuid?.() === 0) chownSync(dir, ...postgresIds());
  const data = path.join(dir, 'data');
  const port = await freePort();
  run(asPostgres(path.join(POSTGRES_BIN, 'initdb'), ['-D', data, '-A', 'trust', '-U', 'postgres']));
  const pgCtl = (args: string[]) => run(asPostgres(path.join(POSTGRES_BIN, 'pg_ctl'), ['-D', data, ...args]));
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`;
  const start = async () => pgCtl(['-o', options, '-l', path.join(dir, 'log'), '-w', 'start']);
  const stop = async () => pgCtl(['-m', 'fast', '-w', 'stop']);
  await start();
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    start,
    stop,
    async destroy() {
      await stop().catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function postgresIds(): [number, number] {
  const uid = Number(spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).stdout.trim());
  const gid = Number(spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).stdout.trim());
  return [uid, gid];
}

export async function startPrivateRedis(): Promise<PrivateService> {
  const dir = mkdtempSync(path.join(tmpdir(), 'frontline-redis-'));
  const port = await freePort();
  const url = `redis://127.0.0.1:${port}`;
  let child: ReturnType<typeof spawn> | undefined;
  const start = async () => {
    child = spawn(
      'redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir],
      {
        stdio: 'ignore',
      },
    );
    const probe = new Redis(url, { lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0 });
    probe.on('error', () => undefined);
    for (const deadline = Date.now() + 10_000; Date.now() < deadline;) {
      const up = await probe.connect().then(
        () => probe.ping().then(() => true),
        () => false,
      );
      if (up) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    probe.disconnect();
  };
  const stop = () =>
    new Promise<void>((resolve) => {
      if (!child || child.exitCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGKILL');
    });
  await start();
  return {
    url,
    start,
    stop,
    async destroy() {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
