// The outbox survives a reload: a reply the operator sent while the connection was down still goes
// out (with its clientMsgId, so at most once) when the workspace opens again. Per user, in this
// browser's localStorage. Two tabs of one operator share it: each resends what it loaded (harmless,
// the clientMsgId makes the server store it once) and the last tab to write wins.
import type { OutgoingMessage, Outbox } from './outbox.js';

const keyOf = (userId: string) => `frontline.outbox.${userId}`;

function isOutgoingMessage(value: unknown): value is OutgoingMessage {
  if (typeof value !== 'object' || value === null) return false;
  const m = value as Record<string, unknown>;
  return (
    typeof m.clientMsgId === 'string' &&
    typeof m.conversationId === 'string' &&
    (m.kind === 'text' || m.kind === 'note') &&
    typeof m.text === 'string' &&
    Array.isArray(m.attachments) &&
    typeof m.createdAt === 'number' &&
    typeof m.attempts === 'number' &&
    (m.state === 'sending' || m.state === 'waiting' || m.state === 'refused')
  );
}

export function loadOutbox(userId: string): Outbox {
  try {
    const stored: unknown = JSON.parse(localStorage.getItem(keyOf(userId)) ?? '[]');
    if (!Array.isArray(stored)) return [];
    // Nothing is under way in a fresh page: what was being sent is resent.
    return stored
      .filter(isOutgoingMessage)
      .map((m) => (m.state === 'sending' ? { ...m, state: 'waiting', error: m.error ?? null } : m));
  } catch {
    return [];
  }
}

export function saveOutbox(userId: string, outbox: Outbox): void {
  try {
    if (outbox.length === 0) localStorage.removeItem(keyOf(userId));
    else localStorage.setItem(keyOf(userId), JSON.stringify(outbox));
  } catch {
    // Storage full or disabled (private mode): the outbox still works for this page's life.
  }
}
