// The bots module's tables, added to the storage schema's Database by interface merging so the
// shared schema file stays untouched (migrations 0080_bots, 0081_bot_secrets).
import '../../storage/schema.js';

export interface BotFlowsTable {
  id: string;
  workspace_id: string;
  name: string;
  enabled: number;
  /** JSON: FlowTrigger[] of the draft. */
  triggers: string;
  /** JSON: the draft FlowGraph. */
  graph: string;
  published_version: number | null;
  created_at: number;
  updated_at: number;
}

export interface BotFlowVersionsTable {
  flow_id: string;
  version: number;
  workspace_id: string;
  triggers: string;
  graph: string;
  published_by: string | null;
  published_at: number;
}

export interface BotRunsTable {
  conversation_id: string;
  workspace_id: string;
  flow_id: string;
  flow_version: number;
  channel: string;
  language: string;
  node_id: string;
  status: string;
  /** JSON: Record<string, string>. */
  variables: string;
  attempts: number;
  prompt_message_id: string | null;
  input_seq: number;
  version: number;
  end_reason: string | null;
  /** JSON: string[] of node ids executed. */
  path: string;
  started_at: number;
  updated_at: number;
}

/** Visits per node of a flow (all versions), added to in each step's transaction. */
export interface BotNodeVisitsTable {
  flow_id: string;
  node_id: string;
  workspace_id: string;
  visits: number;
}

export interface BotSecretsTable {
  workspace_id: string;
  name: string;
  /** SecretBox-sealed (purpose `bot-secrets`); never sent back to a client. */
  value_sealed: string;
  updated_at: number;
}

declare module '../../storage/schema.js' {
  interface Database {
    bot_flows: BotFlowsTable;
    bot_flow_versions: BotFlowVersionsTable;
    bot_runs: BotRunsTable;
    bot_secrets: BotSecretsTable;
    bot_node_visits: BotNodeVisitsTable;
  }
}
