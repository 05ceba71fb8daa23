// Keeps the analytics tables exact as events and messages arrive (an observer running inside each
// writing transaction), and rebuilds them from the whole log (after a time-zone change, or for
// history written before analytics existed).
import type { Kysely, Transaction } from 'kysely';
import { z } from 'zod';
import { parseJsonColumn } from '../../storage/json.js';
import { prepare } from '../../storage/prepared.js';
import type { Database } from '../../storage/schema.js';
import type { RecordedRow } from '../conversations/repo.js';
import {
  applyEvent,
  applyMessage,
  countsMessage,
  changesFact,
  localBucket,
  newFact,
  type Fact,
  type FactEvent,
  type FactMessage,
} from './facts.js';
import { moveShares, refreshRollups, sharesOf } from './rollup.js';
import { readSettings } from './settings.js';
import { forgetOnlineDays } from './presence.js';

type Db = Kysely<Database> | Transaction<Database>;
const EventData = z.record(z.string(), z.unknown());
const dataOf = (text: string) => parseJsonColumn(EventData, text, {});
const factEventOf = (
  event: Pick<Database['conversation_events'], 'type' | 'created_at' | 'actor_type' | 'actor_id'>,
  data: Record<string, unknown>,
): FactEvent => ({
  type: event.type,
  created_at: event.created_at,
  actor_type: event.actor_type,
  actor_id: event.actor_id,
  data,
});

const factById = prepare((db, v: { conversationId: string }) =>
  db.selectFrom('analytics_conversations').selectAll().where('conversation_id', '=', v.conversationId),
);

/** Compiled once per set of changed columns: a message changes the same one or two each time. */
const updateFact = prepare((db, v: Partial<Fact> & { conversationId: string }) => {
  const { conversationId, ...changed } = v;
  return db.updateTable('analytics_conversations').set(changed).where('conversation_id', '=', conversationId);
});

async function loadFact(db: Db, conversationId: string): Promise<Fact | undefined> {
  return (await factById.execute(db, { conversationId })).rows[0];
}

/** Folds a change into the stored fact and moves its share of the rollups along, in one transaction. */
async function changeFact(db: Db, fact: Fact, change: (fact: Fact) => Fact): Promise<void> {
  const before = sharesOf(fact);
  const was = { ...fact };
  // The fold may change the fact in place: compare with the copy.
  const next = change(fact);
  // Only the columns that changed: SQLite rewrites the index entries of every column an UPDATE
  // sets, and a message changes a count or two of a row with several indexes.
  const changed: Partial<Fact> = {};
  for (const column of Object.keys(next) as (keyof Fact)[])
    if (next[column] !== was[column]) Object.assign(changed, { [column]: next[column] });
  if (Object.keys(changed).length === 0) return;
  await updateFact.execute(db, { ...changed, conversationId: fact.conversation_id });
  await moveShares(db, before, next);
}

/** The observer for conversations.onRecorded. */
export async function recordForAnalytics(db: Db, recorded: RecordedRow): Promise<void> {
  if (recorded.kind === 'message') {
    const message = recorded.row;
    if (!countsMessage(message)) return;
    const fact = await loadFact(db, message.conversation_id);
    if (fact) await changeFact(db, fact, (f) => applyMessage(f, message));
    return;
  }
  const event = recorded.row;
  if (event.type === 'created') {
    await createFact(db, event.workspace_id, event.conversation_id, dataOf(event.data), event.created_at);
    return;
  }
  // A tag also goes on through the fold: the bot's own tag is a menu choice.
  if (event.type === 'tag_added' || event.type === 'tag_removed') {
    await recordTag(
      db,
      event.workspace_id,
      event.conversation_id,
      event.type,
      dataOf(event.data),
      event.created_at,
    );
  }
  if (!changesFact(event)) return;
  const fact = await loadFact(db, event.conversation_id);
  if (!fact) return;
  const data = dataOf(event.data);
  await changeFact(db, fact, (f) => applyEvent(f, factEventOf(event, data)));
  if (event.type === 'missed' && typeof data.operatorId === 'string') {
    const timezone = (await readSettings(db, event.workspace_id)).timezone;
    await db
      .insertInto('analytics_offer_misses')
      .values({
        event_id: event.id,
        workspace_id: event.workspace_id,
        operator_id: data.operatorId,
        conversation_id: event.conversation_id,
        local_day: localBucket(event.created_at, timezone).day,
      })
      .onConflict((oc) => oc.column('event_id').doNothing())
      .execute();
  }
}

async function createFact(
  db: Db,
  workspaceId: string,
  conversationId: string,
  data: Record<string, unknown>,
  createdAt: number,
): Promise<void> {
  const conversation = await db
    .selectFrom('conversations')
    .select(['contact_id', 'channel', 'department_id'])
    .where('id', '=', conversationId)
    .executeTakeFirst();
  if (!conversation) return;
  const previous = await db
    .selectFrom('analytics_conversations')
    .select(({ fn }) => fn.max('created_at').as('at'))
    .where('workspace_id', '=', workspaceId)
    .where('contact_id', '=', conversation.contact_id)
    .where('created_at', '<=', createdAt)
    .executeTakeFirst();
  const { timezone } = await readSettings(db, workspaceId);
  const fact = newFact({
    conversationId,
    workspaceId,
    contactId: conversation.contact_id,
    channel: conversation.channel,
    departmentId: conversation.department_id,
    source: typeof data.source === 'string' ? data.source : 'visitor',
    createdAt,
    previousAt: previous?.at === null || previous?.at === undefined ? null : Number(previous.at),
    timezone,
  });
  const inserted = await db
    .insertInto('analytics_conversations')
    .values(fact)
    .onConflict((oc) => oc.column('conversation_id').doNothing())
    .executeTakeFirst();
  if (Number(inserted.numInsertedOrUpdatedRows ?? 0) > 0) await moveShares(db, null, fact);
}

async function recordTag(
  db: Db,
  workspaceId: string,
  conversationId: string,
  type: string,
  data: Record<string, unknown>,
  at: number,
): Promise<void> {
  if (typeof data.tag !== 'string') return;
  if (type === 'tag_removed') {
    await db
      .deleteFrom('analytics_tags')
      .where('conversation_id', '=', conversationId)
      .where('tag', '=', data.tag)
      .execute();
    return;
  }
  const { timezone } = await readSettings(db, workspaceId);
  await db
    .insertInto('analytics_tags')
    .values({
      conversation_id: conversationId,
      tag: data.tag,
      workspace_id: workspaceId,
      local_day: localBucket(at, timezone).day,
      added_at: at,
    })
    .onConflict((oc) => oc.columns(['conversation_id', 'tag']).doNothing())
    .execute();
}

const REBUILD_BATCH = 500;

/**
 * Recomputes every analytics row of the workspace from its event log, batch by batch, then the
 * rollups from those rows. Returns the number of conversations folded. Runs outside a single
 * transaction: reports during a rebuild may briefly see a mix, which the next report call corrects.
 */
export async function rebuildAnalytics(db: Kysely<Database>, workspaceId: string): Promise<number> {
  const { timezone } = await readSettings(db, workspaceId);
  for (const table of ['analytics_conversations', 'analytics_tags', 'analytics_offer_misses'] as const)
    await db.deleteFrom(table).where('workspace_id', '=', workspaceId).execute();
  // Online days are cut at local midnights: a new zone cuts them anew.
  await forgetOnlineDays(db, workspaceId);
  /** Each contact's latest conversation start folded so far (conversations go in time order). */
  const lastStarts = new Map<string, number>();
  let after: { created_at: number; id: string } | null = null;
  let total = 0;
  for (;;) {
    let query = db
      .selectFrom('conversations')
      .select(['id', 'contact_id', 'channel', 'department_id', 'created_at'])
      .where('workspace_id', '=', workspaceId)
      .orderBy('created_at')
      .orderBy('id')
      .limit(REBUILD_BATCH);
    if (after) {
      const cursor = after;
      query = query.where((eb) =>
        eb.or([
          eb('created_at', '>', cursor.created_at),
          eb.and([eb('created_at', '=', cursor.created_at), eb('id', '>', cursor.id)]),
        ]),
      );
    }
    const conversations = await query.execute();
    if (conversations.length === 0) break;
    const ids = conversations.map((c) => c.id);
    const [events, messages] = await Promise.all([
      db
        .selectFrom('conversation_events')
        .select(['id', 'conversation_id', 'type', 'data', 'created_at', 'actor_type', 'actor_id'])
        .where('conversation_id', 'in', ids)
        .orderBy('created_at')
        .orderBy('id')
        .execute(),
      db
        .selectFrom('messages')
        .select(['conversation_id', 'author_type', 'kind', 'created_at', 'seq'])
        .where('conversation_id', 'in', ids)
        .where('kind', '=', 'text')
        .where('author_type', 'in', ['visitor', 'operator'])
        .orderBy('conversation_id')
        .orderBy('seq')
        .execute(),
    ]);
    type Step = { at: number; order: number; apply: (fact: Fact) => void };
    const steps = new Map<string, Step[]>();
    const push = (id: string, step: Step) => {
      let list = steps.get(id);
      if (!list) steps.set(id, (list = []));
      list.push(step);
    };
    const facts: Fact[] = [];
    const tags = new Map<string, Database['analytics_tags']>();
    const misses: Database['analytics_offer_misses'][] = [];
    const created = new Map<string, { source: string; departmentId: string | null | undefined }>();
    for (const event of events) {
      const data = dataOf(event.data);
      if (event.type === 'created') {
        created.set(event.conversation_id, {
          source: typeof data.source === 'string' ? data.source : 'visitor',
          departmentId: undefined,
        });
      } else if (event.type === 'transferred') {
        const origin = created.get(event.conversation_id);
        if (origin && origin.departmentId === undefined)
          origin.departmentId = typeof data.fromDepartmentId === 'string' ? data.fromDepartmentId : null;
      }
      if (event.type === 'tag_added' && typeof data.tag === 'string') {
        tags.set(`${event.conversation_id}\u0000${data.tag}`, {
          conversation_id: event.conversation_id,
          tag: data.tag,
          workspace_id: workspaceId,
          local_day: localBucket(event.created_at, timezone).day,
          added_at: event.created_at,
        });
      } else if (event.type === 'tag_removed' && typeof data.tag === 'string') {
        tags.delete(`${event.conversation_id}\u0000${data.tag}`);
      } else if (event.type === 'missed' && typeof data.operatorId === 'string') {
        misses.push({
          event_id: event.id,
          workspace_id: workspaceId,
          operator_id: data.operatorId,
          conversation_id: event.conversation_id,
          local_day: localBucket(event.created_at, timezone).day,
        });
      }
      if (changesFact(event)) {
        const factEvent = factEventOf(event, data);
        push(event.conversation_id, {
          at: event.created_at,
          order: 0,
          apply: (f) => applyEvent(f, factEvent),
        });
      }
    }
    for (const message of messages) {
      const factMessage: FactMessage = message;
      push(message.conversation_id, {
        at: message.created_at,
        order: 1,
        apply: (f) => applyMessage(f, factMessage),
      });
    }
    for (const conversation of conversations) {
      const origin = created.get(conversation.id);
      const fact = newFact({
        conversationId: conversation.id,
        workspaceId,
        contactId: conversation.contact_id,
        channel: conversation.channel,
        departmentId: origin?.departmentId === undefined ? conversation.department_id : origin.departmentId,
        source: origin?.source ?? 'visitor',
        createdAt: conversation.created_at,
        previousAt: lastStarts.get(conversation.contact_id) ?? null,
        timezone,
      });
      lastStarts.set(conversation.contact_id, conversation.created_at);
      // Stable sort: an event and a message of the same millisecond keep events first.
      const list = (steps.get(conversation.id) ?? []).sort((a, b) => a.at - b.at || a.order - b.order);
      for (const step of list) step.apply(fact);
      facts.push(fact);
    }
    // Rows the live observer wrote meanwhile (conversations created during the rebuild) win.
    await db.transaction().execute(async (trx) => {
      for (let i = 0; i < facts.length; i += 100)
        await trx
          .insertInto('analytics_conversations')
          .values(facts.slice(i, i + 100))
          .onConflict((oc) => oc.column('conversation_id').doNothing())
          .execute();
      const tagRows = [...tags.values()];
      for (let i = 0; i < tagRows.length; i += 200)
        await trx
          .insertInto('analytics_tags')
          .values(tagRows.slice(i, i + 200))
          .onConflict((oc) => oc.columns(['conversation_id', 'tag']).doNothing())
          .execute();
      for (let i = 0; i < misses.length; i += 200)
        await trx
          .insertInto('analytics_offer_misses')
          .values(misses.slice(i, i + 200))
          .onConflict((oc) => oc.column('event_id').doNothing())
          .execute();
    });
    total += conversations.length;
    const last = conversations[conversations.length - 1]!;
    after = { created_at: last.created_at, id: last.id };
  }
  await db.transaction().execute((trx) => refreshRollups(trx, workspaceId));
  return total;
}

/**
 * Workspaces with conversations but no analytics rows (history from before analytics existed, e.g.
 * after an upgrade): each is rebuilt from its log. Returns the workspaces rebuilt.
 */
export async function catchUpAnalytics(db: Kysely<Database>): Promise<string[]> {
  const missing = await db
    .selectFrom('workspaces')
    .select('id')
    .where(({ exists, selectFrom }) =>
      exists(
        selectFrom('conversations')
          .select('conversations.id')
          .whereRef('conversations.workspace_id', '=', 'workspaces.id'),
      ),
    )
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('analytics_conversations')
            .select('analytics_conversations.conversation_id')
            .whereRef('analytics_conversations.workspace_id', '=', 'workspaces.id'),
        ),
      ),
    )
    .execute();
  for (const workspace of missing) await rebuildAnalytics(db, workspace.id);
  return missing.map((w) => w.id);
}
