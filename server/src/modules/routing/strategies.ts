// Which operator gets the next conversation of a department. Pure: the routing service gathers the
// candidates and applies the choice with a conditional update, so a stale choice can lose a race
// but never over-assign.
import type { RoutingStrategy } from '@frontline/protocol';

export interface Candidate {
  id: string;
  /** Conversations offered to or assigned to the operator now. */
  active: number;
  capacity: number;
  /** When the operator was last offered a conversation (ms), for round robin and tie-breaks. */
  lastOfferedAt: number;
}

export interface PickContext {
  strategy: RoutingStrategy;
  /** Operators who already missed this conversation's offer: it moves on to someone else. */
  excluded: ReadonlySet<string>;
  /** Sticky: the operator who last served this contact, and how long to wait for them. */
  previousOperatorId?: string | null | undefined;
  waitedMs: number;
  stickyWaitMs: number;
}

const hasRoom = (c: Candidate) => c.active < c.capacity;

/** The operator to offer to, or null (nobody free, or manual pick-up, or waiting for the sticky one). */
export function pickOperator(candidates: readonly Candidate[], context: PickContext): string | null {
  if (context.strategy === 'manual') return null;
  const free = candidates.filter((c) => hasRoom(c) && !context.excluded.has(c.id));
  if (
    context.strategy === 'sticky' &&
    context.previousOperatorId &&
    !context.excluded.has(context.previousOperatorId)
  ) {
    const previous = candidates.find((c) => c.id === context.previousOperatorId);
    if (previous && hasRoom(previous)) return previous.id;
    // Hold the conversation for the known operator a while if they are online, then fall back.
    if (previous && context.waitedMs < context.stickyWaitMs) return null;
  }
  if (free.length === 0) return null;
  const order = context.strategy === 'round_robin' ? byLongestSinceOffer : byLoadThenLongestSinceOffer;
  return [...free].sort(order)[0]?.id ?? null;
}

function byLongestSinceOffer(a: Candidate, b: Candidate): number {
  return a.lastOfferedAt - b.lastOfferedAt || a.id.localeCompare(b.id);
}

/** Least busy by share of capacity used, so a capacity-5 operator with 2 chats beats capacity-2 with 1. */
function byLoadThenLongestSinceOffer(a: Candidate, b: Candidate): number {
  return a.active / a.capacity - b.active / b.capacity || byLongestSinceOffer(a, b);
}
