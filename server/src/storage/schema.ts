// Row types of every table, as Kysely sees them. Timestamps are epoch milliseconds (bigint in
// PostgreSQL, integer in SQLite); JSON values are stored as text so one migration fits both engines.
import type {
  ChannelAccountsTable,
  ChannelContactsTable,
  ChannelImapMailboxesTable,
  ChannelInboundTable,
  ChannelOutboundTable,
  ChannelReadersTable,
  ChannelTelegramPollsTable,
} from '../modules/channels/core/tables.js';
import type { Generated } from 'kysely';

export interface WorkspacesTable {
  id: string;
  name: string;
  widget_key: string;
  visitor_token_secret: string;
  default_locale: string;
  allowed_origins: string;
  settings: string;
  created_at: number;
}

export interface UsersTable {
  id: string;
  workspace_id: string;
  email: string;
  name: string;
  password_hash: string;
  role: string;
  locale: string;
  created_at: number;
  disabled_at: number | null;
  capacity: Generated<number>;
  presence: Generated<string>;
  presence_changed_at: Generated<number>;
  active_count: Generated<number>;
  last_offered_at: Generated<number>;
  missed_in_row: Generated<number>;
}

export interface PresenceEventsTable {
  id: string;
  workspace_id: string;
  user_id: string;
  presence: string;
  reason: string;
  created_at: number;
}

export interface DepartmentsTable {
  id: string;
  workspace_id: string;
  name: string;
  created_at: number;
  strategy: string;
  offer_timeout_seconds: number;
  sticky_wait_seconds: number;
  misses_before_away: number;
  /** 1, 2, 3: the line this department is; escalation goes to escalates_to_id. */
  line_level: number;
  escalates_to_id: string | null;
  business_hours: string | null;
  /** Routing lifecycle (0010): 0 is off; null idle minutes means the workspace's setting. */
  first_reply_timeout_seconds: Generated<number>;
  idle_close_minutes: number | null;
}

/** Routing lifecycle settings of a workspace (0010). */
export interface RoutingSettingsTable {
  workspace_id: string;
  idle_close_minutes: number;
  reopen_window_minutes: number;
  updated_at: number;
}

export interface UserDepartmentsTable {
  workspace_id: string;
  user_id: string;
  department_id: string;
}

export interface SessionsTable {
  id: string;
  workspace_id: string;
  user_id: string;
  token_hash: string;
  csrf_token: string;
  created_at: number;
  expires_at: number;
}

export interface ApiTokensTable {
  id: string;
  workspace_id: string;
  name: string;
  token_hash: string;
  scopes: string;
  created_by: string;
  created_at: number;
  last_used_at: number | null;
  revoked_at: number | null;
}

export interface ContactsTable {
  id: string;
  workspace_id: string;
  name: string | null;
  email: string | null;
  phone: string | null;
  external_id: string | null;
  attributes: string;
  metadata: string;
  search_text: string;
  created_at: number;
  updated_at: number;
  email_verified: Generated<number>;
  phone_verified: Generated<number>;
  phone_normalized: Generated<string | null>;
  /** Set when this contact was merged into another: the survivor holds its history. */
  merged_into_id: Generated<string | null>;
  erased_at: Generated<number | null>;
}

export interface ConversationsTable {
  id: string;
  workspace_id: string;
  contact_id: string;
  channel: string;
  status: string;
  department_id: string | null;
  assignee_id: string | null;
  last_seq: number;
  last_message_at: number | null;
  last_message_preview: string | null;
  visitor_last_read_seq: number;
  operator_last_read_seq: number;
  /** Newest activity (message or creation): the list's sort key, indexed with id for cursors. */
  activity_at: number;
  created_at: number;
  updated_at: number;
  resolved_at: number | null;
  priority: Generated<number>;
  queued_at: number | null;
  offered_to: string | null;
  offer_expires_at: number | null;
  missed_by: Generated<string>;
  waiting_since: number | null;
  redacted_at: Generated<number | null>;
}

export interface MessagesTable {
  id: string;
  workspace_id: string;
  conversation_id: string;
  seq: number;
  client_msg_id: string;
  author_type: string;
  author_id: string | null;
  author_name: string | null;
  kind: string;
  text: string;
  attachments: string;
  event: string | null;
  /** JSON: buttons, replyTo, location, sharedContact (each only when present). */
  content: string;
  search_text: string;
  created_at: number;
}

export interface ConversationEventsTable {
  id: string;
  workspace_id: string;
  conversation_id: string;
  type: string;
  actor_type: string;
  actor_id: string | null;
  data: string;
  created_at: number;
}

export interface FilesTable {
  id: string;
  workspace_id: string;
  storage_key: string;
  name: string;
  mime: string;
  size: number;
  sha256: string;
  uploader_type: string;
  uploader_id: string | null;
  created_at: number;
}

export interface JobsTable {
  id: string;
  workspace_id: string;
  kind: string;
  payload: string;
  run_at: number;
  attempts: Generated<number>;
  locked_until: number | null;
  last_error: string | null;
  created_at: number;
  dead_at: Generated<number | null>;
}

export interface IdempotencyKeysTable {
  token_id: string;
  key: string;
  workspace_id: string;
  request_hash: string;
  response_status: number | null;
  response_body: string | null;
  locked_until: number;
  created_at: number;
  expires_at: number;
}

export interface WebhookEndpointsTable {
  id: string;
  workspace_id: string;
  url: string;
  description: string;
  event_types: string;
  secret: string;
  previous_secret: string | null;
  previous_secret_expires_at: number | null;
  enabled: number;
  created_at: number;
  updated_at: number;
}

export interface WebhookDeliveriesTable {
  id: string;
  workspace_id: string;
  endpoint_id: string;
  event_id: string;
  event_type: string;
  contact_id: string | null;
  payload: string;
  status: string;
  attempts: number;
  last_status_code: number | null;
  last_error: string | null;
  last_attempt_at: number | null;
  next_attempt_at: number | null;
  delivered_at: number | null;
  created_at: number;
}

export interface WebhookAttemptsTable {
  id: string;
  workspace_id: string;
  delivery_id: string;
  attempt: number;
  started_at: number;
  duration_ms: number;
  status_code: number | null;
  error: string | null;
}

export interface CustomerCardSettingsTable {
  workspace_id: string;
  enabled: number;
  url_template: string;
  headers: string;
  timeout_ms: number;
  cache_ttl_seconds: number;
  updated_at: number;
}

/** Answer drafts' model endpoint (migration 0025, docs/answer-drafts.md); `api_key` is sealed. */
export interface AnswerDraftSettingsTable {
  workspace_id: string;
  enabled: number;
  base_url: string;
  model: string;
  api_key: string | null;
  timeout_ms: number;
  updated_at: number;
}

export interface CustomerCardsTable {
  contact_id: string;
  workspace_id: string;
  status: string;
  card: string | null;
  error: string | null;
  fetched_at: number | null;
  expires_at: number;
  requested_at: number;
}

export interface ContactAttributeDefinitionsTable {
  id: string;
  workspace_id: string;
  key: string;
  label: string;
  type: string;
  options: string;
  created_at: number;
}

export interface RetentionSettingsTable {
  workspace_id: string;
  resolved_conversation_days: number | null;
  last_run_at: number | null;
  last_run_redacted: number;
  updated_at: number;
}

export interface AuditLogTable {
  id: string;
  workspace_id: string;
  actor_type: string;
  actor_id: string | null;
  actor_name: string | null;
  action: string;
  method: string | null;
  route: string | null;
  target_id: string | null;
  status_code: number | null;
  data: string;
  ip: string | null;
  created_at: number;
}

export interface ConversationTagsTable {
  workspace_id: string;
  conversation_id: string;
  tag: string;
  created_by: string | null;
  created_at: number;
}

export interface CannedResponsesTable {
  id: string;
  workspace_id: string;
  locale: string;
  shortcut: string;
  title: string;
  text: string;
  search_text: string;
  created_by: string | null;
  created_at: number;
  updated_at: number;
}

export interface Database {
  workspaces: WorkspacesTable;
  users: UsersTable;
  departments: DepartmentsTable;
  user_departments: UserDepartmentsTable;
  sessions: SessionsTable;
  api_tokens: ApiTokensTable;
  contacts: ContactsTable;
  conversations: ConversationsTable;
  messages: MessagesTable;
  conversation_events: ConversationEventsTable;
  files: FilesTable;
  jobs: JobsTable;
  presence_events: PresenceEventsTable;
  routing_settings: RoutingSettingsTable;
  idempotency_keys: IdempotencyKeysTable;
  webhook_endpoints: WebhookEndpointsTable;
  webhook_deliveries: WebhookDeliveriesTable;
  webhook_attempts: WebhookAttemptsTable;
  customer_card_settings: CustomerCardSettingsTable;
  customer_cards: CustomerCardsTable;
  answer_draft_settings: AnswerDraftSettingsTable;
  contact_attribute_definitions: ContactAttributeDefinitionsTable;
  retention_settings: RetentionSettingsTable;
  audit_log: AuditLogTable;
  conversation_tags: ConversationTagsTable;
  canned_responses: CannedResponsesTable;
  widget_settings: WidgetSettingsTable;
  widget_ratings: WidgetRatingsTable;
  widget_offline_requests: WidgetOfflineRequestsTable;
  // Language understanding (migration 0020, docs/nlu.md).
  nlu_intents: NluIntentsTable;
  nlu_models: NluModelsTable;
  nlu_settings: NluSettingsTable;
  nlu_conversation_insights: NluConversationInsightsTable;
  knowledge_articles: KnowledgeArticlesTable;
  nlu_suggestion_uses: NluSuggestionUsesTable;
  analytics_settings: AnalyticsSettingsTable;
  analytics_conversations: AnalyticsConversationsTable;
  analytics_tags: AnalyticsTagsTable;
  analytics_offer_misses: AnalyticsOfferMissesTable;
  analytics_alert_state: AnalyticsAlertStateTable;
  analytics_widgets: AnalyticsWidgetsTable;
  analytics_rollup_hours: AnalyticsRollupHoursTable;
  analytics_rollup_operators: AnalyticsRollupOperatorsTable;
  analytics_online_days: AnalyticsOnlineDaysTable;
  analytics_online_through: AnalyticsOnlineThroughTable;
  channel_accounts: ChannelAccountsTable;
  channel_contacts: ChannelContactsTable;
  channel_inbound: ChannelInboundTable;
  channel_outbound: ChannelOutboundTable;
  channel_imap_mailboxes: ChannelImapMailboxesTable;
  channel_readers: ChannelReadersTable;
  channel_telegram_polls: ChannelTelegramPollsTable;
  nlu_candidates: NluCandidatesTable;
  knowledge_answers: KnowledgeAnswersTable;
}

export interface WidgetSettingsTable {
  workspace_id: string;
  /** JSON: WidgetSettings of the protocol. */
  settings: string;
  identity_secret: string;
  updated_at: number;
}

export interface WidgetRatingsTable {
  id: string;
  workspace_id: string;
  conversation_id: string;
  resolved_at: number;
  rating: string;
  comment: string;
  created_at: number;
}

export interface WidgetOfflineRequestsTable {
  conversation_id: string;
  workspace_id: string;
  contact_id: string;
  email: string | null;
  lang: string;
  page_url: string | null;
  emailed_through_seq: number;
  created_at: number;
}

// ---- language understanding (migration 0020) ----

export interface NluIntentsTable {
  id: string;
  workspace_id: string;
  name: string;
  /** route | knowledge | non_target | none */
  action: string;
  department_id: string | null;
  /** JSON: { ru, en } */
  reply: string;
  /** JSON: [{ locale, text }] */
  examples: string;
  created_at: number;
  updated_at: number;
}

export interface NluModelsTable {
  id: string;
  workspace_id: string;
  version: number;
  /** training | ready | active | failed | retired */
  status: string;
  /** JSON: the package's SerializedIntentModel; null until trained. */
  model: string | null;
  /** JSON: { [intent name]: intent id } at training time. */
  intent_names: string;
  /** JSON: IntentModelReport */
  report: string | null;
  error: string | null;
  examples: number;
  training_ms: number | null;
  created_at: number;
  trained_at: number | null;
  activated_at: number | null;
}

export interface NluSettingsTable {
  workspace_id: string;
  /** JSON: NluSettings of the protocol. */
  settings: string;
  updated_at: number;
}

export interface NluConversationInsightsTable {
  conversation_id: string;
  workspace_id: string;
  intent: string | null;
  intent_confidence: number | null;
  negative: number;
  upset_at: number | null;
  updated_at: number;
}

export interface KnowledgeArticlesTable {
  id: string;
  workspace_id: string;
  locale: string;
  category: string;
  title: string;
  body: string;
  /** 1 or 0 */
  published: number;
  created_by: string | null;
  created_at: number;
  updated_at: number;
}

/** A knowledge answer the assistant sent (0022), keyed by its message; helpful once the visitor says. */
export interface KnowledgeAnswersTable {
  message_id: string;
  workspace_id: string;
  conversation_id: string;
  article_id: string;
  /** 1 helpful, 0 not, null not answered yet */
  helpful: number | null;
  judged_at: number | null;
  created_at: number;
}

export interface NluSuggestionUsesTable {
  id: string;
  workspace_id: string;
  conversation_id: string;
  user_id: string | null;
  kind: string;
  item_id: string;
  created_at: number;
}

// ---- analytics (0030): facts kept from the event log; see server/src/modules/analytics ----
export interface AnalyticsSettingsTable {
  workspace_id: string;
  settings: string;
  updated_at: number;
}

export interface AnalyticsConversationsTable {
  conversation_id: string;
  workspace_id: string;
  contact_id: string;
  channel: string;
  source: string;
  department_id: string | null;
  operator_id: string | null;
  created_at: number;
  local_day: string;
  local_hour: number;
  local_weekday: number;
  first_time: number;
  /** When the contact's previous conversation started (null for their first): repeat contacts. */
  previous_at: number | null;
  queued_at: number | null;
  queue_ms: number | null;
  first_reply_ms: number | null;
  waiting_since: number | null;
  reply_ms_total: number;
  reply_count: number;
  resolved_at: number | null;
  resolution_ms: number | null;
  visitor_messages: number;
  operator_messages: number;
  offer_misses: number;
  offline: number;
  unanswered: number;
  abandoned: number;
  missed_wait_ms: number | null;
  rating: string | null;
  rating_comment: string | null;
  rated_at: number | null;
  /** The bot report (docs/analytics.md, "Bot report"): when the first bot run started. */
  bot_started_at: number | null;
  /** The first bot_finished and bot_handed_over (with its reason). */
  bot_finished_at: number | null;
  bot_handed_at: number | null;
  bot_handoff_reason: string | null;
  /** The first assignment at or after bot_started_at: an operator took the conversation over. */
  bot_taken_at: number | null;
  /** 0/1: the bot added a tag (a menu choice); the assistant detected an intent, a non-target one, closed it. */
  bot_chose: number;
  intent_detected: number;
  non_target: number;
  non_target_closed: number;
}

export interface AnalyticsTagsTable {
  conversation_id: string;
  tag: string;
  workspace_id: string;
  local_day: string;
  added_at: number;
}

export interface AnalyticsOfferMissesTable {
  event_id: string;
  workspace_id: string;
  operator_id: string;
  conversation_id: string;
  local_day: string;
}

export interface AnalyticsAlertStateTable {
  workspace_id: string;
  rule_id: string;
  since: number;
  value: number;
}

// ---- analytics widgets (0036): see analytics/widgets.ts ----
export interface AnalyticsWidgetsTable {
  id: string;
  workspace_id: string;
  /** JSON: WidgetDefinition of the protocol. */
  definition: string;
  created_at: number;
  updated_at: number;
}

// ---- analytics rollups (0032): the facts' sums per slice; see analytics/rollup.ts ----
/** The report figures' sums, as in analytics/rollup.ts MEASURES. */
export interface AnalyticsRollupFigures {
  requests: number;
  first_time: number;
  operator_messages: number;
  visitor_messages: number;
  queue_sum: number;
  queue_count: number;
  first_reply_sum: number;
  answered: number;
  missed_wait_sum: number;
  missed_wait_count: number;
  reply_sum: number;
  reply_count: number;
  resolution_sum: number;
  resolution_count: number;
  dialogs: number;
  within10: number;
  within20: number;
  within30: number;
  unanswered: number;
  abandoned: number;
  offline: number;
  offer_misses: number;
  ratings_good: number;
  ratings_bad: number;
  proactive: number;
}

export interface AnalyticsRollupHoursTable extends AnalyticsRollupFigures {
  workspace_id: string;
  local_day: string;
  local_hour: number;
  local_weekday: number;
  /** '' when the conversation has no department. */
  department_id: string;
  channel: string;
}

export interface AnalyticsRollupOperatorsTable extends AnalyticsRollupFigures {
  workspace_id: string;
  local_day: string;
  /** '' when the conversation has no operator. */
  operator_id: string;
}

/** Online time per operator and completed local day, from presence_events (analytics/presence.ts). */
export interface AnalyticsOnlineDaysTable {
  workspace_id: string;
  operator_id: string;
  local_day: string;
  online_ms: number;
  /** 1 when the operator was still online as the day ended. */
  online_at_end: number;
}

/** The last local day whose online time is kept in analytics_online_days. */
export interface AnalyticsOnlineThroughTable {
  workspace_id: string;
  through_day: string;
}

export interface NluCandidatesTable {
  id: string;
  workspace_id: string;
  conversation_id: string;
  /** The conversation's first visitor message. */
  text: string;
  /** The intent it is proposed for; null: out of scope (no non-target intent exists). */
  intent_id: string | null;
  /** operator | transfer */
  source: string;
  created_by: string | null;
  created_at: number;
}
