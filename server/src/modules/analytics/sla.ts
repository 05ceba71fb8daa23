// SLA compliance: the period's figures against the targets (the department's own, else the
// workspace's), each met or not, with the trend against the previous period of equal length.
import type { SlaItem, SlaMetric, SlaTargets, SummaryFigures } from '@frontline/protocol';

export interface SlaInputs {
  figures: SummaryFigures;
  /** Average hours online per operator per day they were online at all; null without data. */
  onlineHoursPerDay: number | null;
}

const round = (value: number | null) => (value === null ? null : Math.round(value * 100) / 100);

function values(input: SlaInputs): Record<SlaMetric, number | null> {
  const t = input.figures.totals;
  return {
    firstReply: input.figures.firstReply.mean === null ? null : round(input.figures.firstReply.mean / 1000),
    onlineHours: round(input.onlineHoursPerDay),
    missed: input.figures.missedPercent,
    goodRatings: input.figures.csatPercent,
    proactive: t.requests === 0 ? null : round((t.proactive / t.requests) * 100),
  };
}

/** Whether a higher value is better. */
const HIGHER_IS_BETTER: Record<SlaMetric, boolean> = {
  firstReply: false,
  onlineHours: true,
  missed: false,
  goodRatings: true,
  proactive: true,
};

function targetOf(targets: SlaTargets, metric: SlaMetric): number {
  switch (metric) {
    case 'firstReply':
      return targets.firstReplySeconds;
    case 'onlineHours':
      return targets.onlineHoursPerDay;
    case 'missed':
      return targets.missedPercentBelow;
    case 'goodRatings':
      return targets.goodRatingsPercentAbove;
    case 'proactive':
      return targets.proactivePercentAbove;
  }
}

function met(metric: SlaMetric, value: number, target: number): boolean {
  switch (metric) {
    case 'firstReply':
      return value <= target;
    case 'onlineHours':
      return value >= target;
    case 'missed':
      return value < target;
    case 'goodRatings':
    case 'proactive':
      return value > target;
  }
}

export function slaItems(targets: SlaTargets, current: SlaInputs, previous: SlaInputs): SlaItem[] {
  const now = values(current);
  const before = values(previous);
  return (Object.keys(HIGHER_IS_BETTER) as SlaMetric[]).map((metric) => {
    const value = now[metric];
    const prior = before[metric];
    const target = targetOf(targets, metric);
    let trend: SlaItem['trend'] = 'unknown';
    if (value !== null && prior !== null)
      trend = value === prior ? 'same' : value > prior === HIGHER_IS_BETTER[metric] ? 'better' : 'worse';
    return {
      metric,
      target,
      value,
      previous: prior,
      met: value === null ? null : met(metric, value, target),
      trend,
    };
  });
}
