// Small builders of protocol objects for the unit tests; each test states only what it cares about.
import type { Conversation, Message, MessagePage } from '@frontline/protocol';

export const CONVERSATION_ID = '00000000-0000-7000-8000-00000000000c';

export function conversation(id: string, patch: Partial<Conversation> = {}): Conversation {
  return {
    id,
    channel: 'widget',
    status: 'queued',
    contact: { id: '00000000-0000-7000-8000-0000000000aa', name: null, email: null },
    departmentId: null,
    assigneeId: null,
    priority: 'normal',
    lastSeq: 0,
    lastMessageAt: null,
    lastMessagePreview: null,
    visitorLastReadSeq: 0,
    operatorLastReadSeq: 0,
    createdAt: 0,
    updatedAt: 0,
    resolvedAt: null,
    waitingSince: null,
    ...patch,
  };
}

export function message(seq: number, patch: Partial<Message> = {}): Message {
  return {
    id: `00000000-0000-7000-8000-${String(seq).padStart(12, '0')}`,
    conversationId: CONVERSATION_ID,
    seq,
    clientMsgId: `client-${seq}`,
    author: { type: 'visitor', id: null, name: null },
    kind: 'text',
    text: `message ${seq}`,
    attachments: [],
    event: null,
    buttons: [],
    replyTo: null,
    location: null,
    sharedContact: null,
    createdAt: seq * 1000,
    ...patch,
  };
}

export const messages = (from: number, to: number): Message[] =>
  Array.from({ length: to - from + 1 }, (_, i) => message(from + i));

export function page(items: Message[], patch: Partial<MessagePage> = {}): MessagePage {
  return {
    items,
    lastSeq: items.at(-1)?.seq ?? 0,
    hasMoreBefore: false,
    hasMoreAfter: false,
    ...patch,
  };
}
