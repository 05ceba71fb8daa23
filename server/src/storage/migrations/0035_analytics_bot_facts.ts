// The bot report reads each conversation's bot figures from its fact row (folded by
// modules/analytics/facts.ts) rather than from the event log on every request. The rows already
// stored get them here, from the log, with the fold's definitions in SQL (one statement per
// column, the same text on SQLite and PostgreSQL): a start needs no rebuild by hand, and the
// rest of each row stays as it was.
import { sql, type Kysely, type RawBuilder } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

/** As in the protocol's BOT_HANDOFF_REASONS, kept here as they were when this ran. */
const HANDOFF_REASONS = [
  'flow',
  'asked_for_person',
  'question_failed',
  'action_failed',
  'not_understood',
  'no_answer',
  'loop',
];

const TIMES = ['bot_started_at', 'bot_finished_at', 'bot_handed_at', 'bot_taken_at'];
const FLAGS = ['bot_chose', 'intent_detected', 'non_target', 'non_target_closed'];

/** Event data is JSON text written by JSON.stringify (no spaces): a field's value is matched with LIKE. */
const dataHas = (field: string, value: string): RawBuilder<unknown> =>
  sql`e.data like ${`%"${field}":"${value}"%`}`;

const ofThis = (condition: RawBuilder<unknown>) =>
  sql`from conversation_events e
    where e.conversation_id = analytics_conversations.conversation_id and ${condition}`;

const firstAt = (condition: RawBuilder<unknown>) => sql`(select min(e.created_at) ${ofThis(condition)})`;
const any = (condition: RawBuilder<unknown>) =>
  sql`case when exists (select 1 ${ofThis(condition)}) then 1 else 0 end`;

/** Sets the bot columns of every stored fact row from the event log. */
export async function foldBotFacts(db: AnyDb): Promise<void> {
  const chose = sql`e.type = 'tag_added' and e.actor_type = 'api' and e.actor_id like 'bot:%'`;
  const nonTargetClosed = sql`e.type = 'resolved' and e.actor_type = 'system' and ${dataHas('by', 'bot')}`;
  // Rows of conversations no bot or assistant touched keep the defaults (most of them: no write).
  const touched = sql`e.type in ('bot_started', 'bot_finished', 'bot_handed_over', 'intent_detected')
    or (${chose}) or (${nonTargetClosed})`;
  await sql`update analytics_conversations set
      bot_started_at = ${firstAt(sql`e.type = 'bot_started'`)},
      bot_finished_at = ${firstAt(sql`e.type = 'bot_finished'`)},
      bot_handed_at = ${firstAt(sql`e.type = 'bot_handed_over'`)},
      intent_detected = ${any(sql`e.type = 'intent_detected'`)},
      non_target = ${any(sql`e.type = 'intent_detected' and ${dataHas('action', 'non_target')}`)},
      non_target_closed = ${any(nonTargetClosed)},
      bot_chose = ${any(chose)}
    where exists (select 1 ${ofThis(sql`(${touched})`)})`.execute(db);
  await sql`update analytics_conversations set
      bot_taken_at = ${firstAt(sql`e.type = 'assigned' and e.created_at >= analytics_conversations.bot_started_at`)}
    where bot_started_at is not null`.execute(db);
  // Of hand-offs in the first one's millisecond, the reason listed first.
  const rank = sql.join(
    HANDOFF_REASONS.map((reason, i) => sql`when ${dataHas('reason', reason)} then ${sql.lit(i)}`),
    sql` `,
  );
  const name = sql.join(
    HANDOFF_REASONS.map((reason, i) => sql`when ${sql.lit(i)} then ${sql.lit(reason)}`),
    sql` `,
  );
  await sql`update analytics_conversations set bot_handoff_reason = case (
      select min(case ${rank} end) ${ofThis(
        sql`e.type = 'bot_handed_over' and e.created_at = analytics_conversations.bot_handed_at`,
      )}) ${name} end
    where bot_handed_at is not null`.execute(db);
}

export async function up(db: AnyDb): Promise<void> {
  for (const column of TIMES)
    await db.schema.alterTable('analytics_conversations').addColumn(column, 'bigint').execute();
  await db.schema.alterTable('analytics_conversations').addColumn('bot_handoff_reason', 'text').execute();
  for (const column of FLAGS)
    await db.schema
      .alterTable('analytics_conversations')
      .addColumn(column, 'integer', (c) => c.notNull().defaultTo(0))
      .execute();
  await foldBotFacts(db);
}

export async function down(db: AnyDb): Promise<void> {
  for (const column of [...TIMES, 'bot_handoff_reason', ...FLAGS])
    await db.schema.alterTable('analytics_conversations').dropColumn(column).execute();
}
