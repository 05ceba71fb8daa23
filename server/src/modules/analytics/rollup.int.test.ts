// The rollups kept as events arrive, on SQLite and PostgreSQL: after live conversations that change
// department and operator after their facts were first folded, get reopened and rated late, every
// rollup row equals the one recomputed from the facts, and the reports read from the rollups equal
// the exact scan over the facts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Kysely } from 'kysely';
import type { OperatorReport, Report } from '@frontline/protocol';
import type { Database } from '../../storage/schema.js';
import {
  clientId,
  connected,
  createWorkspace,
  login,
  openConversation,
  visitorConversation,
  type StaffClient,
  type TestWorkspace,
  type Visitor,
} from '../../test/factories.js';
import { startTestServer, type TestServer } from '../../test/harness.js';
import { waitFor } from '../../test/webhook-receiver.js';
import { MEASURES, refreshRollups, type RollupTable } from './rollup.js';

let server: TestServer;
let workspace: TestWorkspace;
let admin: StaffClient;
let operator: StaffClient;

beforeAll(async () => {
  server = await startTestServer();
  workspace = await createWorkspace(server);
  admin = await login(server, workspace.admin);
  operator = await login(server, workspace.operator);
  await operator.json('PUT', '/api/me/presence', { presence: 'online' });
}, 60_000);
afterAll(() => server.close());

const TABLES: RollupTable[] = ['analytics_rollup_hours', 'analytics_rollup_operators'];

/** The workspace's rollup rows that hold anything, comparable across engines. */
async function rollupRows(db: Kysely<Database>, workspaceId: string) {
  const result: Record<string, string[]> = {};
  for (const table of TABLES) {
    const rows = await db.selectFrom(table).selectAll().where('workspace_id', '=', workspaceId).execute();
    result[table] = rows
      .filter((row) => MEASURES.some((m) => Number(row[m.column]) !== 0))
      .map((row) =>
        JSON.stringify(
          Object.entries(row)
            .map(([k, v]) => [k, typeof v === 'string' && /^-?\d+$/.test(v) ? Number(v) : v])
            .sort(),
        ),
      )
      .sort();
  }
  return result;
}

class Recomputed extends Error {}

/** The rollups as refreshRollups computes them from the facts, in a transaction rolled back. */
async function recomputedRows(db: Kysely<Database>, workspaceId: string) {
  let rows: Record<string, string[]> = {};
  await db
    .transaction()
    .execute(async (trx) => {
      await refreshRollups(trx, workspaceId);
      rows = await rollupRows(trx, workspaceId);
      throw new Recomputed();
    })
    .catch((error: unknown) => {
      if (!(error instanceof Recomputed)) throw error;
    });
  return rows;
}

const offeredAgain = (db: Kysely<Database>, conversationId: string) =>
  waitFor(async () => {
    const row = await db
      .selectFrom('conversations')
      .select('status')
      .where('id', '=', conversationId)
      .executeTakeFirstOrThrow();
    return row.status === 'offered' ? row : undefined;
  });

const send = (who: StaffClient, conversationId: string, text: string) =>
  who.json('POST', `/api/conversations/${conversationId}/messages`, {
    clientMsgId: clientId(),
    text,
    kind: 'text',
    fileIds: [],
  });

const rate = (visitor: Visitor, conversationId: string, rating: 'good' | 'bad', comment: string) =>
  visitor.request('POST', `/api/widget/conversations/${conversationId}/rating`, { rating, comment });

describe('analytics rollups kept as events arrive', () => {
  it('equal a recomputation from the facts after transfers, reassignment, reopening, late ratings and a returning contact', async () => {
    const db = server.app.storage.db;
    const sales = await admin.json<{ id: string }>('POST', '/api/departments', { name: 'Sales' });
    const support = await admin.json<{ id: string }>('POST', '/api/departments', { name: 'Support' });
    const users = await db
      .selectFrom('users')
      .select(['id', 'role'])
      .where('workspace_id', '=', workspace.id)
      .execute();
    const me = users.find((u) => u.role === 'operator')!;
    const adminMe = users.find((u) => u.role === 'admin')!;

    // Answered, transferred to another department and handed to another operator, resolved, rated
    // after the resolution, reopened, answered again and resolved again.
    const first = await visitorConversation(server, workspace.widgetKey, 'Where is my parcel?');
    const one = first.conversation.id;
    await operator.json('POST', `/api/conversations/${one}/take`);
    await send(operator, one, 'Let me check');
    // Away, so the router does not offer the transferred conversation while the admin takes it over.
    await operator.json('PUT', '/api/me/presence', { presence: 'away' });
    await operator.json('POST', `/api/conversations/${one}/transfer`, {
      departmentId: support.id,
      reason: 'delivery question',
    });
    await admin.json('POST', `/api/conversations/${one}/assign`, { assigneeId: adminMe.id });
    await send(admin, one, 'It arrives tomorrow');
    await admin.json('POST', `/api/conversations/${one}/resolve`);
    expect((await rate(first.visitor, one, 'bad', 'slow')).status).toBe(201);
    await admin.json('POST', `/api/conversations/${one}/reopen`);
    await send(admin, one, 'Anything else?');
    await admin.json('POST', `/api/conversations/${one}/resolve`);
    await operator.json('PUT', '/api/me/presence', { presence: 'online' });

    // Never answered: resolved unanswered, then rated.
    const second = await visitorConversation(server, workspace.widgetKey, 'Hello?');
    await operator.json('POST', `/api/conversations/${second.conversation.id}/take`);
    await operator.json('POST', `/api/conversations/${second.conversation.id}/resolve`);
    expect((await rate(second.visitor, second.conversation.id, 'good', '')).status).toBe(201);

    // Still open: transferred twice, between the departments.
    const third = await visitorConversation(server, workspace.widgetKey, 'Pricing?');
    await operator.json('POST', `/api/conversations/${third.conversation.id}/take`);
    await send(operator, third.conversation.id, 'One moment');
    for (const department of [sales, support]) {
      await operator.json('POST', `/api/conversations/${third.conversation.id}/transfer`, {
        departmentId: department.id,
        reason: 'routing',
      });
      // The router offers it to the operator again; the next transfer waits for that to land.
      await offeredAgain(db, third.conversation.id);
    }

    const kept = await rollupRows(db, workspace.id);
    expect(kept).toEqual(await recomputedRows(db, workspace.id));

    // The rollups hold the moves: the first conversation counts for Support and the admin only.
    const departments = await db
      .selectFrom('analytics_rollup_hours')
      .select(['department_id', (eb) => eb.fn.sum<number>('requests').as('requests')])
      .where('workspace_id', '=', workspace.id)
      .groupBy('department_id')
      .execute();
    expect(Object.fromEntries(departments.map((d) => [d.department_id, Number(d.requests)]))).toMatchObject({
      [support.id]: 2,
      [sales.id]: 0,
    });
    const today = new Date().toISOString().slice(0, 10);
    const range = `from=${today}&to=${today}`;
    const operators = await admin.json<OperatorReport>('GET', `/api/analytics/operators?${range}`);
    expect(operators.rows.find((r) => r.operatorId === adminMe.id)).toMatchObject({
      requests: 1,
      ratingsBad: 1,
    });
    expect(operators.rows.find((r) => r.operatorId === me.id)).toMatchObject({ requests: 2, ratingsGood: 1 });

    // A report the rollups answer equals the same report over the facts: with every conversation
    // tagged, a tag filter (which no rollup keeps) covers the same conversations by the exact scan.
    for (const conversation of [first, second, third])
      await operator.json('POST', `/api/conversations/${conversation.conversation.id}/tags`, { tag: 'all' });
    for (const group of ['day', 'hour', 'department', 'channel', 'operator'] as const) {
      const fromRollup = await admin.json<Report>('GET', `/api/analytics/report?${range}&group=${group}`);
      const fromFacts = await admin.json<Report>(
        'GET',
        `/api/analytics/report?${range}&group=${group}&tag=all`,
      );
      expect(fromRollup.totals.requests).toBe(3);
      // Rows compared by key: the facts' scan puts a null key first on SQLite and last on PostgreSQL.
      const byKey = (report: Report) => ({
        ...report,
        rows: report.rows.sort((a, b) => a.key.localeCompare(b.key)),
      });
      expect(byKey(fromRollup)).toEqual(byKey(fromFacts));
    }
    // The first visitor comes back: a conversation whose row knows the contact's previous one.
    const returning = await connected(first.visitor.socket());
    const fourth = await openConversation(returning);
    returning.disconnect();
    expect(fourth.id).not.toBe(one);

    const withReturning = await rollupRows(db, workspace.id);
    expect(withReturning).toEqual(await recomputedRows(db, workspace.id));

    // The rows themselves equal the ones a rebuild folds from the log (then the rollups again).
    const facts = () =>
      db
        .selectFrom('analytics_conversations')
        .selectAll()
        .where('workspace_id', '=', workspace.id)
        .orderBy('conversation_id')
        .execute()
        .then((rows) =>
          rows.map((row) =>
            JSON.stringify(Object.entries(row).map(([k, v]) => [k, v === null ? null : String(v)])),
          ),
        );
    const live = await facts();
    expect(live.find((row) => row.includes(fourth.id))).toContain(`["previous_at","`);
    await admin.json('POST', '/api/analytics/rebuild');
    expect(await facts()).toEqual(live);
    expect(await rollupRows(db, workspace.id)).toEqual(withReturning);
  });
});
