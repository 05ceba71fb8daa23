// The supervisor's own live tables on the monitoring page: each widget counts one metric by
// operator, department, channel or state over a window, its cells coloured by their thresholds
// (yellow at the warning value, red at the alert value). Refreshed with the page and at once when
// an alert is pushed; added, edited and removed here.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import {
  WIDGET_METRIC_SHAPES,
  WIDGET_METRICS,
  WIDGET_WINDOWS,
  type MonitorWidget,
  type WidgetDefinition,
  type WidgetMetric,
  type WidgetTable,
  type WidgetTables,
} from '@frontline/protocol';
import { api } from '../api/http.js';
import { describeError } from '../i18n/errors.js';
import { useRealtime } from '../realtime/context.js';
import { groupLabel } from './alert-text.js';
import { formatDuration } from './format.js';
import './monitor-widgets.css';

const REFRESH_MS = 5_000;
const widgetsKey = ['analytics-widgets'] as const;

const fetchWidgets = () => api<WidgetTables>('GET', '/api/analytics/widgets');
const saveWidget = (id: string | null, definition: WidgetDefinition) =>
  id === null
    ? api<MonitorWidget>('POST', '/api/analytics/widgets', definition)
    : api<MonitorWidget>('PUT', `/api/analytics/widgets/${id}`, definition);
const removeWidget = (id: string) => api<null>('DELETE', `/api/analytics/widgets/${id}`);

const NEW_WIDGET: WidgetDefinition = {
  title: '',
  metric: 'queue_length',
  groupBy: 'department',
  window: null,
  direction: 'above',
  warning: null,
  alert: null,
};

const definitionOf = ({ title, metric, groupBy, window, direction, warning, alert }: WidgetDefinition) => ({
  title,
  metric,
  groupBy,
  window,
  direction,
  warning,
  alert,
});

function formatValue(metric: WidgetMetric, value: number, t: TFunction): string {
  if (metric === 'average_wait_seconds' || metric === 'longest_wait_seconds')
    return formatDuration(value * 1000, t);
  if (metric === 'load_percent') return `${value}%`;
  return String(value);
}

function caption(widget: WidgetDefinition, t: TFunction): string {
  return t('monitorWidgets.caption', {
    metric: t(`monitorWidgets.metrics.${widget.metric}`),
    group: t(`monitorWidgets.groups.${widget.groupBy}`),
    window: widget.window === null ? t('monitorWidgets.now') : t(`monitorWidgets.windows.${widget.window}`),
  });
}

export function MonitorWidgets() {
  const { t } = useTranslation();
  const queries = useQueryClient();
  const realtime = useRealtime();
  const widgets = useQuery({ queryKey: widgetsKey, queryFn: fetchWidgets, refetchInterval: REFRESH_MS });
  // null: no form open; 'new': adding; an id: editing that widget.
  const [editing, setEditing] = useState<string | null>(null);
  useEffect(
    () => realtime.onAnalyticsAlert(() => void queries.invalidateQueries({ queryKey: widgetsKey })),
    [queries, realtime],
  );
  const remove = useMutation({
    mutationFn: removeWidget,
    onSuccess: () => void queries.invalidateQueries({ queryKey: widgetsKey }),
  });
  const tables = widgets.data?.widgets ?? [];
  const close = () => {
    setEditing(null);
    void queries.invalidateQueries({ queryKey: widgetsKey });
  };
  return (
    <section aria-labelledby="monitor-widgets-title" className="monitor-widgets">
      <div className="monitor-widgets-head">
        <h2 id="monitor-widgets-title">{t('monitorWidgets.title')}</h2>
        {editing === null && (
          <button type="button" onClick={() => setEditing('new')}>
            {t('monitorWidgets.add')}
          </button>
        )}
      </div>
      <p className="muted">{t('monitorWidgets.hint')}</p>
      {widgets.isError && <p className="form-error">{describeError(widgets.error, t)}</p>}
      {remove.isError && <p className="form-error">{describeError(remove.error, t)}</p>}
      {editing === 'new' && <WidgetForm id={null} initial={NEW_WIDGET} onDone={close} />}
      {widgets.isSuccess && tables.length === 0 && editing !== 'new' && (
        <p className="muted">{t('monitorWidgets.empty')}</p>
      )}
      <div className="monitor-widgets-grid">
        {tables.map((table) =>
          editing === table.widget.id ? (
            <WidgetForm key={table.widget.id} id={table.widget.id} initial={table.widget} onDone={close} />
          ) : (
            <WidgetCard
              key={table.widget.id}
              table={table}
              onEdit={() => setEditing(table.widget.id)}
              onRemove={() => remove.mutate(table.widget.id)}
            />
          ),
        )}
      </div>
    </section>
  );
}

function WidgetCard({
  table: { widget, cells },
  onEdit,
  onRemove,
}: {
  table: WidgetTable;
  onEdit: () => void;
  onRemove: () => void;
}) {
  const { t } = useTranslation();
  const name = widget.title || caption(widget, t);
  return (
    <article className="monitor-widget" aria-label={name}>
      <header>
        <h3>{name}</h3>
        {widget.title && <p className="muted">{caption(widget, t)}</p>}
      </header>
      {cells.length === 0 ? (
        <p className="muted">{t('monitorWidgets.nothing')}</p>
      ) : (
        <table className="admin-table" aria-label={name}>
          <thead>
            <tr>
              <th scope="col">{t(`monitorWidgets.groupColumn.${widget.groupBy}`)}</th>
              <th scope="col">{t('monitorWidgets.value')}</th>
            </tr>
          </thead>
          <tbody>
            {cells.map((cell) => (
              <tr key={cell.key}>
                <td>{groupLabel(widget.groupBy, cell.key, cell.label, t)}</td>
                <td
                  className={`monitor-cell-${cell.state}`}
                  data-state={cell.state}
                  title={t(`monitorWidgets.state.${cell.state}`)}
                >
                  {formatValue(widget.metric, cell.value, t)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <div className="monitor-widget-actions">
        <button type="button" className="ghost" onClick={onEdit}>
          {t('monitorWidgets.edit')}
        </button>
        <button type="button" className="ghost" onClick={onRemove}>
          {t('monitorWidgets.remove')}
        </button>
      </div>
    </article>
  );
}

/** A threshold input: empty means none. */
function ThresholdInput({
  label,
  value,
  onChange,
}: {
  label: string;
  value: number | null;
  onChange: (value: number | null) => void;
}) {
  const { t } = useTranslation();
  return (
    <label>
      {label}
      <input
        type="number"
        min={0}
        step="any"
        placeholder={t('monitorWidgets.noThreshold')}
        value={value ?? ''}
        onChange={(e) => onChange(e.target.value === '' ? null : Number(e.target.value))}
      />
    </label>
  );
}

function WidgetForm({
  id,
  initial,
  onDone,
}: {
  id: string | null;
  initial: WidgetDefinition;
  onDone: () => void;
}) {
  const { t } = useTranslation();
  const [draft, setDraft] = useState<WidgetDefinition>(() => definitionOf(initial));
  const save = useMutation({ mutationFn: () => saveWidget(id, draft), onSuccess: onDone });
  const shape = WIDGET_METRIC_SHAPES[draft.metric];
  // A new metric keeps the grouping and window when it has them, else takes its first ones.
  const setMetric = (metric: WidgetMetric) => {
    const next = WIDGET_METRIC_SHAPES[metric];
    setDraft({
      ...draft,
      metric,
      groupBy: next.groups.includes(draft.groupBy) ? draft.groupBy : next.groups[0]!,
      window: next.windowed ? (draft.window ?? '1h') : null,
    });
  };
  return (
    <form
      className="monitor-widget monitor-widget-form"
      aria-label={id === null ? t('monitorWidgets.add') : t('monitorWidgets.edit')}
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate();
      }}
    >
      <label>
        {t('monitorWidgets.name')}
        <input
          value={draft.title}
          maxLength={80}
          placeholder={t('monitorWidgets.namePlaceholder')}
          onChange={(e) => setDraft({ ...draft, title: e.target.value })}
        />
      </label>
      <label>
        {t('monitorWidgets.metric')}
        <select value={draft.metric} onChange={(e) => setMetric(e.target.value as WidgetMetric)}>
          {WIDGET_METRICS.map((m) => (
            <option key={m} value={m}>
              {t(`monitorWidgets.metrics.${m}`)}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t('monitorWidgets.groupBy')}
        <select
          value={draft.groupBy}
          onChange={(e) => setDraft({ ...draft, groupBy: e.target.value as WidgetDefinition['groupBy'] })}
        >
          {shape.groups.map((g) => (
            <option key={g} value={g}>
              {t(`monitorWidgets.groupColumn.${g}`)}
            </option>
          ))}
        </select>
      </label>
      {shape.windowed && (
        <label>
          {t('monitorWidgets.window')}
          <select
            value={draft.window ?? '1h'}
            onChange={(e) => setDraft({ ...draft, window: e.target.value as WidgetDefinition['window'] })}
          >
            {WIDGET_WINDOWS.map((w) => (
              <option key={w} value={w}>
                {t(`monitorWidgets.windows.${w}`)}
              </option>
            ))}
          </select>
        </label>
      )}
      <label>
        {t('monitorWidgets.direction')}
        <select
          value={draft.direction}
          onChange={(e) => setDraft({ ...draft, direction: e.target.value === 'below' ? 'below' : 'above' })}
        >
          <option value="above">{t('monitorWidgets.above')}</option>
          <option value="below">{t('monitorWidgets.below')}</option>
        </select>
      </label>
      <ThresholdInput
        label={t('monitorWidgets.warning')}
        value={draft.warning}
        onChange={(warning) => setDraft({ ...draft, warning })}
      />
      <ThresholdInput
        label={t('monitorWidgets.alert')}
        value={draft.alert}
        onChange={(alert) => setDraft({ ...draft, alert })}
      />
      {save.isError && <p className="form-error">{describeError(save.error, t)}</p>}
      <div className="monitor-widget-actions">
        <button type="submit" disabled={save.isPending}>
          {t('monitorWidgets.save')}
        </button>
        <button type="button" className="ghost" onClick={onDone}>
          {t('monitorWidgets.cancel')}
        </button>
      </div>
    </form>
  );
}
