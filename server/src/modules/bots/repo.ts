// SQL of the bots module: flows with their drafts, immutable published versions, and one run per
// conversation updated only when its version is still the one read (two steps never interleave).
import {
  sql,
  type Insertable,
  type Kysely,
  type Selectable,
  type Transaction,
  type Updateable,
} from 'kysely';
import type { CommitGroup, GroupedWrite } from '../../storage/commit-group.js';
import type { Database } from '../../storage/schema.js';
import type {
  BotFlowsTable,
  BotFlowVersionsTable,
  BotNodeVisitsTable,
  BotRunsTable,
  BotSecretsTable,
} from './schema.js';

export type FlowRow = Selectable<BotFlowsTable>;
export type FlowVersionRow = Selectable<BotFlowVersionsTable>;
export type RunRow = Selectable<BotRunsTable>;
export type SecretRow = Selectable<BotSecretsTable>;
type Db = Kysely<Database> | Transaction<Database>;

export class BotRepo {
  constructor(
    readonly db: Kysely<Database>,
    private readonly commitGroup: CommitGroup,
  ) {}

  /**
   * A step's writes for one conversation, sharing a commit with others arriving at the same time.
   * They go ahead of visitors' new messages: the visitor is waiting for this reply.
   */
  writeGrouped<T>(conversationId: string, work: GroupedWrite<T>): Promise<T> {
    return this.commitGroup.run(conversationId, work, 'ahead');
  }

  listFlows(workspaceId: string): Promise<FlowRow[]> {
    return this.db
      .selectFrom('bot_flows')
      .selectAll()
      .where('workspace_id', '=', workspaceId)
      .orderBy('created_at')
      .execute();
  }

  findFlow(workspaceId: string, id: string): Promise<FlowRow | undefined> {
    return this.db
      .selectFrom('bot_flows')
      .selectAll()
      .where('workspace_id', '=', workspaceId)
      .where('id', '=', id)
      .executeTakeFirst();
  }

  async insertFlow(row: FlowRow): Promise<void> {
    await this.db.insertInto('bot_flows').values(row).execute();
  }

  async updateFlow(
    workspaceId: string,
    id: string,
    patch: Updateable<BotFlowsTable>,
    db: Db = this.db,
  ): Promise<boolean> {
    const result = await db
      .updateTable('bot_flows')
      .set(patch)
      .where('workspace_id', '=', workspaceId)
      .where('id', '=', id)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  async deleteFlow(workspaceId: string, id: string): Promise<boolean> {
    return this.db.transaction().execute(async (trx) => {
      await trx
        .deleteFrom('bot_flow_versions')
        .where('workspace_id', '=', workspaceId)
        .where('flow_id', '=', id)
        .execute();
      const result = await trx
        .deleteFrom('bot_flows')
        .where('workspace_id', '=', workspaceId)
        .where('id', '=', id)
        .executeTakeFirst();
      return Number(result.numDeletedRows) > 0;
    });
  }

  /** Stores the draft as the next version and points the flow at it, in one transaction. */
  publish(flow: FlowRow, publishedBy: string | null, now: number): Promise<number> {
    return this.db.transaction().execute(async (trx) => {
      const last = await trx
        .selectFrom('bot_flow_versions')
        .select((eb) => eb.fn.max('version').as('version'))
        .where('flow_id', '=', flow.id)
        .executeTakeFirst();
      const version = Number(last?.version ?? 0) + 1;
      await trx
        .insertInto('bot_flow_versions')
        .values({
          flow_id: flow.id,
          version,
          workspace_id: flow.workspace_id,
          triggers: flow.triggers,
          graph: flow.graph,
          published_by: publishedBy,
          published_at: now,
        })
        .execute();
      await this.updateFlow(flow.workspace_id, flow.id, { published_version: version }, trx);
      return version;
    });
  }

  findVersion(flowId: string, version: number): Promise<FlowVersionRow | undefined> {
    return this.db
      .selectFrom('bot_flow_versions')
      .selectAll()
      .where('flow_id', '=', flowId)
      .where('version', '=', version)
      .executeTakeFirst();
  }

  /** The published versions of the workspace's enabled flows: what triggers are matched against. */
  publishedVersions(workspaceId: string, db: Db = this.db): Promise<FlowVersionRow[]> {
    return db
      .selectFrom('bot_flow_versions as v')
      .innerJoin('bot_flows as f', (join) =>
        join.onRef('f.id', '=', 'v.flow_id').onRef('f.published_version', '=', 'v.version'),
      )
      .selectAll('v')
      .where('f.workspace_id', '=', workspaceId)
      .where('f.enabled', '=', 1)
      .orderBy('f.created_at')
      .execute();
  }

  async insertRun(db: Db, row: RunRow): Promise<void> {
    await db.insertInto('bot_runs').values(row).execute();
  }

  findRun(workspaceId: string, conversationId: string, db: Db = this.db): Promise<RunRow | undefined> {
    return db
      .selectFrom('bot_runs')
      .selectAll()
      .where('workspace_id', '=', workspaceId)
      .where('conversation_id', '=', conversationId)
      .executeTakeFirst();
  }

  /** Saves a step's result if nobody saved another since `version` was read; false when someone did. */
  async saveRun(db: Db, run: RunRow, patch: Updateable<BotRunsTable>): Promise<boolean> {
    const result = await db
      .updateTable('bot_runs')
      .set({ ...patch, version: run.version + 1 })
      .where('conversation_id', '=', run.conversation_id)
      .where('version', '=', run.version)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  /** What the figures need of a flow's runs. */
  /** How the flow's runs stand: counted by status and ending, waiting ones also by node and idleness. */
  runOutcomes(workspaceId: string, flowId: string, idleSince: number) {
    return this.db
      .selectFrom('bot_runs')
      .select((eb) => [
        'status',
        'end_reason',
        sql<string | null>`case when status = 'waiting' and updated_at < ${idleSince} then node_id end`.as(
          'dropped_at',
        ),
        eb.fn.countAll<number>().as('runs'),
      ])
      .where('workspace_id', '=', workspaceId)
      .where('flow_id', '=', flowId)
      .groupBy(['status', 'end_reason', 'dropped_at'])
      .execute();
  }

  nodeVisits(workspaceId: string, flowId: string) {
    return this.db
      .selectFrom('bot_node_visits')
      .select(['node_id', 'visits'])
      .where('workspace_id', '=', workspaceId)
      .where('flow_id', '=', flowId)
      .execute();
  }

  /** Adds visits to nodes, rows in key order so that concurrent transactions lock them alike. */
  async addNodeVisits(db: Db, rows: readonly Insertable<BotNodeVisitsTable>[]): Promise<void> {
    if (rows.length === 0) return;
    const ordered = [...rows].sort((a, b) =>
      a.flow_id === b.flow_id ? (a.node_id < b.node_id ? -1 : 1) : a.flow_id < b.flow_id ? -1 : 1,
    );
    await db
      .insertInto('bot_node_visits')
      .values(ordered)
      .onConflict((oc) =>
        oc
          .columns(['flow_id', 'node_id'])
          .doUpdateSet({ visits: sql`bot_node_visits.visits + excluded.visits` }),
      )
      .execute();
  }

  /** An operator took the conversation: the run stops wherever it was. */
  async endActiveRun(db: Db, conversationId: string, reason: string, now: number): Promise<boolean> {
    const result = await db
      .updateTable('bot_runs')
      .set((eb) => ({ status: 'ended', end_reason: reason, updated_at: now, version: eb('version', '+', 1) }))
      .where('conversation_id', '=', conversationId)
      .where('status', '!=', 'ended')
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  async activeRunsOfFlow(workspaceId: string, flowId: string): Promise<number> {
    const row = await this.db
      .selectFrom('bot_runs')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('workspace_id', '=', workspaceId)
      .where('flow_id', '=', flowId)
      .where('status', '!=', 'ended')
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  isRunActive(db: Db, conversationId: string): Promise<boolean> {
    return db
      .selectFrom('bot_runs')
      .select('conversation_id')
      .where('conversation_id', '=', conversationId)
      .where('status', '!=', 'ended')
      .executeTakeFirst()
      .then((row) => row !== undefined);
  }

  // ---- secrets ----

  listSecrets(workspaceId: string): Promise<SecretRow[]> {
    return this.db
      .selectFrom('bot_secrets')
      .selectAll()
      .where('workspace_id', '=', workspaceId)
      .orderBy('name')
      .execute();
  }

  async putSecret(row: SecretRow): Promise<void> {
    await this.db
      .insertInto('bot_secrets')
      .values(row)
      .onConflict((oc) =>
        oc
          .columns(['workspace_id', 'name'])
          .doUpdateSet({ value_sealed: row.value_sealed, updated_at: row.updated_at }),
      )
      .execute();
  }

  async deleteSecret(workspaceId: string, name: string): Promise<boolean> {
    const result = await this.db
      .deleteFrom('bot_secrets')
      .where('workspace_id', '=', workspaceId)
      .where('name', '=', name)
      .executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }
}
