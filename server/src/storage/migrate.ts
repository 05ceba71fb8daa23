// Runs the one migration set on whichever engine is open. Migrations are listed here explicitly
// (not read from a folder) so the built server carries them and their order is reviewable.
import { Migrator, type Migration, type MigrationProvider } from 'kysely';
import type { Storage } from './database.js';
import * as core from './migrations/0001_core.js';
import * as routing from './migrations/0002_routing.js';
import * as messageContent from './migrations/0003_message_content.js';
import * as workspace from './migrations/0050_workspace.js';
import * as widget from './migrations/0060_widget.js';
import * as integrations from './migrations/0040_integrations.js';
import * as routingLifecycle from './migrations/0010_routing_lifecycle.js';
import * as nlu from './migrations/0020_nlu.js';
import * as analytics from './migrations/0030_analytics.js';
import * as analyticsTagIndex from './migrations/0031_analytics_tag_index.js';
import * as analyticsRollups from './migrations/0032_analytics_rollups.js';
import * as analyticsReportIndexes from './migrations/0033_analytics_report_indexes.js';
import * as analyticsPreviousConversation from './migrations/0034_analytics_previous_conversation.js';
import * as analyticsBotFacts from './migrations/0035_analytics_bot_facts.js';
import * as analyticsWidgets from './migrations/0036_analytics_widgets.js';
import * as channels from './migrations/0070_channels.js';
import * as channelImap from './migrations/0071_channel_imap.js';
import * as channelReaders from './migrations/0072_channel_readers.js';
import * as channelOutboundOrder from './migrations/0073_channel_outbound_order.js';
import * as bots from './migrations/0080_bots.js';
import * as botSecrets from './migrations/0081_bot_secrets.js';
import * as botNodeVisits from './migrations/0082_bot_node_visits.js';
import * as nluCandidates from './migrations/0021_nlu_candidates.js';
import * as knowledgeAnswers from './migrations/0022_knowledge_answers.js';
import * as answerDrafts from './migrations/0025_answer_drafts.js';
import { secretsAtRest } from './migrations/0041_secrets_at_rest.js';
import { widgetIdentitySealed } from './migrations/0061_widget_identity_sealed.js';

/**
 * What a migration may need beyond the database: SECRET_KEY, for the ones that seal stored secrets.
 * Those are built from it here rather than reading settings themselves (no module reads process.env).
 */
export interface MigrationContext {
  secretKey: string;
}

const migrationsFor = (context: MigrationContext): Record<string, Migration> => ({
  '0001_core': core,
  '0002_routing': routing,
  '0003_message_content': messageContent,
  '0050_workspace': workspace,
  '0060_widget': widget,
  '0040_integrations': integrations,
  '0010_routing_lifecycle': routingLifecycle,
  '0020_nlu': nlu,
  '0030_analytics': analytics,
  '0031_analytics_tag_index': analyticsTagIndex,
  '0032_analytics_rollups': analyticsRollups,
  '0033_analytics_report_indexes': analyticsReportIndexes,
  '0034_analytics_previous_conversation': analyticsPreviousConversation,
  '0035_analytics_bot_facts': analyticsBotFacts,
  '0036_analytics_widgets': analyticsWidgets,
  '0070_channels': channels,
  '0071_channel_imap': channelImap,
  '0072_channel_readers': channelReaders,
  '0073_channel_outbound_order': channelOutboundOrder,
  '0080_bots': bots,
  '0081_bot_secrets': botSecrets,
  '0082_bot_node_visits': botNodeVisits,
  '0021_nlu_candidates': nluCandidates,
  '0022_knowledge_answers': knowledgeAnswers,
  '0025_answer_drafts': answerDrafts,
  '0041_secrets_at_rest': secretsAtRest(context),
  '0061_widget_identity_sealed': widgetIdentitySealed(context),
});

export async function migrateToLatest(storage: Storage, context: MigrationContext): Promise<string[]> {
  const provider: MigrationProvider = { getMigrations: async () => migrationsFor(context) };
  // Areas are built in parallel, each with migrations of its own numbers: a database that ran a
  // later-numbered one first must still accept an earlier one that lands after it.
  const migrator = new Migrator({ db: storage.db, provider, allowUnorderedMigrations: true });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
