import { describe, expect, it } from 'vitest';
import { BOT_HANDOFF_REASONS, LIVE_METRICS, REPORT_GROUPS } from '@frontline/protocol';
import * as local from './constants.js';

describe('analytics constants of the web', () => {
  it('match the protocol', () => {
    expect([...local.REPORT_GROUP_CHOICES]).toEqual([...REPORT_GROUPS]);
    expect([...local.LIVE_METRIC_CHOICES]).toEqual([...LIVE_METRICS]);
    expect([...local.BOT_HANDOFF_REASON_CHOICES]).toEqual([...BOT_HANDOFF_REASONS]);
  });
});
