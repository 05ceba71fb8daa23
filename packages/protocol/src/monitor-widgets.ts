// Live-monitoring widgets a supervisor composes (docs/analytics.md): one metric grouped by operator,
// department, channel or conversation state, over a window, with warning and alert thresholds that
// colour each cell; a cell reaching its alert value raises a live alert.
import { z } from 'zod';
import { Id } from './common.js';

/** Metrics measured now (the queue, operators' load) and over a window (started conversations). */
export const WIDGET_METRICS = [
  'conversations',
  'queue_length',
  'average_wait_seconds',
  'longest_wait_seconds',
  'missed',
  'load_percent',
] as const;
export const WidgetMetric = z.enum(WIDGET_METRICS);
export type WidgetMetric = z.infer<typeof WidgetMetric>;

export const WIDGET_GROUPS = ['operator', 'department', 'channel', 'state'] as const;
export const WidgetGroup = z.enum(WIDGET_GROUPS);
export type WidgetGroup = z.infer<typeof WidgetGroup>;

/** Last hour, 6 hours, 24 hours, or since local midnight in the workspace's analytics time zone. */
export const WIDGET_WINDOWS = ['1h', '6h', '24h', 'today'] as const;
export const WidgetWindow = z.enum(WIDGET_WINDOWS);
export type WidgetWindow = z.infer<typeof WidgetWindow>;

/**
 * The groupings each metric's data has, and whether it is counted over a window (null: measured
 * now). Waiting conversations have no operator yet, missed ones never had one, and load belongs
 * to operators only.
 */
export const WIDGET_METRIC_SHAPES: Record<
  WidgetMetric,
  { groups: readonly WidgetGroup[]; windowed: boolean }
> = {
  conversations: { groups: ['operator', 'department', 'channel', 'state'], windowed: true },
  queue_length: { groups: ['department', 'channel', 'state'], windowed: false },
  average_wait_seconds: { groups: ['operator', 'department', 'channel'], windowed: true },
  longest_wait_seconds: { groups: ['department', 'channel', 'state'], windowed: false },
  missed: { groups: ['department', 'channel'], windowed: true },
  load_percent: { groups: ['operator'], windowed: false },
};

const Threshold = z.number().min(0).max(1_000_000).nullable();

/** A cell is at warning (or alert) when its value reaches that threshold in the direction. */
export const WidgetThresholds = z.object({
  /** 'above': the value is bad when it reaches the threshold or more; 'below': that or less. */
  direction: z.enum(['above', 'below']).default('above'),
  warning: Threshold.default(null),
  alert: Threshold.default(null),
});
export type WidgetThresholds = z.infer<typeof WidgetThresholds>;

export const WidgetInput = z
  .object({
    title: z.string().trim().max(80).default(''),
    metric: WidgetMetric,
    groupBy: WidgetGroup,
    /** Required for windowed metrics, null for those measured now. */
    window: WidgetWindow.nullable().default(null),
  })
  .extend(WidgetThresholds.shape)
  .superRefine((w, ctx) => {
    const shape = WIDGET_METRIC_SHAPES[w.metric];
    if (!shape.groups.includes(w.groupBy))
      ctx.addIssue({
        code: 'custom',
        path: ['groupBy'],
        message: `"${w.metric}" cannot be grouped by ${w.groupBy}; group it by ${shape.groups.join(', ')}`,
      });
    if (shape.windowed && w.window === null)
      ctx.addIssue({
        code: 'custom',
        path: ['window'],
        message: `"${w.metric}" is counted over a window: choose ${WIDGET_WINDOWS.join(', ')}`,
      });
    if (!shape.windowed && w.window !== null)
      ctx.addIssue({
        code: 'custom',
        path: ['window'],
        message: `"${w.metric}" is measured now and takes no window: send window null`,
      });
    if (w.warning !== null && w.alert !== null) {
      const backwards = w.direction === 'above' ? w.warning > w.alert : w.warning < w.alert;
      if (backwards)
        ctx.addIssue({
          code: 'custom',
          path: ['warning'],
          message: `The warning value must come before the alert value (${w.direction === 'above' ? 'at most' : 'at least'} ${w.alert})`,
        });
    }
  });
export type WidgetInput = z.input<typeof WidgetInput>;
export type WidgetDefinition = z.infer<typeof WidgetInput>;

export const MAX_WIDGETS = 30;

export const CELL_STATES = ['ok', 'warning', 'alert'] as const;
export const CellState = z.enum(CELL_STATES);
export type CellState = z.infer<typeof CellState>;

export function cellState(thresholds: WidgetThresholds, value: number): CellState {
  const reaches = (threshold: number | null) =>
    threshold !== null && (thresholds.direction === 'above' ? value >= threshold : value <= threshold);
  if (reaches(thresholds.alert)) return 'alert';
  if (reaches(thresholds.warning)) return 'warning';
  return 'ok';
}

export const WidgetCell = z.object({
  /** The group's id: an operator, department, channel or state; '' for none (no department...). */
  key: z.string(),
  /** The operator's or department's name; for channels and states the key (clients translate it). */
  label: z.string(),
  value: z.number(),
  state: CellState,
});
export type WidgetCell = z.infer<typeof WidgetCell>;

export const MonitorWidget = z.object({
  id: Id,
  title: z.string(),
  metric: WidgetMetric,
  groupBy: WidgetGroup,
  window: WidgetWindow.nullable(),
  direction: z.enum(['above', 'below']),
  warning: z.number().nullable(),
  alert: z.number().nullable(),
});
export type MonitorWidget = z.infer<typeof MonitorWidget>;

/** A widget with its table now. */
export const WidgetTable = z.object({ widget: MonitorWidget, cells: z.array(WidgetCell) });
export type WidgetTable = z.infer<typeof WidgetTable>;
export const WidgetTables = z.object({ at: z.number(), widgets: z.array(WidgetTable) });
export type WidgetTables = z.infer<typeof WidgetTables>;

/** Which widget cell raised a live alert. */
export const WidgetAlertSource = z.object({
  widgetId: Id,
  title: z.string(),
  groupBy: WidgetGroup,
  key: z.string(),
  label: z.string(),
});
export type WidgetAlertSource = z.infer<typeof WidgetAlertSource>;
