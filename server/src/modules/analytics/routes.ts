// HTTP routes of analytics (supervisors and admins; settings and rebuilding: admins).
import { z } from 'zod';
import {
  AnalyticsSettings,
  BotReport,
  BotReportQuery,
  CsatReport,
  daysBetween,
  LiveSnapshot,
  MAX_REPORT_DAYS,
  OperatorReport,
  RepeatReport,
  Report,
  ReportGroup,
  ReportQuery,
  SlaReport,
  Summary,
  TagReport,
} from '@frontline/protocol';
import { AppError } from '../../errors.js';
import type { HttpApp } from '../../http.js';
import { requireStaff, staffOf } from '../auth/guards.js';
import type { AuthService } from '../auth/service.js';
import { EXPORTABLE, type AnalyticsService } from './service.js';

const tags = ['analytics'];

function checked<Q extends ReportQuery>(q: Q): Q {
  if (q.from > q.to) throw new AppError('validation_failed', '"from" is after "to": swap the dates', 'from');
  if (daysBetween(q.from, q.to) >= MAX_REPORT_DAYS)
    throw new AppError(
      'validation_failed',
      `A report covers at most ${MAX_REPORT_DAYS} days; pick a shorter range`,
      'to',
    );
  return q;
}

export function analyticsRoutes(app: HttpApp, auth: AuthService, service: AnalyticsService): void {
  const supervise = requireStaff(auth, { roles: ['admin', 'supervisor'], scope: 'reports:read' });
  const admin = requireStaff(auth, { roles: ['admin'] });
  const workspaceOf = (request: Parameters<typeof staffOf>[0]) => staffOf(request).workspaceId;

  app.get('/api/analytics/report', {
    schema: {
      tags,
      summary:
        'The daily report columns grouped by day, hour, weekday × hour, operator, department or channel, with totals',
      querystring: ReportQuery.extend({ group: ReportGroup.default('day') }),
      response: { 200: Report },
    },
    preHandler: supervise,
    handler: (request) => service.report(workspaceOf(request), checked(request.query), request.query.group),
  });

  // Reports that take the plain filters and answer one schema.
  const plain = [
    {
      path: 'summary',
      summary:
        'Headline figures (first reply and resolution mean, median, p90; missed, abandoned, CSAT) and the previous period',
      response: Summary,
      run: (workspaceId: string, q: ReportQuery) => service.summary(workspaceId, q),
    },
    {
      path: 'operators',
      summary: 'Per-operator report with hours online',
      response: OperatorReport,
      run: (workspaceId: string, q: ReportQuery) => service.operators(workspaceId, q),
    },
    {
      path: 'tags',
      summary: 'Topics: tags per local day',
      response: TagReport,
      run: (workspaceId: string, q: ReportQuery) => service.tags(workspaceId, q),
    },
    {
      path: 'csat',
      summary: 'Ratings: share of good ones and the comments',
      response: CsatReport,
      run: (workspaceId: string, q: ReportQuery) => service.csat(workspaceId, q),
    },
    {
      path: 'sla',
      summary: 'SLA compliance against the targets, with the trend',
      response: SlaReport,
      run: (workspaceId: string, q: ReportQuery) => service.sla(workspaceId, q),
    },
  ] as const;
  for (const report of plain)
    app.get(`/api/analytics/${report.path}`, {
      schema: { tags, summary: report.summary, querystring: ReportQuery, response: { 200: report.response } },
      preHandler: supervise,
      handler: (request) => report.run(workspaceOf(request), checked(request.query)),
    });

  app.get('/api/analytics/bots', {
    schema: {
      tags,
      summary: 'Bots: containment, hand-offs by reason, take-overs, chain completion, non-target share',
      querystring: BotReportQuery,
      response: { 200: BotReport },
    },
    preHandler: supervise,
    handler: (request) => service.bots(workspaceOf(request), checked(request.query)),
  });

  app.get('/api/analytics/repeat', {
    schema: {
      tags,
      summary: 'Repeat contacts: who came back within N days',
      querystring: ReportQuery.extend({ withinDays: z.coerce.number().int().min(1).max(90).default(7) }),
      response: { 200: RepeatReport },
    },
    preHandler: supervise,
    handler: (request) =>
      service.repeat(workspaceOf(request), checked(request.query), request.query.withinDays),
  });

  app.get('/api/analytics/export', {
    schema: {
      tags,
      summary: 'A report as CSV',
      querystring: ReportQuery.extend({ report: z.enum(EXPORTABLE) }),
      response: { 200: z.string().describe('text/csv: a header row, then the rows') },
    },
    preHandler: supervise,
    handler: async (request, reply) => {
      const q = checked(request.query);
      const csv = await service.csv(workspaceOf(request), q, q.report);
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="frontline-${q.report}-${q.from}-${q.to}.csv"`)
        .send(csv);
    },
  });

  app.get('/api/analytics/live', {
    schema: {
      tags,
      summary: 'Live queues, waits, operators and raised alerts',
      response: { 200: LiveSnapshot },
    },
    preHandler: supervise,
    handler: (request) => service.live(workspaceOf(request)),
  });

  app.get('/api/analytics/settings', {
    schema: { tags, summary: 'Time zone, SLA targets and alert rules', response: { 200: AnalyticsSettings } },
    preHandler: supervise,
    handler: (request) => service.settings(workspaceOf(request)),
  });

  app.put('/api/analytics/settings', {
    schema: {
      tags,
      summary: 'Change the time zone (re-buckets history), SLA targets and alert rules (admins)',
      body: AnalyticsSettings,
      response: { 200: AnalyticsSettings },
    },
    preHandler: admin,
    handler: (request) => service.updateSettings(workspaceOf(request), request.body),
  });

  app.post('/api/analytics/rebuild', {
    schema: {
      tags,
      summary: 'Recompute every figure from the event log (admins)',
      response: { 200: z.object({ conversations: z.number().int() }) },
    },
    preHandler: admin,
    handler: async (request) => ({ conversations: await service.rebuild(workspaceOf(request)) }),
  });
}
