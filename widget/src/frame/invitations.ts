// When a proactive invitation is due. Rules (widget settings): the page address matches a pattern
// with `*` wildcards, the visitor has been on the page long enough, has visited the site often
// enough, and (optionally) is about to leave. Pure; chat.ts keeps the clock and the events.
import type { Invitation } from '@frontline/protocol';

export interface VisitContext {
  pageUrl: string;
  visits: number;
  /** Invitations already shown or dismissed during this visit: each is offered once. */
  seen: ReadonlySet<string>;
}

/** `*` matches any run of characters; everything else literally, case-insensitively. */
export function matchesUrl(pattern: string, url: string): boolean {
  const source = pattern
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${source}$`, 'i').test(url);
}

/** The invitations this page may show, in the admin's order; each still waits for its time. */
export function candidates(invitations: readonly Invitation[], visit: VisitContext): Invitation[] {
  return invitations.filter(
    (i) =>
      i.enabled &&
      !visit.seen.has(i.id) &&
      visit.visits >= i.minVisits &&
      matchesUrl(i.urlPattern, visit.pageUrl),
  );
}

/**
 * The invitation to show now: the first candidate whose time on page has passed and, if it waits
 * for the visitor to leave, whose exit intent was seen.
 */
export function dueInvitation(
  invitations: readonly Invitation[],
  secondsOnPage: number,
  exitIntent: boolean,
): Invitation | null {
  return (
    invitations.find((i) => secondsOnPage >= i.minSecondsOnPage && (!i.exitIntent || exitIntent)) ?? null
  );
}

/** Seconds until the next candidate's time on page passes; null when none is waiting for time. */
export function secondsUntilNext(invitations: readonly Invitation[], secondsOnPage: number): number | null {
  const waits = invitations.map((i) => i.minSecondsOnPage - secondsOnPage).filter((s) => s > 0);
  return waits.length ? Math.min(...waits) : null;
}
