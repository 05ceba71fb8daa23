// Starts the built Frontline server (as `npm start` does) on a fresh SQLite data directory and
// reads the demo logins it prints into DATA_DIR.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

const REPO_ROOT = path.resolve(import.meta.dirname, '../..');
const MAIN = path.join(REPO_ROOT, 'server/dist/main.js');

export interface RunningServer {
  url: string;
  logins: { admin: Credentials; operator: Credentials; widgetKey: string };
  stop(): Promise<void>;
}

export interface Credentials {
  email: string;
  password: string;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** `env` adds settings (a benchmark raises the rate limits); a busy machine may need a longer start. */
export async function startServer(
  env: Record<string, string> = {},
  startTimeoutMs = 30_000,
): Promise<RunningServer> {
  if (!existsSync(MAIN)) throw new Error('The server is not built: run "npm run build" first');
  const dataDir = mkdtempSync(path.join(tmpdir(), 'frontline-e2e-'));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  let output = '';
  const child: ChildProcess = spawn(process.execPath, [MAIN, 'start'], {
    cwd: REPO_ROOT,
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      PUBLIC_URL: url,
      DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
      SEED_DEMO: 'true',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));

  const deadline = Date.now() + startTimeoutMs;
  while (
    !(await fetch(`${url}/readyz`).then(
      (r) => r.ok,
      () => false,
    ))
  ) {
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`server did not start:\n${output}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  const lines = readFileSync(path.join(dataDir, 'demo-logins.txt'), 'utf8').split('\n');
  const field = (prefix: string) => lines.find((l) => l.startsWith(prefix))?.split(/\s+/) ?? [];
  const credentials = (prefix: string): Credentials => {
    const [, email = '', password = ''] = field(prefix);
    return { email, password };
  };
  return {
    url,
    logins: {
      admin: credentials('admin'),
      operator: credentials('operator'),
      widgetKey: field('widget key')[2] ?? '',
    },
    stop: async () => {
      if (child.exitCode === null) {
        await new Promise<void>((resolve) => {
          child.once('exit', () => resolve());
          child.kill('SIGTERM');
        });
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
