#!/usr/bin/env node
// Command line: `start` (migrate, seed the demo on first start, serve), `migrate`, `seed-demo`.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { buildApp } from './app.js';
import { ConfigError, loadConfig, type Config } from './config.js';
import { DEMO_LOGINS_FILE, seedDemo, type DemoLogins } from './demo/seed.js';
import { openStorage } from './storage/database.js';
import { migrateToLatest } from './storage/migrate.js';

const USAGE = 'Usage: node server/dist/main.js <start|migrate|seed-demo>';

async function main(command: string | undefined): Promise<void> {
  const config = loadConfig();
  mkdirSync(config.dataDir, { recursive: true });
  const storage = openStorage(config);
  const applied = await migrateToLatest(storage, config);
  if (applied.length) console.log(`Database migrated: ${applied.join(', ')}`);

  if (command === 'migrate') return storage.close();
  if (command === 'seed-demo' || command === 'start') {
    const app = await buildApp(config, storage);
    const demo = config.seedDemo || command === 'seed-demo' ? await seedDemo(app, config.dataDir) : undefined;
    if (command === 'seed-demo') {
      console.log(demo ? describeDemo(config, demo) : 'A workspace exists already; nothing seeded.');
      return app.close();
    }
    const url = await app.listen();
    console.log(
      demo
        ? describeDemo(config, demo)
        : `Frontline is running at ${config.publicUrl} (listening on ${url}).\nDemo logins, if seeded: ${path.join(config.dataDir, DEMO_LOGINS_FILE)}`,
    );
    stopOnSignals(app.close, config);
    return;
  }
  throw new ConfigError(USAGE);
}

function describeDemo(config: Config, demo: DemoLogins): string {
  return [
    '',
    'Frontline is running with a demo workspace.',
    `  Operator workspace:  ${config.publicUrl}/`,
    `  Demo site + widget:  ${config.publicUrl}/demo`,
    `  API docs:            ${config.publicUrl}/api/docs`,
    `  Admin login:         ${demo.admin.email}  /  ${demo.admin.password}`,
    `  Operator login:      ${demo.operator.email}  /  ${demo.operator.password}`,
    `  (saved to ${path.join(config.dataDir, DEMO_LOGINS_FILE)})`,
    '',
  ].join('\n');
}

function stopOnSignals(close: () => Promise<void>, config: Config): void {
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: finishing in-flight work (up to ${config.shutdownGraceMs} ms), then stopping`);
    const deadline = setTimeout(() => process.exit(1), config.shutdownGraceMs + 5_000);
    close().then(
      () => {
        clearTimeout(deadline);
        process.exit(0);
      },
      (error: unknown) => {
        console.error('Shutdown failed:', error);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

main(process.argv[2]).catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
