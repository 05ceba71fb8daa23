// Storage of language understanding: intents, model versions, settings and per-conversation
// insights, always scoped by workspace_id.
import type { Kysely, Selectable, Transaction } from 'kysely';
import type {
  Database,
  NluCandidatesTable,
  NluConversationInsightsTable,
  NluIntentsTable,
  NluModelsTable,
} from '../../storage/schema.js';
import { prepare } from '../../storage/prepared.js';

type Db = Kysely<Database> | Transaction<Database>;

export type IntentRow = Selectable<NluIntentsTable>;
export type ModelRow = Selectable<NluModelsTable>;
export type InsightRow = Selectable<NluConversationInsightsTable>;
export type CandidateRow = Selectable<NluCandidatesTable>;

// Every visitor message reads and writes its conversation's insight (see storage/prepared.ts).
const insightOf = prepare((db, v: { workspaceId: string; conversationId: string }) =>
  db
    .selectFrom('nlu_conversation_insights')
    .selectAll()
    .where('workspace_id', '=', v.workspaceId)
    .where('conversation_id', '=', v.conversationId),
);

const upsertInsight = prepare((db, row: InsightRow) => {
  const { conversation_id: _id, workspace_id: _ws, ...changes } = row;
  return db
    .insertInto('nlu_conversation_insights')
    .values(row)
    .onConflict((oc) => oc.column('conversation_id').doUpdateSet(changes));
});

export class IntentRepo {
  constructor(readonly db: Kysely<Database>) {}

  // ---- intents ----

  listIntents(workspaceId: string): Promise<IntentRow[]> {
    return this.db
      .selectFrom('nlu_intents')
      .selectAll()
      .where('workspace_id', '=', workspaceId)
      .orderBy('name')
      .execute();
  }

  findIntent(workspaceId: string, id: string): Promise<IntentRow | undefined> {
    return this.db
      .selectFrom('nlu_intents')
      .selectAll()
      .where('workspace_id', '=', workspaceId)
      .where('id', '=', id)
      .executeTakeFirst();
  }

  insertIntent(row: IntentRow): Promise<unknown> {
    return this.db.insertInto('nlu_intents').values(row).execute();
  }

  updateIntent(workspaceId: string, id: string, patch: Partial<IntentRow>): Promise<unknown> {
    return this.db
      .updateTable('nlu_intents')
      .set(patch)
      .where('workspace_id', '=', workspaceId)
      .where('id', '=', id)
      .execute();
  }

  deleteIntent(workspaceId: string, id: string): Promise<boolean> {
    return this.deleteOne('nlu_intents', workspaceId, id);
  }

  // ---- models ----

  listModels(workspaceId: string): Promise<ModelRow[]> {
    return this.db
      .selectFrom('nlu_models')
      .selectAll()
      .where('workspace_id', '=', workspaceId)
      .orderBy('version', 'desc')
      .execute();
  }

  findModel(workspaceId: string, id: string): Promise<ModelRow | undefined> {
    return this.db
      .selectFrom('nlu_models')
      .selectAll()
      .where('workspace_id', '=', workspaceId)
      .where('id', '=', id)
      .executeTakeFirst();
  }

  /** The id of the model in use, read on every message so all nodes follow a switch at once. */
  async activeModelId(workspaceId: string): Promise<string | null> {
    const row = await this.db
      .selectFrom('nlu_models')
      .select('id')
      .where('workspace_id', '=', workspaceId)
      .where('status', '=', 'active')
      .executeTakeFirst();
    return row?.id ?? null;
  }

  async nextVersion(workspaceId: string): Promise<number> {
    const row = await this.db
      .selectFrom('nlu_models')
      .select((eb) => eb.fn.max('version').as('max'))
      .where('workspace_id', '=', workspaceId)
      .executeTakeFirst();
    return Number(row?.max ?? 0) + 1;
  }

  insertModel(row: ModelRow): Promise<unknown> {
    return this.db.insertInto('nlu_models').values(row).execute();
  }

  updateModel(id: string, patch: Partial<ModelRow>): Promise<unknown> {
    return this.db.updateTable('nlu_models').set(patch).where('id', '=', id).execute();
  }

  /** Switches the workspace to this model: the one in use becomes ready (so it can come back). */
  activate(workspaceId: string, id: string, now: number): Promise<void> {
    return this.db.transaction().execute(async (trx) => {
      await trx
        .updateTable('nlu_models')
        .set({ status: 'ready' })
        .where('workspace_id', '=', workspaceId)
        .where('status', '=', 'active')
        .execute();
      await trx
        .updateTable('nlu_models')
        .set({ status: 'active', activated_at: now })
        .where('workspace_id', '=', workspaceId)
        .where('id', '=', id)
        .execute();
    });
  }

  // ---- settings ----

  async settings(workspaceId: string, db: Db = this.db): Promise<string | undefined> {
    const row = await db
      .selectFrom('nlu_settings')
      .select('settings')
      .where('workspace_id', '=', workspaceId)
      .executeTakeFirst();
    return row?.settings;
  }

  async saveSettings(workspaceId: string, settings: string, now: number): Promise<void> {
    await this.db
      .insertInto('nlu_settings')
      .values({ workspace_id: workspaceId, settings, updated_at: now })
      .onConflict((oc) => oc.column('workspace_id').doUpdateSet({ settings, updated_at: now }))
      .execute();
  }

  // ---- what the assistant reads and keeps per conversation ----

  visitorMessage(workspaceId: string, messageId: string) {
    return this.db
      .selectFrom('messages')
      .select(['id', 'conversation_id', 'seq', 'text', 'author_type', 'kind'])
      .where('workspace_id', '=', workspaceId)
      .where('id', '=', messageId)
      .executeTakeFirst();
  }

  /** Whether a visitor wrote text in the conversation before this seq (only the first message routes). */
  async visitorWroteBefore(workspaceId: string, conversationId: string, seq: number): Promise<boolean> {
    const row = await this.db
      .selectFrom('messages')
      .select('id')
      .where('workspace_id', '=', workspaceId)
      .where('conversation_id', '=', conversationId)
      .where('author_type', '=', 'visitor')
      .where('kind', '=', 'text')
      .where('seq', '<', seq)
      .executeTakeFirst();
    return row !== undefined;
  }

  /** The visitor's last text message, for reply suggestions. */
  lastVisitorMessage(workspaceId: string, conversationId: string) {
    return this.db
      .selectFrom('messages')
      .select(['id', 'text'])
      .where('workspace_id', '=', workspaceId)
      .where('conversation_id', '=', conversationId)
      .where('author_type', '=', 'visitor')
      .where('kind', '=', 'text')
      .orderBy('seq', 'desc')
      .limit(1)
      .executeTakeFirst();
  }

  async findInsight(
    workspaceId: string,
    conversationId: string,
    db: Db = this.db,
  ): Promise<InsightRow | undefined> {
    return (await insightOf.execute(db, { workspaceId, conversationId })).rows[0];
  }

  async saveInsight(row: InsightRow, db: Db = this.db): Promise<void> {
    await upsertInsight.execute(db, row);
  }

  /** Sets only the intent: the mood columns belong to the messages' own transactions. */
  async saveIntent(row: InsightRow): Promise<void> {
    const intent = {
      intent: row.intent,
      intent_confidence: row.intent_confidence,
      updated_at: row.updated_at,
    };
    await this.db
      .insertInto('nlu_conversation_insights')
      .values(row)
      .onConflict((oc) => oc.column('conversation_id').doUpdateSet(intent))
      .execute();
  }

  /** Open conversations marked upset, most recent first: the supervisors' "hot" list. */
  hot(workspaceId: string, limit: number): Promise<InsightRow[]> {
    return this.db
      .selectFrom('nlu_conversation_insights')
      .innerJoin('conversations', 'conversations.id', 'nlu_conversation_insights.conversation_id')
      .selectAll('nlu_conversation_insights')
      .where('nlu_conversation_insights.workspace_id', '=', workspaceId)
      .where('nlu_conversation_insights.upset_at', 'is not', null)
      .where('conversations.status', '!=', 'resolved')
      .orderBy('nlu_conversation_insights.upset_at', 'desc')
      .limit(limit)
      .execute();
  }

  recordSuggestionUse(row: {
    id: string;
    workspace_id: string;
    conversation_id: string;
    user_id: string | null;
    kind: string;
    item_id: string;
    created_at: number;
  }): Promise<unknown> {
    return this.db.insertInto('nlu_suggestion_uses').values(row).execute();
  }

  // ---- candidate examples from operators' decisions ----

  /** The conversation's first visitor text message. */
  firstVisitorMessage(workspaceId: string, conversationId: string) {
    return this.db
      .selectFrom('messages')
      .select(['id', 'text'])
      .where('workspace_id', '=', workspaceId)
      .where('conversation_id', '=', conversationId)
      .where('author_type', '=', 'visitor')
      .where('kind', '=', 'text')
      .orderBy('seq')
      .limit(1)
      .executeTakeFirst();
  }

  /** One candidate per conversation: a later decision replaces an earlier one. */
  async saveCandidate(row: CandidateRow): Promise<void> {
    await this.db
      .insertInto('nlu_candidates')
      .values(row)
      .onConflict((oc) =>
        oc.columns(['workspace_id', 'conversation_id']).doUpdateSet({
          intent_id: row.intent_id,
          source: row.source,
          created_by: row.created_by,
          created_at: row.created_at,
        }),
      )
      .execute();
  }

  listCandidates(workspaceId: string): Promise<CandidateRow[]> {
    return this.db
      .selectFrom('nlu_candidates')
      .selectAll()
      .where('workspace_id', '=', workspaceId)
      .orderBy('created_at', 'desc')
      .limit(500)
      .execute();
  }

  findCandidate(workspaceId: string, id: string): Promise<CandidateRow | undefined> {
    return this.db
      .selectFrom('nlu_candidates')
      .selectAll()
      .where('workspace_id', '=', workspaceId)
      .where('id', '=', id)
      .executeTakeFirst();
  }

  deleteCandidate(workspaceId: string, id: string): Promise<boolean> {
    return this.deleteOne('nlu_candidates', workspaceId, id);
  }

  /** Deletes a row of the workspace by id; false when there was none. */
  private async deleteOne(
    table: 'nlu_intents' | 'nlu_candidates',
    workspaceId: string,
    id: string,
  ): Promise<boolean> {
    const result = await this.db
      .deleteFrom(table)
      .where('workspace_id', '=', workspaceId)
      .where('id', '=', id)
      .executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }
}
