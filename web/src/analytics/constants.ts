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
export const REPORT_VIEWS = [...REPORT_GROUP_CHOICES, 'tags', 'csat', 'sla'] as const;
export type ReportView = (typeof REPORT_VIEWS)[number];
export const LIVE_METRIC_CHOICES = [
  'queue_length',
  'longest_wait_seconds',
  'missed_percent_today',
  'operators_online',
  'load_percent',
] as const;
