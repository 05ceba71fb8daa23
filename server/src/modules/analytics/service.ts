// Analytics for supervisors and admins: reports over the facts kept from the event log, SLA
// compliance, CSV export, settings, rebuilding, and the live snapshot.
import type { Kysely } from 'kysely';
import { stringify } from 'csv-stringify/sync';
import type {
  AnalyticsSettings,
  AnalyticsSettingsInput,
  CsatReport,
  LiveSnapshot,
  OperatorReport,
  RepeatReport,
  Report,
  ReportGroup,
  ReportQuery,
  ReportRow,
  SlaReport,
  Summary,
  TagReport,
  MonitorWidget,
  WidgetDefinition,
  WidgetTables,
} from '@frontline/protocol';
import {
  BOT_HANDOFF_REASONS,
  type BotReport,
  type BotReportQuery,
  type BotReportRow,
} from '@frontline/protocol';
import { AppError } from '../../errors.js';
import type { Database } from '../../storage/schema.js';
import { botReport } from './bot-report.js';
import { liveSnapshot, type AlertMonitor } from './live.js';
import { onlineByOperatorDay } from './presence.js';
import { rebuildAnalytics } from './recorder.js';
import {
  csatReport,
  groupedReport,
  operatorReport,
  previousPeriod,
  repeatReport,
  summaryFigures,
  tagReport,
} from './reports.js';
import { readSettings, writeSettings } from './settings.js';
import { slaItems, type SlaInputs } from './sla.js';
import { createWidget, deleteWidget, updateWidget, widgetTables } from './widgets.js';

export const EXPORTABLE = [
  'day',
  'hour',
  'weekday_hour',
  'operator',
  'department',
  'channel',
  'operators',
  'tags',
  'csat',
  'bots',
] as const;
export type Exportable = (typeof EXPORTABLE)[number];

const REPORT_COLUMNS: (keyof ReportRow)[] = [
  'key',
  'requests',
  'firstTime',
  'operatorMessages',
  'visitorMessages',
  'avgQueueMs',
  'avgFirstReplyMs',
  'avgMissedWaitMs',
  'avgReplyMs',
  'avgResolutionMs',
  'dialogs',
  'answered',
  'within10',
  'within20',
  'within30',
  'unanswered',
  'abandoned',
  'offline',
  'offerMisses',
  'ratingsGood',
  'ratingsBad',
  'proactive',
];

const BOT_COLUMNS = [
  'day',
  'requests',
  'botStarted',
  'contained',
  'handedOver',
  'takenOver',
  'completed',
  'askedForPerson',
  'choseOption',
  'intentDetected',
  'nonTarget',
  'nonTargetClosed',
] as const satisfies readonly (keyof BotReportRow)[];

/** Cells a spreadsheet would run as formulas (a visitor's comment "=HYPERLINK(...)") are quoted. */
function toCsv(rows: unknown[][]): string {
  return stringify(rows, { cast: { string: (v) => (/^[=+\-@\t\r]/.test(v) ? `'${v}` : v) } });
}

export class AnalyticsService {
  private monitor: AlertMonitor | undefined;

  constructor(private readonly db: Kysely<Database>) {}

  attachMonitor(monitor: AlertMonitor): void {
    this.monitor = monitor;
  }

  settings(workspaceId: string): Promise<AnalyticsSettings> {
    return readSettings(this.db, workspaceId);
  }

  async updateSettings(workspaceId: string, input: AnalyticsSettingsInput): Promise<AnalyticsSettings> {
    const before = await readSettings(this.db, workspaceId);
    const settings = await writeSettings(this.db, workspaceId, input);
    // Local days are stored with each fact: a new zone re-buckets the whole history.
    if (before.timezone !== settings.timezone) await rebuildAnalytics(this.db, workspaceId);
    await this.monitor?.check(workspaceId);
    return settings;
  }

  rebuild(workspaceId: string): Promise<number> {
    return rebuildAnalytics(this.db, workspaceId);
  }

  async report(workspaceId: string, q: ReportQuery, group: ReportGroup): Promise<Report> {
    const { timezone } = await this.settings(workspaceId);
    return groupedReport(this.db, workspaceId, timezone, q, group);
  }

  async summary(workspaceId: string, q: ReportQuery): Promise<Summary> {
    const { timezone } = await this.settings(workspaceId);
    const prior = previousPeriod(q);
    const [current, previous] = await Promise.all([
      summaryFigures(this.db, workspaceId, q),
      summaryFigures(this.db, workspaceId, prior),
    ]);
    return { timezone, current, previous, previousFrom: prior.from, previousTo: prior.to };
  }

  async operators(workspaceId: string, q: ReportQuery): Promise<OperatorReport> {
    const { timezone } = await this.settings(workspaceId);
    return operatorReport(this.db, workspaceId, timezone, q);
  }

  async tags(workspaceId: string, q: ReportQuery): Promise<TagReport> {
    const { timezone } = await this.settings(workspaceId);
    return tagReport(this.db, workspaceId, timezone, q);
  }

  csat(workspaceId: string, q: ReportQuery): Promise<CsatReport> {
    return csatReport(this.db, workspaceId, q);
  }

  repeat(workspaceId: string, q: ReportQuery, withinDays: number): Promise<RepeatReport> {
    return repeatReport(this.db, workspaceId, q, withinDays);
  }

  async sla(workspaceId: string, q: ReportQuery): Promise<SlaReport> {
    const settings = await this.settings(workspaceId);
    const targets = (q.departmentId && settings.departmentSla[q.departmentId]) || settings.sla;
    const inputs = async (period: ReportQuery): Promise<SlaInputs> => {
      const [figures, online] = await Promise.all([
        summaryFigures(this.db, workspaceId, period),
        onlineByOperatorDay(this.db, workspaceId, settings.timezone, period.from, period.to, Date.now()),
      ]);
      let total = 0;
      let days = 0;
      for (const [operatorId, byDay] of online) {
        if (period.operatorId && operatorId !== period.operatorId) continue;
        for (const ms of byDay.values()) {
          total += ms;
          days += 1;
        }
      }
      return { figures, onlineHoursPerDay: days === 0 ? null : total / days / 3_600_000 };
    };
    const [current, previous] = await Promise.all([inputs(q), inputs(previousPeriod(q))]);
    return { departmentId: q.departmentId ?? null, items: slaItems(targets, current, previous) };
  }

  async bots(workspaceId: string, q: BotReportQuery): Promise<BotReport> {
    const { timezone } = await this.settings(workspaceId);
    return botReport(this.db, workspaceId, timezone, q);
  }

  live(workspaceId: string): Promise<LiveSnapshot> {
    return liveSnapshot(this.db, workspaceId, Date.now());
  }

  async widgets(workspaceId: string): Promise<WidgetTables> {
    const at = Date.now();
    return { at, widgets: await widgetTables(this.db, workspaceId, at) };
  }

  // A changed widget is checked at once, so a cell already past its new alert value alerts now.
  async addWidget(workspaceId: string, definition: WidgetDefinition): Promise<MonitorWidget> {
    const widget = await createWidget(this.db, workspaceId, definition);
    await this.monitor?.check(workspaceId);
    return widget;
  }

  async updateWidget(workspaceId: string, id: string, definition: WidgetDefinition): Promise<MonitorWidget> {
    const widget = await updateWidget(this.db, workspaceId, id, definition);
    await this.monitor?.check(workspaceId);
    return widget;
  }

  async removeWidget(workspaceId: string, id: string): Promise<void> {
    await deleteWidget(this.db, workspaceId, id);
    await this.monitor?.check(workspaceId);
  }

  /** A report as CSV (header row, then rows; grouped reports end with the totals row). */
  async csv(workspaceId: string, q: ReportQuery, report: Exportable): Promise<string> {
    if (report === 'operators') {
      const { rows } = await this.operators(workspaceId, q);
      const columns = ['operatorId', 'name', 'onlineMs', 'daysOnline', ...REPORT_COLUMNS.slice(1)] as const;
      return toCsv([[...columns], ...rows.map((r) => columns.map((c) => r[c]))]);
    }
    if (report === 'tags') {
      const { days, tags } = await this.tags(workspaceId, q);
      const names = tags.map((t) => t.tag);
      return toCsv([['day', ...names], ...days.map((d) => [d.day, ...names.map((t) => d.counts[t] ?? 0)])]);
    }
    if (report === 'csat') {
      const { comments } = await this.csat(workspaceId, q);
      return toCsv([
        ['conversationId', 'rating', 'comment', 'ratedAt'],
        ...comments.map((c) => [c.conversationId, c.rating, c.comment, new Date(c.at).toISOString()]),
      ]);
    }
    if (report === 'bots') {
      if (q.operatorId || q.tag)
        throw new AppError(
          'validation_failed',
          'The bot report is not sliced by operator or tag: leave "operatorId" and "tag" out',
          q.operatorId ? 'operatorId' : 'tag',
        );
      const { departmentId, channel } = q;
      const { rows, totals } = await this.bots(workspaceId, {
        from: q.from,
        to: q.to,
        departmentId,
        channel,
      });
      return toCsv([
        [...BOT_COLUMNS, ...BOT_HANDOFF_REASONS.map((r) => `handedOver_${r}`)],
        ...[...rows, totals].map((r) => [
          r.day ?? 'total',
          ...BOT_COLUMNS.slice(1).map((c) => r[c]),
          ...BOT_HANDOFF_REASONS.map((reason) => r.handedOverByReason[reason]),
        ]),
      ]);
    }
    const { rows, totals } = await this.report(workspaceId, q, report);
    return toCsv([[...REPORT_COLUMNS], ...[...rows, totals].map((r) => REPORT_COLUMNS.map((c) => r[c]))]);
  }
}
