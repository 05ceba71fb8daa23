// Reports and live monitoring (docs/analytics.md): every figure comes from the conversation event
// log, bucketed by the workspace's analytics time zone; periods are local calendar days.
import { z } from 'zod';
import { Id } from './common.js';
import { Channel } from './enums.js';
import { WidgetAlertSource, WidgetMetric } from './monitor-widgets.js';

export const LocalDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'Use a date such as 2026-03-31');

/**
 * Filters every report accepts: an inclusive range of local days plus optional slices. The server
 * also refuses a range that runs backwards or spans more than MAX_REPORT_DAYS.
 */
export const ReportQuery = z.object({
  from: LocalDate,
  to: LocalDate,
  departmentId: Id.optional(),
  operatorId: Id.optional(),
  channel: Channel.optional(),
  tag: z.string().trim().min(1).max(50).optional(),
});
export type ReportQuery = z.infer<typeof ReportQuery>;
export const MAX_REPORT_DAYS = 366;

export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

export const REPORT_GROUPS = ['day', 'hour', 'weekday_hour', 'operator', 'department', 'channel'] as const;
export const ReportGroup = z.enum(REPORT_GROUPS);
export type ReportGroup = z.infer<typeof ReportGroup>;

const Count = z.number().int().nonnegative();
/** Milliseconds, or null when nothing was measured. */
const Ms = z.number().nonnegative().nullable();

/** The daily report's columns; one row per group (day, hour, operator...) and a totals row. */
export const ReportRow = z.object({
  key: z.string(),
  requests: Count,
  firstTime: Count,
  operatorMessages: Count,
  visitorMessages: Count,
  avgQueueMs: Ms,
  avgFirstReplyMs: Ms,
  avgMissedWaitMs: Ms,
  avgReplyMs: Ms,
  avgResolutionMs: Ms,
  dialogs: Count,
  answered: Count,
  within10: Count,
  within20: Count,
  within30: Count,
  unanswered: Count,
  abandoned: Count,
  offline: Count,
  offerMisses: Count,
  ratingsGood: Count,
  ratingsBad: Count,
  proactive: Count,
});
export type ReportRow = z.infer<typeof ReportRow>;

export const Report = z.object({
  group: ReportGroup,
  timezone: z.string(),
  rows: z.array(ReportRow),
  totals: ReportRow,
});
export type Report = z.infer<typeof Report>;

export const Distribution = z.object({ mean: Ms, median: Ms, p90: Ms, count: Count });
export type Distribution = z.infer<typeof Distribution>;

export const SummaryFigures = z.object({
  totals: ReportRow,
  firstReply: Distribution,
  resolution: Distribution,
  missedPercent: z.number().nullable(),
  abandonedPercent: z.number().nullable(),
  csatPercent: z.number().nullable(),
});
export type SummaryFigures = z.infer<typeof SummaryFigures>;

/** The period asked for and the one of equal length just before it. */
export const Summary = z.object({
  timezone: z.string(),
  current: SummaryFigures,
  previous: SummaryFigures,
  previousFrom: LocalDate,
  previousTo: LocalDate,
});
export type Summary = z.infer<typeof Summary>;

export const OperatorReportRow = ReportRow.extend({
  operatorId: Id,
  name: z.string(),
  onlineMs: Count,
  daysOnline: Count,
});
export type OperatorReportRow = z.infer<typeof OperatorReportRow>;
export const OperatorReport = z.object({ timezone: z.string(), rows: z.array(OperatorReportRow) });
export type OperatorReport = z.infer<typeof OperatorReport>;

export const TagReport = z.object({
  timezone: z.string(),
  tags: z.array(z.object({ tag: z.string(), count: Count })),
  /** Per local day: tag → count. */
  days: z.array(z.object({ day: LocalDate, counts: z.record(z.string(), Count) })),
});
export type TagReport = z.infer<typeof TagReport>;

export const CsatReport = z.object({
  good: Count,
  bad: Count,
  percent: z.number().nullable(),
  comments: z.array(
    z.object({ conversationId: Id, rating: z.string(), comment: z.string(), at: z.number() }),
  ),
});
export type CsatReport = z.infer<typeof CsatReport>;

export const RepeatReport = z.object({
  withinDays: z.number().int().positive(),
  contacts: Count,
  repeated: Count,
  percent: z.number().nullable(),
});
export type RepeatReport = z.infer<typeof RepeatReport>;

/** The standards operators are held to; defaults from the seeds. */
export const SlaTargets = z.object({
  firstReplySeconds: z.number().positive().max(86_400).default(15),
  onlineHoursPerDay: z.number().min(0).max(24).default(6),
  missedPercentBelow: z.number().min(0).max(100).default(5),
  goodRatingsPercentAbove: z.number().min(0).max(100).default(80),
  proactivePercentAbove: z.number().min(0).max(100).default(50),
});
export type SlaTargets = z.infer<typeof SlaTargets>;

export const SLA_METRICS = ['firstReply', 'onlineHours', 'missed', 'goodRatings', 'proactive'] as const;
export const SlaMetric = z.enum(SLA_METRICS);
export type SlaMetric = z.infer<typeof SlaMetric>;

export const SlaItem = z.object({
  metric: SlaMetric,
  target: z.number(),
  value: z.number().nullable(),
  previous: z.number().nullable(),
  /** null when there is nothing to measure in the period. */
  met: z.boolean().nullable(),
  trend: z.enum(['better', 'worse', 'same', 'unknown']),
});
export type SlaItem = z.infer<typeof SlaItem>;
export const SlaReport = z.object({ departmentId: Id.nullable(), items: z.array(SlaItem) });
export type SlaReport = z.infer<typeof SlaReport>;

export const LIVE_METRICS = [
  'queue_length',
  'longest_wait_seconds',
  'missed_percent_today',
  'operators_online',
  'load_percent',
] as const;
export const LiveMetric = z.enum(LIVE_METRICS);
export type LiveMetric = z.infer<typeof LiveMetric>;

export const AlertRule = z.object({
  id: z.string().min(1).max(40),
  metric: LiveMetric,
  /** One department's value, or the workspace's when absent. */
  departmentId: Id.nullable().default(null),
  /** 'above': alert when the value exceeds the threshold; 'below': when it falls under it. */
  direction: z.enum(['above', 'below']).default('above'),
  threshold: z.number().min(0).max(1_000_000),
});
export type AlertRule = z.infer<typeof AlertRule>;

export const AnalyticsSettings = z.object({
  timezone: z.string().min(1).max(64),
  sla: SlaTargets,
  /** Per-department targets replacing the workspace's. */
  departmentSla: z.record(Id, SlaTargets).default({}),
  alertRules: z.array(AlertRule).max(50).default([]),
});
export type AnalyticsSettings = z.infer<typeof AnalyticsSettings>;
export type AnalyticsSettingsInput = z.input<typeof AnalyticsSettings>;

export const LiveDepartment = z.object({
  departmentId: Id.nullable(),
  name: z.string(),
  queued: Count,
  longestWaitMs: Count,
  averageWaitMs: Count,
});
export const LiveOperator = z.object({
  operatorId: Id,
  name: z.string(),
  presence: z.string(),
  active: Count,
  capacity: Count,
  /** null when the status never changed since the account was made. */
  presenceSinceMs: z.number().nullable(),
});
export const LiveAlert = z.object({
  ruleId: z.string(),
  metric: z.union([LiveMetric, WidgetMetric]),
  departmentId: Id.nullable(),
  value: z.number(),
  threshold: z.number(),
  direction: z.enum(['above', 'below']),
  since: z.number(),
  /** Set when a supervisor's widget cell raised it rather than an admin's rule. */
  widget: WidgetAlertSource.optional(),
});
export type LiveAlert = z.infer<typeof LiveAlert>;

export const LiveSnapshot = z.object({
  at: z.number(),
  departments: z.array(LiveDepartment),
  operators: z.array(LiveOperator),
  requestsToday: Count,
  missedPercentToday: z.number().nullable(),
  alerts: z.array(LiveAlert),
});
export type LiveSnapshot = z.infer<typeof LiveSnapshot>;

/** Socket.IO events to supervisors and admins. */
export const ANALYTICS_ALERT_EVENT = 'analytics:alert';
export const ANALYTICS_LIVE_EVENT = 'analytics:live';
