// Runs Frontline as a real child process (from source, as `npm start` would run the build) so
// fault tests can kill -9 it and start it again on the same database and port.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';

const REPO_ROOT = path.resolve(import.meta.dirname, '../../..');

export interface ServerProcess {
  url: string;
  demoLogins(): {
    admin: { email: string; password: string };
    operator: { email: string; password: string };
    widgetKey: string;
  };
  kill(): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
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

export async function startServerProcess(options: {
  dataDir: string;
  databaseUrl: string | undefined;
  env?: Record<string, string>;
}): Promise<ServerProcess> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  let child: ChildProcess | undefined;
  let output = '';

  const start = async () => {
    output = '';
    child = spawn(
      process.execPath,
      ['--conditions=source', '--import', 'tsx', path.join(REPO_ROOT, 'server/src/main.ts'), 'start'],
      {
        cwd: REPO_ROOT,
        env: {
          ...process.env,
          PORT: String(port),
          HOST: '127.0.0.1',
          PUBLIC_URL: url,
          DATA_DIR: options.dataDir,
          LOG_LEVEL: 'warn',
          SEED_DEMO: 'true',
          ...(options.databaseUrl ? { DATABASE_URL: options.databaseUrl } : {}),
          ...options.env,
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    // Starting from source (tsx) takes seconds; on a machine busy with other work, many more.
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}:\n${output}`);
      const ready = await fetch(`${url}/readyz`).then(
        (r) => r.ok,
        () => false,
      );
      if (ready) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`server did not become ready in 60 s:\n${output}`);
  };

  const waitForExit = (signal: NodeJS.Signals) =>
    new Promise<void>((resolve) => {
      if (!child || child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill(signal);
    });

  await start();
  return {
    url,
    demoLogins: () => {
      const lines = readFileSync(path.join(options.dataDir, 'demo-logins.txt'), 'utf8').split('\n');
      const field = (prefix: string) => lines.find((l) => l.startsWith(prefix))?.split(/\s+/) ?? [];
      const [, adminEmail = '', adminPassword = ''] = field('admin');
      const [, operatorEmail = '', operatorPassword = ''] = field('operator');
      return {
        admin: { email: adminEmail, password: adminPassword },
        operator: { email: operatorEmail, password: operatorPassword },
        widgetKey: field('widget key')[2] ?? '',
      };
    },
    kill: () => waitForExit('SIGKILL'),
    stop: () => waitForExit('SIGTERM'),
    start,
  };
}
