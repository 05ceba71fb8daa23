// Visits per node, counted in the transaction of the step that made them. Bot steps of many
// conversations share a commit (commit-group.ts) and mostly pass the same few nodes, so the step's
// visits are summed with the others' and added in one statement per commit.
import type { Transaction } from 'kysely';
import { accumulatorIn, type CommitAccumulator } from '../../storage/commit-group.js';
import type { Database } from '../../storage/schema.js';
import type { BotRepo } from './repo.js';

interface NodeVisitCount {
  workspaceId: string;
  flowId: string;
  nodeId: string;
  visits: number;
}

class NodeVisits implements CommitAccumulator {
  readonly counts = new Map<string, NodeVisitCount>();

  constructor(private readonly repo: BotRepo) {}

  add(count: NodeVisitCount): void {
    const key = `${count.flowId}\u0000${count.nodeId}`;
    const found = this.counts.get(key);
    if (found) found.visits += count.visits;
    else this.counts.set(key, { ...count });
  }

  merge(other: this): void {
    for (const count of other.counts.values()) this.add(count);
  }

  flush(trx: Transaction<Database>): Promise<void> {
    return this.repo.addNodeVisits(
      trx,
      [...this.counts.values()].map((c) => ({
        flow_id: c.flowId,
        node_id: c.nodeId,
        workspace_id: c.workspaceId,
        visits: c.visits,
      })),
    );
  }
}

/** Counts the nodes a step executed, with its commit (at once outside a grouped write). */
export async function recordNodeVisits(
  trx: Transaction<Database>,
  repo: BotRepo,
  run: { workspaceId: string; flowId: string },
  nodeIds: readonly string[],
): Promise<void> {
  if (nodeIds.length === 0) return;
  const deferred = accumulatorIn(trx, 'bots.node-visits', () => new NodeVisits(repo));
  const visits = deferred ?? new NodeVisits(repo);
  for (const nodeId of nodeIds) visits.add({ ...run, nodeId, visits: 1 });
  if (!deferred) await visits.flush(trx);
}
