// Bot figures kept as they happen: visits per node of each flow, counted in the step's own
// transaction (before, the stats endpoint re-read every run's path). Existing runs' paths are
// folded in once. Runs get an index for the stats' counts by flow, status and node.
import type { Kysely } from 'kysely';

// Migrations must not depend on the app's current types: they describe the past.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
  await db.schema
    .createTable('bot_node_visits')
    .addColumn('flow_id', 'text', (c) => c.notNull().references('bot_flows.id').onDelete('cascade'))
    .addColumn('node_id', 'text', (c) => c.notNull())
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id'))
    .addColumn('visits', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('bot_node_visits_pk', ['flow_id', 'node_id'])
    .execute();
  await db.schema
    .createIndex('bot_runs_flow_status_node')
    .on('bot_runs')
    .columns(['flow_id', 'status', 'node_id'])
    .execute();

  const visits = new Map<string, { flowId: string; nodeId: string; workspaceId: string; visits: number }>();
  const runs = await db
    .selectFrom('bot_runs')
    .innerJoin('bot_flows', 'bot_flows.id', 'bot_runs.flow_id')
    .select(['bot_runs.flow_id', 'bot_runs.workspace_id', 'bot_runs.path'])
    .execute();
  for (const run of runs as { flow_id: string; workspace_id: string; path: string }[]) {
    for (const nodeId of JSON.parse(run.path) as string[]) {
      const key = `${run.flow_id}\u0000${nodeId}`;
      const found = visits.get(key);
      if (found) found.visits += 1;
      else visits.set(key, { flowId: run.flow_id, nodeId, workspaceId: run.workspace_id, visits: 1 });
    }
  }
  const rows = [...visits.values()].map((v) => ({
    flow_id: v.flowId,
    node_id: v.nodeId,
    workspace_id: v.workspaceId,
    visits: v.visits,
  }));
  for (let i = 0; i < rows.length; i += 500)
    await db
      .insertInto('bot_node_visits')
      .values(rows.slice(i, i + 500))
      .execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.dropIndex('bot_runs_flow_status_node').execute();
  await db.schema.dropTable('bot_node_visits').execute();
}
