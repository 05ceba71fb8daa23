// The bot figures of the fold (docs/analytics.md, "Bot report") in the cases a generated log
// rarely hits: events of one millisecond in either order, and reasons outside the list.
import { describe, expect, it } from 'vitest';
import { applyEvent, changesFact, newFact, type Fact, type FactEvent } from './facts.js';

const START = Date.parse('2026-03-28T10:00:00Z');
const BOT = { actor_type: 'api', actor_id: 'bot:flow-1' };

function fold(events: (Partial<FactEvent> & Pick<FactEvent, 'type'>)[]): Fact {
  const fact = newFact({
    conversationId: 'c',
    workspaceId: 'w',
    contactId: 'p',
    channel: 'widget',
    departmentId: null,
    source: 'visitor',
    createdAt: START,
    previousAt: null,
    timezone: 'Europe/Berlin',
  });
  for (const event of events)
    applyEvent(fact, { created_at: START, actor_type: 'system', actor_id: null, data: {}, ...event });
  return fact;
}

describe('the bot figures of a fact', () => {
  it('keeps the first hand-off; of one millisecond, the reason listed first, in either order', () => {
    const handOff = (reason: string, at = START) => ({
      type: 'bot_handed_over',
      created_at: at,
      data: { reason },
      ...BOT,
    });
    for (const order of [
      [handOff('loop'), handOff('flow')],
      [handOff('flow'), handOff('loop')],
    ])
      expect(fold(order)).toMatchObject({ bot_handed_at: START, bot_handoff_reason: 'flow' });
    expect(fold([handOff('loop', START + 5), handOff('flow', START + 9)]).bot_handoff_reason).toBe('loop');
    // A reason the report does not know counts as none, and loses a tie to a known one.
    expect(fold([handOff('gone')]).bot_handoff_reason).toBeNull();
    expect(fold([handOff('gone'), handOff('no_answer')]).bot_handoff_reason).toBe('no_answer');
  });

  it('takes over with an assignment at or after the start only, and counts only the bot’s own tags', () => {
    const assigned = (at: number) => ({ type: 'assigned', created_at: at, data: { assignee_id: 'o' } });
    const started = { type: 'bot_started', created_at: START + 10, ...BOT };
    expect(fold([assigned(START), started]).bot_taken_at).toBeNull();
    expect(fold([assigned(START), started, assigned(START + 10)]).bot_taken_at).toBe(START + 10);
    const tag = (actor_type: string, actor_id: string | null) => ({
      type: 'tag_added',
      data: { tag: 'menu' },
      actor_type,
      actor_id,
    });
    expect(fold([tag('api', 'token-1'), tag('operator', 'o'), tag('api', 'bot')]).bot_chose).toBe(0);
    expect(fold([tag('api', 'bot:flow-1')]).bot_chose).toBe(1);
  });

  it("reads the fact for a bot's tag only, not for a person's or a token's", () => {
    expect(changesFact({ type: 'tag_added', ...BOT })).toBe(true);
    expect(changesFact({ type: 'tag_added', actor_type: 'operator', actor_id: 'o' })).toBe(false);
    expect(changesFact({ type: 'tag_added', actor_type: 'api', actor_id: 'token-1' })).toBe(false);
    expect(changesFact({ type: 'assigned', actor_type: 'operator', actor_id: 'o' })).toBe(true);
    expect(changesFact({ type: 'note_added', actor_type: 'operator', actor_id: 'o' })).toBe(false);
  });
});
