import { describe, expect, it } from 'vitest';
import {
  applyUpdate,
  belongsIn,
  isUnread,
  newerOf,
  queryOf,
  withRead,
  type ListFilter,
} from './conversation-lists.js';
import { conversation } from '../test/factories.js';

const viewer = { me: 'me', departmentIds: ['sales'] };
const inQueue = (scope: ListFilter['scope']): ListFilter => ({ scope, q: '', channel: '', tag: '' });
const NOW = 1_000_000_000;

describe('the inbox queues', () => {
  it('put a conversation of mine with an unanswered visitor message in "awaiting" and "mine"', () => {
    const waiting = conversation('a', { assigneeId: 'me', status: 'assigned', waitingSince: 5 });
    expect(belongsIn(waiting, 'awaiting', viewer, NOW)).toBe(true);
    expect(belongsIn(waiting, 'mine', viewer, NOW)).toBe(true);
    expect(belongsIn({ ...waiting, waitingSince: null }, 'awaiting', viewer, NOW)).toBe(false);
  });

  it('put queued conversations of my departments (or of none) in "common", other departments in "other"', () => {
    expect(belongsIn(conversation('a', { departmentId: 'sales' }), 'common', viewer, NOW)).toBe(true);
    expect(belongsIn(conversation('b'), 'common', viewer, NOW)).toBe(true);
    const elsewhere = conversation('c', { departmentId: 'billing' });
    expect(belongsIn(elsewhere, 'common', viewer, NOW)).toBe(false);
    expect(belongsIn(elsewhere, 'other', viewer, NOW)).toBe(true);
    expect(
      belongsIn(conversation('d', { assigneeId: 'colleague', status: 'assigned' }), 'other', viewer, NOW),
    ).toBe(true);
  });

  it('keep offline requests apart and show recently resolved ones in "recent"', () => {
    expect(belongsIn(conversation('a', { status: 'offline' }), 'offline', viewer, NOW)).toBe(true);
    expect(belongsIn(conversation('a', { status: 'offline' }), 'other', viewer, NOW)).toBe(false);
    expect(
      belongsIn(conversation('b', { status: 'resolved', resolvedAt: NOW - 1000 }), 'recent', viewer, NOW),
    ).toBe(true);
    expect(
      belongsIn(
        conversation('c', { status: 'resolved', resolvedAt: NOW - 2 * 86_400_000 }),
        'recent',
        viewer,
        NOW,
      ),
    ).toBe(false);
  });
});

describe('live list updates', () => {
  it('move a taken conversation out of "common" and into "mine"', () => {
    const taken = conversation('a', { assigneeId: 'me', status: 'assigned' });
    expect(applyUpdate([conversation('a')], taken, inQueue('common'), viewer, NOW)).toEqual([]);
    expect(applyUpdate([], taken, inQueue('mine'), viewer, NOW)).toEqual([taken]);
  });

  it('keep the newest activity first', () => {
    const older = conversation('a', { lastMessageAt: 10 });
    const newer = conversation('b', { lastMessageAt: 20 });
    expect(applyUpdate([older], newer, inQueue('common'), viewer, NOW).map((c) => c.id)).toEqual(['b', 'a']);
  });

  it('update listed search and tag results but never add ones only the server can match', () => {
    const changed = conversation('a', { lastMessagePreview: 'new' });
    const search = { ...inQueue('search'), q: 'order' };
    expect(applyUpdate([conversation('a')], changed, search, viewer, NOW)).toEqual([changed]);
    expect(applyUpdate([], changed, search, viewer, NOW)).toEqual([]);
    expect(applyUpdate([], changed, { ...inQueue('common'), tag: 'vip' }, viewer, NOW)).toEqual([]);
  });

  it('drop a conversation of another channel than the one filtered', () => {
    const telegram = conversation('a', { channel: 'telegram' });
    expect(applyUpdate([], telegram, { ...inQueue('common'), channel: 'widget' }, viewer, NOW)).toEqual([]);
  });

  it('build the server query of a queue and of a search', () => {
    expect(queryOf({ scope: 'mine', q: '', channel: 'telegram', tag: 'vip' }, null)).toBe(
      'limit=100&queue=mine&channel=telegram&tag=vip',
    );
    expect(queryOf({ scope: 'search', q: ' ёлка ', channel: '', tag: '' }, 'next')).toBe(
      'limit=100&q=%D1%91%D0%BB%D0%BA%D0%B0&cursor=next',
    );
  });
});

describe('read marks', () => {
  it('count a conversation unread while its last seq is past the operator’s read mark', () => {
    expect(isUnread(conversation('a', { lastSeq: 5, operatorLastReadSeq: 4 }))).toBe(true);
    expect(isUnread(conversation('a', { lastSeq: 5, operatorLastReadSeq: 5 }))).toBe(false);
  });

  it('only move forward, whichever copy arrives last', () => {
    const held = conversation('a', { updatedAt: 20, status: 'assigned', operatorLastReadSeq: 7 });
    const incoming = conversation('a', { updatedAt: 30, status: 'resolved', operatorLastReadSeq: 5 });
    expect(newerOf(held, incoming)).toMatchObject({ status: 'resolved', operatorLastReadSeq: 7 });
    const notice = { conversationId: 'a', by: 'visitor' as const, seq: 3 };
    expect(withRead(conversation('a', { visitorLastReadSeq: 4 }), notice).visitorLastReadSeq).toBe(4);
  });
});
