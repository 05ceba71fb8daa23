// REST calls of the reports and live monitoring (docs/analytics.md), typed by the protocol.
import type {
  AnalyticsSettings,
  BotReport,
  BotReportQuery,
  AnalyticsSettingsInput,
  CsatReport,
  LiveSnapshot,
  OperatorReport,
  RepeatReport,
  Report,
  ReportGroup,
  ReportQuery,
  SlaReport,
  Summary,
  TagReport,
} from '@frontline/protocol';
import { api } from '../api/http.js';

export function reportParams(q: ReportQuery, extra: Record<string, string> = {}): string {
  return new URLSearchParams(
    Object.entries({ ...q, ...extra }).flatMap(([key, value]) =>
      value === undefined || value === '' ? [] : [[key, String(value)]],
    ),
  ).toString();
}

export const analyticsKeys = {
  report: (q: ReportQuery, group: ReportGroup) => ['analytics-report', q, group] as const,
  summary: (q: ReportQuery) => ['analytics-summary', q] as const,
  operators: (q: ReportQuery) => ['analytics-operators', q] as const,
  tags: (q: ReportQuery) => ['analytics-tags', q] as const,
  csat: (q: ReportQuery) => ['analytics-csat', q] as const,
  repeat: (q: ReportQuery) => ['analytics-repeat', q] as const,
  sla: (q: ReportQuery) => ['analytics-sla', q] as const,
  bots: (q: BotReportQuery) => ['analytics-bots', q] as const,
  live: ['analytics-live'] as const,
  settings: ['analytics-settings'] as const,
};

export const fetchReport = (q: ReportQuery, group: ReportGroup) =>
  api<Report>('GET', `/api/analytics/report?${reportParams(q, { group })}`);
export const fetchSummary = (q: ReportQuery) =>
  api<Summary>('GET', `/api/analytics/summary?${reportParams(q)}`);
export const fetchOperatorReport = (q: ReportQuery) =>
  api<OperatorReport>('GET', `/api/analytics/operators?${reportParams(q)}`);
export const fetchTagReport = (q: ReportQuery) =>
  api<TagReport>('GET', `/api/analytics/tags?${reportParams(q)}`);
export const fetchCsat = (q: ReportQuery) => api<CsatReport>('GET', `/api/analytics/csat?${reportParams(q)}`);
export const fetchRepeat = (q: ReportQuery) =>
  api<RepeatReport>('GET', `/api/analytics/repeat?${reportParams(q, { withinDays: '7' })}`);
export const fetchSla = (q: ReportQuery) => api<SlaReport>('GET', `/api/analytics/sla?${reportParams(q)}`);
export const fetchBotReport = (q: BotReportQuery) =>
  api<BotReport>('GET', `/api/analytics/bots?${reportParams(q)}`);
export const fetchLive = () => api<LiveSnapshot>('GET', '/api/analytics/live');
export const fetchAnalyticsSettings = () => api<AnalyticsSettings>('GET', '/api/analytics/settings');
export const saveAnalyticsSettings = (settings: AnalyticsSettingsInput) =>
  api<AnalyticsSettings>('PUT', '/api/analytics/settings', settings);

/** The CSV download's address (the browser sends the session cookie with it). */
export const exportUrl = (q: ReportQuery, report: string) =>
  `/api/analytics/export?${reportParams(q, { report })}`;
