// How a live alert reads, from an admin's rule or from a supervisor's widget cell.
import type { TFunction } from 'i18next';
import type { LiveAlert, WidgetGroup } from '@frontline/protocol';

/** A widget cell's group as a person reads it: names as stored, channels and states translated. */
export function groupLabel(groupBy: WidgetGroup, key: string, label: string, t: TFunction): string {
  if (key === '')
    return groupBy === 'operator' ? t('monitorWidgets.unassigned') : t('analytics.live.noDepartment');
  if (groupBy === 'channel') return t(`channel.${key}`, key);
  if (groupBy === 'state') return t(`status.${key}`, key);
  return label;
}

export function alertText(alert: LiveAlert, t: TFunction): string {
  const { widget } = alert;
  if (!widget)
    return t('analytics.live.alert', {
      metric: t(`analytics.metrics.${alert.metric}`),
      value: alert.value,
      threshold: alert.threshold,
    });
  const metric = t(`monitorWidgets.metrics.${alert.metric}`);
  return t('monitorWidgets.alertText', {
    title: widget.title || metric,
    group: groupLabel(widget.groupBy, widget.key, widget.label, t),
    metric,
    value: alert.value,
    threshold: alert.threshold,
  });
}
