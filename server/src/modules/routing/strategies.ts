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
  const order = context.strategy === 'round_robin' ? byLongestSinceOffer : byLoadThenLongestSinceOffer;
  // One scan for the first best, not a sort: a pass makes a decision per waiting conversation over
  // hundreds of operators, and sorting them each time was most of a decision's cost.
  let best: Candidate | undefined;
  for (const candidate of candidates) {
    if (!hasRoom(candidate) || context.excluded.has(candidate.id)) continue;
    if (!best || order(candidate, best) < 0) best = candidate;
  }
  return best?.id ?? null;
}

/** Ids are ASCII (UUIDv7), so code-unit order is a stable tie-break without the cost of collation. */
function byId(a: Candidate, b: Candidate): number {
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

function byLongestSinceOffer(a: Candidate, b: Candidate): number {
  return a.lastOfferedAt - b.lastOfferedAt || byId(a, b);
}

/** Least busy by share of capacity used, so a capacity-5 operator with 2 chats beats capacity-2 with 1. */
function byLoadThenLongestSinceOffer(a: Candidate, b: Candidate): number {
  return a.active / a.capacity - b.active / b.capacity || byLongestSinceOffer(a, b);
}
