// Small builders of wire objects for the widget's unit tests.
import type { Conversation, Message } from '@frontline/protocol';

export const CONVERSATION_ID = '00000000-0000-7000-8000-000000000001';

export function message(seq: number, patch: Partial<Message> = {}): Message {
  return {
    id: `00000000-0000-7000-8000-${String(seq).padStart(12, '0')}`,
    conversationId: CONVERSATION_ID,
    seq,
    clientMsgId: `c${seq}`,
    author: { type: 'operator', id: null, name: 'Anna' },
    kind: 'text',
    text: `message ${seq}`,
    attachments: [],
    event: null,
    buttons: [],
    replyTo: null,
    location: null,
    sharedContact: null,
    createdAt: 1_700_000_000_000 + seq,
    ...patch,
  };
}

export const fromVisitor = (seq: number, clientMsgId: string): Message =>
  message(seq, { clientMsgId, author: { type: 'visitor', id: null, name: null } });

export function conversation(patch: Partial<Conversation> = {}): Conversation {
  return {
    id: CONVERSATION_ID,
    channel: 'widget',
    status: 'assigned',
    contact: { id: '00000000-0000-7000-8000-0000000000c1', name: null, email: null },
    departmentId: null,
    assigneeId: null,
    priority: 'normal',
    lastSeq: 0,
    lastMessageAt: null,
    lastMessagePreview: null,
    visitorLastReadSeq: 0,
    operatorLastReadSeq: 0,
    createdAt: 1_700_000_000_000,
    updatedAt: 1_700_000_000_000,
    resolvedAt: null,
    waitingSince: null,
    ...patch,
  };
}
