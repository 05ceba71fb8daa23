// Live-monitoring widgets supervisors compose (docs/analytics.md): stored definitions, and each
// one computed as a table of group → value with the cell's state against its thresholds. Metrics
// measured now read the conversations and operators as they are; windowed ones read the
// conversations started in the window (counts and states from conversations, waits and misses
// from the analytics facts).
import { sql, type Kysely, type RawBuilder } from 'kysely';
import {
  cellState,
  MAX_WIDGETS,
  WidgetInput,
  type LiveAlert,
  type MonitorWidget,
  type WidgetCell,
  type WidgetDefinition,
  type WidgetGroup,
  type WidgetTable,
  type WidgetWindow,
} from '@frontline/protocol';
import { AppError } from '../../errors.js';
import { newId } from '../../storage/ids.js';
import type { Database } from '../../storage/schema.js';
import { readSettings } from './settings.js';
import { localDayStart, localToday } from './time.js';

/** Conversations waiting for an operator: in the queue or offered to one. */
export const WAITING_STATUSES = ['queued', 'offered'];

const HOUR_MS = 3_600_000;

export function windowStart(window: WidgetWindow, now: number, timezone: string): number {
  switch (window) {
    case '1h':
      return now - HOUR_MS;
    case '6h':
      return now - 6 * HOUR_MS;
    case '24h':
      return now - 24 * HOUR_MS;
    case 'today':
      return localDayStart(localToday(now, timezone), timezone);
  }
}

// ---- definitions ----

function toWidget(row: { id: string; definition: string }): MonitorWidget | null {
  const parsed = WidgetInput.safeParse(JSON.parse(row.definition));
  return parsed.success ? { id: row.id, ...parsed.data } : null;
}

export async function listWidgets(db: Kysely<Database>, workspaceId: string): Promise<MonitorWidget[]> {
  const rows = await db
    .selectFrom('analytics_widgets')
    .select(['id', 'definition'])
    .where('workspace_id', '=', workspaceId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  return rows.flatMap((row) => toWidget(row) ?? []);
}

export async function createWidget(
  db: Kysely<Database>,
  workspaceId: string,
  definition: WidgetDefinition,
): Promise<MonitorWidget> {
  const { count } = await db
    .selectFrom('analytics_widgets')
    .select(sql<number>`count(*)`.as('count'))
    .where('workspace_id', '=', workspaceId)
    .executeTakeFirstOrThrow();
  if (Number(count) >= MAX_WIDGETS)
    throw new AppError(
      'validation_failed',
      `A workspace has at most ${MAX_WIDGETS} widgets; remove one before adding another`,
    );
  const now = Date.now();
  const id = newId();
  await db
    .insertInto('analytics_widgets')
    .values({
      id,
      workspace_id: workspaceId,
      definition: JSON.stringify(definition),
      created_at: now,
      updated_at: now,
    })
    .execute();
  return { id, ...definition };
}

export async function updateWidget(
  db: Kysely<Database>,
  workspaceId: string,
  id: string,
  definition: WidgetDefinition,
): Promise<MonitorWidget> {
  const result = await db
    .updateTable('analytics_widgets')
    .set({ definition: JSON.stringify(definition), updated_at: Date.now() })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) === 0) throw widgetNotFound();
  return { id, ...definition };
}

export async function deleteWidget(db: Kysely<Database>, workspaceId: string, id: string): Promise<void> {
  const result = await db
    .deleteFrom('analytics_widgets')
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .executeTakeFirst();
  if (Number(result.numDeletedRows) === 0) throw widgetNotFound();
}

const widgetNotFound = () =>
  new AppError('not_found', 'No such widget in this workspace: reload the monitoring page');

// ---- computing ----

interface Measured {
  group_key: string | null;
  measured: number | string | null;
}

const CONVERSATION_COLUMNS: Record<WidgetGroup, string> = {
  operator: 'assignee_id',
  department: 'department_id',
  channel: 'channel',
  state: 'status',
};
const FACT_COLUMNS: Partial<Record<WidgetGroup, string>> = {
  operator: 'operator_id',
  department: 'department_id',
  channel: 'channel',
};

function factColumn(group: WidgetGroup): string {
  const column = FACT_COLUMNS[group];
  // WidgetInput refuses these pairs; reaching here is a programming error.
  if (!column) throw new Error(`analytics facts have no ${group} column`);
  return column;
}

/** Raw values per group; averages and ages are finished by the caller. */
async function measure(
  db: Kysely<Database>,
  workspaceId: string,
  widget: WidgetDefinition,
  now: number,
  timezone: string,
): Promise<{ key: string | null; value: number }[]> {
  const since = widget.window === null ? 0 : windowStart(widget.window, now, timezone);
  const grouped = async (
    table: 'conversations' | 'analytics_conversations',
    column: string,
    value: RawBuilder<unknown>,
    filter: RawBuilder<unknown>,
  ): Promise<Measured[]> => {
    const key = sql.ref(column);
    const result = await sql<Measured>`
      select ${key} as group_key, ${value} as measured from ${sql.table(table)}
      where workspace_id = ${workspaceId} ${filter}
      group by ${key}`.execute(db);
    return result.rows;
  };
  const waiting = sql`and status in (${sql.join(WAITING_STATUSES)})`;
  const started = sql`and created_at >= ${since}`;
  const conversationColumn = CONVERSATION_COLUMNS[widget.groupBy];
  let rows: Measured[];
  switch (widget.metric) {
    case 'conversations':
      rows = await grouped('conversations', conversationColumn, sql`count(*)`, started);
      break;
    case 'queue_length':
      rows = await grouped('conversations', conversationColumn, sql`count(*)`, waiting);
      break;
    case 'longest_wait_seconds':
      rows = (await grouped('conversations', conversationColumn, sql`min(queued_at)`, waiting)).map((r) => ({
        group_key: r.group_key,
        measured: r.measured === null ? 0 : Math.floor((now - Number(r.measured)) / 1000),
      }));
      break;
    case 'average_wait_seconds':
      rows = (
        await grouped(
          'analytics_conversations',
          factColumn(widget.groupBy),
          sql`avg(queue_ms)`,
          sql`${started} and queue_ms is not null`,
        )
      ).map((r) => ({ group_key: r.group_key, measured: Math.round(Number(r.measured) / 1000) }));
      break;
    case 'missed':
      rows = await grouped(
        'analytics_conversations',
        factColumn(widget.groupBy),
        sql`sum(unanswered)`,
        started,
      );
      break;
    case 'load_percent': {
      const operators = await db
        .selectFrom('users')
        .select(['id', 'active_count', 'capacity'])
        .where('workspace_id', '=', workspaceId)
        .where('disabled_at', 'is', null)
        .where('presence', '!=', 'offline')
        .execute();
      rows = operators.map((o) => ({
        group_key: o.id,
        measured:
          Number(o.capacity) === 0 ? 0 : Math.round((Number(o.active_count) / Number(o.capacity)) * 100),
      }));
      break;
    }
  }
  return rows.map((r) => ({ key: r.group_key, value: Math.max(0, Number(r.measured ?? 0)) }));
}

async function labels(
  db: Kysely<Database>,
  workspaceId: string,
  group: WidgetGroup,
): Promise<Map<string, string>> {
  if (group === 'operator') {
    const rows = await db
      .selectFrom('users')
      .select(['id', 'name'])
      .where('workspace_id', '=', workspaceId)
      .execute();
    return new Map(rows.map((r) => [r.id, r.name]));
  }
  if (group === 'department') {
    const rows = await db
      .selectFrom('departments')
      .select(['id', 'name'])
      .where('workspace_id', '=', workspaceId)
      .execute();
    return new Map(rows.map((r) => [r.id, r.name]));
  }
  return new Map();
}

export async function widgetCells(
  db: Kysely<Database>,
  workspaceId: string,
  widget: WidgetDefinition,
  now: number,
  timezone: string,
): Promise<WidgetCell[]> {
  const [measured, names] = await Promise.all([
    measure(db, workspaceId, widget, now, timezone),
    labels(db, workspaceId, widget.groupBy),
  ]);
  return measured
    .map(({ key, value }) => ({
      key: key ?? '',
      label: key === null ? '' : (names.get(key) ?? key),
      value,
      state: cellState(widget, value),
    }))
    .sort((a, b) => (a.key === '' ? 1 : b.key === '' ? -1 : a.label.localeCompare(b.label)));
}

/** Every widget's table now; `timezone` is the workspace's analytics zone when the caller has it. */
export async function widgetTables(
  db: Kysely<Database>,
  workspaceId: string,
  now: number,
  timezone?: string,
): Promise<WidgetTable[]> {
  const [widgets, zone] = await Promise.all([
    listWidgets(db, workspaceId),
    timezone ?? readSettings(db, workspaceId).then((settings) => settings.timezone),
  ]);
  return Promise.all(
    widgets.map(async (widget) => ({
      widget,
      cells: await widgetCells(db, workspaceId, widget, now, zone),
    })),
  );
}

// ---- alerts ----

/** The alert-state id of one cell: a new grouping or a removed widget leaves the old ones stale. */
export const widgetAlertId = (widget: MonitorWidget, cell: WidgetCell) =>
  `widget:${widget.id}:${widget.groupBy}:${cell.key}`;

export const isWidgetAlertId = (id: string) => id.startsWith('widget:');

/** Every cell with an alert threshold, and its alert if it reached it. */
export function widgetWatches(tables: WidgetTable[], now: number): { id: string; alert: LiveAlert | null }[] {
  return tables.flatMap(({ widget, cells }) =>
    widget.alert === null
      ? []
      : cells.map((cell) => ({
          id: widgetAlertId(widget, cell),
          alert: cell.state === 'alert' ? widgetAlert(widget, cell, now) : null,
        })),
  );
}

export function widgetAlert(widget: MonitorWidget, cell: WidgetCell, since: number): LiveAlert {
  return {
    ruleId: widgetAlertId(widget, cell),
    metric: widget.metric,
    departmentId: widget.groupBy === 'department' && cell.key !== '' ? cell.key : null,
    value: cell.value,
    threshold: widget.alert ?? 0,
    direction: widget.direction,
    since,
    widget: {
      widgetId: widget.id,
      title: widget.title,
      groupBy: widget.groupBy,
      key: cell.key,
      label: cell.label,
    },
  };
}
