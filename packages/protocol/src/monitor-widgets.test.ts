import { describe, expect, it } from 'vitest';
import {
  cellState,
  WIDGET_GROUPS,
  WIDGET_METRIC_SHAPES,
  WIDGET_METRICS,
  WidgetInput,
} from './monitor-widgets.js';

describe('cellState', () => {
  it('reaches a threshold at the value itself, above', () => {
    const t = { direction: 'above', warning: 5, alert: 10 } as const;
    expect(cellState(t, 4)).toBe('ok');
    expect(cellState(t, 5)).toBe('warning');
    expect(cellState(t, 9.9)).toBe('warning');
    expect(cellState(t, 10)).toBe('alert');
    expect(cellState(t, 1000)).toBe('alert');
  });

  it('counts downwards for "below"', () => {
    const t = { direction: 'below', warning: 50, alert: 20 } as const;
    expect(cellState(t, 51)).toBe('ok');
    expect(cellState(t, 50)).toBe('warning');
    expect(cellState(t, 20)).toBe('alert');
    expect(cellState(t, 0)).toBe('alert');
  });

  it('skips a threshold that is not set, including a zero one that is', () => {
    expect(cellState({ direction: 'above', warning: null, alert: null }, 1e6)).toBe('ok');
    expect(cellState({ direction: 'above', warning: null, alert: 3 }, 2)).toBe('ok');
    expect(cellState({ direction: 'above', warning: 0, alert: null }, 0)).toBe('warning');
    expect(cellState({ direction: 'below', warning: null, alert: 0 }, 0)).toBe('alert');
  });
});

describe('WidgetInput', () => {
  it('accepts every metric with each of its groupings, windowed or not as it needs', () => {
    for (const metric of WIDGET_METRICS) {
      const { groups, windowed } = WIDGET_METRIC_SHAPES[metric];
      for (const groupBy of WIDGET_GROUPS) {
        const parsed = WidgetInput.safeParse({ metric, groupBy, window: windowed ? '6h' : null });
        expect(parsed.success, `${metric} by ${groupBy}`).toBe(groups.includes(groupBy));
      }
    }
  });

  it('defaults to no thresholds, above, no title', () => {
    expect(WidgetInput.parse({ metric: 'queue_length', groupBy: 'department' })).toEqual({
      title: '',
      metric: 'queue_length',
      groupBy: 'department',
      window: null,
      direction: 'above',
      warning: null,
      alert: null,
    });
  });

  it('wants the warning before the alert in the direction', () => {
    const base = { metric: 'load_percent', groupBy: 'operator' } as const;
    expect(WidgetInput.safeParse({ ...base, warning: 80, alert: 90 }).success).toBe(true);
    expect(WidgetInput.safeParse({ ...base, warning: 90, alert: 90 }).success).toBe(true);
    expect(WidgetInput.safeParse({ ...base, warning: 95, alert: 90 }).success).toBe(false);
    expect(WidgetInput.safeParse({ ...base, direction: 'below', warning: 20, alert: 10 }).success).toBe(true);
    expect(WidgetInput.safeParse({ ...base, direction: 'below', warning: 5, alert: 10 }).success).toBe(false);
  });

  it('names the metric and the groupings it has when refusing one', () => {
    const parsed = WidgetInput.safeParse({ metric: 'missed', groupBy: 'state', window: '1h' });
    expect(parsed.error?.issues.map((i) => [i.path, i.message])).toEqual([
      [['groupBy'], '"missed" cannot be grouped by state; group it by department, channel'],
    ]);
  });
});
