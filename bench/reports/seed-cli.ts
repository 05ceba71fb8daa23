// `npm run seed:load -- --db <sqlite file | postgres://...> [--conversations N] ...`: fills a
// database with months of history for one workspace (see seed.ts) and prints what it wrote.
import { existsSync, rmSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { keepOnlineDays } from '../../server/src/modules/analytics/presence.js';
import { refreshRollups } from '../../server/src/modules/analytics/rollup.js';
import { openBulkWriter } from './bulk.js';
import { closeTarget, openTarget, recreatePostgres, targetOf } from './db.js';
import { seedHistory } from './seed.js';

const { values } = parseArgs({
  options: {
    db: { type: 'string', default: '/tmp/frontline-reports-bench.db' },
    conversations: { type: 'string', default: '100000' },
    messages: { type: 'string', default: '20' },
    operators: { type: 'string', default: '400' },
    departments: { type: 'string', default: '8' },
    days: { type: 'string', default: '90' },
    timezone: { type: 'string', default: 'Europe/Moscow' },
    fresh: { type: 'boolean', default: false },
  },
});

const target = targetOf(values.db);
if (values.fresh) {
  if (target.engine === 'postgres') await recreatePostgres(target.location);
  else
    for (const suffix of ['', '-wal', '-shm'])
      if (existsSync(target.location + suffix)) rmSync(target.location + suffix);
}
// Migrated through the app's own storage, then loaded through a connection of the seed's own.
await closeTarget(await openTarget(target));
const writer = await openBulkWriter(target);
const total = Number(values.conversations);
const started = performance.now();
let lastPrint = 0;
const result = await seedHistory(writer, {
  conversations: total,
  messagesPerConversation: Number(values.messages),
  operators: Number(values.operators),
  departments: Number(values.departments),
  days: Number(values.days),
  timezone: values.timezone,
  onProgress: (done) => {
    if (performance.now() - lastPrint < 5000 && done < total) return;
    lastPrint = performance.now();
    const rate = done / ((performance.now() - started) / 1000);
    process.stdout.write(
      `  ${done.toLocaleString('en')} / ${total.toLocaleString('en')} conversations (${Math.round(rate)}/s)\n`,
    );
  },
});
const loaded = performance.now();
await writer.finish();
// What the app keeps beside the facts, with its own code: the rollups, and the online time of the
// completed days (which a first report would otherwise compute).
const storage = await openTarget(target);
await refreshRollups(storage.db, result.workspaceId);
await keepOnlineDays(storage.db, result.workspaceId, values.timezone, Date.now());
await closeTarget(storage);
console.log(
  `Seeded ${target.engine} ${target.location}: workspace ${result.workspaceId}, ${result.conversations.toLocaleString('en')} conversations, ` +
    `${result.messages.toLocaleString('en')} messages, ${result.events.toLocaleString('en')} events, ` +
    `${result.presenceEvents.toLocaleString('en')} status changes, ${result.from} … ${result.to}, in ${Math.round((performance.now() - started) / 1000)} s (` +
    `${Math.round((performance.now() - loaded) / 1000)} s of them building indexes, statistics and rollups)`,
);
