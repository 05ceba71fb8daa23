// The frame's localStorage (Frontline's origin, so the host page cannot read it). Storage can be
// blocked (private mode, third-party storage rules): then the chat works for this page's life and
// the next visit starts as a new visitor.

/** `visit` keeps a value for this browser tab's visit only (sessionStorage), `local` across visits. */
type Area = 'local' | 'visit';
const areaOf = (area: Area) => (area === 'local' ? localStorage : sessionStorage);

export function readStored(key: string, area: Area = 'local'): string | null {
  try {
    return areaOf(area).getItem(key);
  } catch {
    return null;
  }
}

export function writeStored(key: string, value: string | null, area: Area = 'local'): void {
  try {
    if (value === null) areaOf(area).removeItem(key);
    else areaOf(area).setItem(key, value);
  } catch {
    // Blocked or full: see above.
  }
}

/** Keys are per widget key: one browser can be a visitor of several Frontline workspaces. */
export const storageKeys = (widgetKey: string) => ({
  visitorToken: `frontline:${widgetKey}:visitor`,
  outbox: `frontline:${widgetKey}:outbox`,
  /** The contact that answered the pre-chat form in this browser. */
  preChat: `frontline:${widgetKey}:prechat`,
  muted: `frontline:${widgetKey}:muted`,
  /** Invitations shown during this visit (visit area). */
  invitations: `frontline:${widgetKey}:invitations`,
});
