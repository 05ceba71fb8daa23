// Protocol values the reports need at run time, repeated here so the browser does not load zod;
// constants.test.ts fails if they drift from the protocol's.
export const REPORT_GROUP_CHOICES = [
  'day',
  'hour',
  'weekday_hour',
  'operator',
  'department',
  'channel',
] as const;
export const REPORT_VIEWS = [...REPORT_GROUP_CHOICES, 'tags', 'csat', 'sla', 'bots'] as const;
export type ReportView = (typeof REPORT_VIEWS)[number];
export const LIVE_METRIC_CHOICES = [
  'queue_length',
  'longest_wait_seconds',
  'missed_percent_today',
  'operators_online',
  'load_percent',
] as const;
export const BOT_HANDOFF_REASON_CHOICES = [
  'flow',
  'asked_for_person',
  'question_failed',
  'action_failed',
  'not_understood',
  'no_answer',
  'loop',
] as const;
