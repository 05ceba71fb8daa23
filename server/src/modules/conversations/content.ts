// Rich message content (buttons, button replies, shared locations and contacts): who may send
// which part, how it is stored in the messages.content JSON column, and how it reads back.
import { z } from 'zod';
import {
  ButtonReply,
  MessageButton,
  SharedContact,
  SharedLocation,
  type Message,
  type SendMessageBody,
} from '@frontline/protocol';
import { AppError, forbidden } from '../../errors.js';
import { parseJsonColumn } from '../../storage/json.js';
import type { Principal } from '../auth/principal.js';

export type MessageContent = Pick<Message, 'buttons' | 'replyTo' | 'location' | 'sharedContact'>;

export const NO_CONTENT: MessageContent = { buttons: [], replyTo: null, location: null, sharedContact: null };

const StoredContent = z.object({
  buttons: z.array(MessageButton).default([]),
  replyTo: ButtonReply.nullable().default(null),
  location: SharedLocation.nullable().default(null),
  sharedContact: SharedContact.nullable().default(null),
});

export function contentOfSend(principal: Principal, body: SendMessageBody): MessageContent {
  if (principal.kind === 'visitor' && body.buttons.length > 0)
    throw forbidden('Visitors cannot send buttons; answer a button with replyTo instead');
  if (principal.kind !== 'visitor' && body.replyTo)
    throw forbidden('Only the visitor answers buttons; replyTo is for visitors');
  return {
    buttons: body.buttons,
    replyTo: body.replyTo ?? null,
    location: body.location ?? null,
    sharedContact: body.sharedContact ?? null,
  };
}

/** Stored compactly: a plain text message keeps `{}`. */
export function serializeContent(content: MessageContent): string {
  const stored: Partial<MessageContent> = {};
  if (content.buttons.length > 0) stored.buttons = content.buttons;
  if (content.replyTo) stored.replyTo = content.replyTo;
  if (content.location) stored.location = content.location;
  if (content.sharedContact) stored.sharedContact = content.sharedContact;
  return JSON.stringify(stored);
}

export function parseContent(column: string): MessageContent {
  return column === '{}' ? NO_CONTENT : parseJsonColumn(StoredContent, column, NO_CONTENT);
}

/** The label of the reply button `reply` names, or an error that says what is wrong with it. */
export function answeredButtonLabel(answered: MessageContent | undefined, reply: ButtonReply): string {
  const button = answered?.buttons.find((b) => b.id === reply.buttonId);
  if (!answered || !button)
    throw new AppError(
      'validation_failed',
      'replyTo must name a button of a message in this conversation',
      'replyTo',
    );
  if (button.url)
    throw new AppError('validation_failed', 'A link button opens its link; it cannot be answered', 'replyTo');
  return button.label;
}

/** A short line for conversation lists when a message has no text. */
export function contentPreview(content: MessageContent): string | null {
  if (content.location) return `📍 ${content.location.name ?? content.location.address ?? ''}`.trim();
  if (content.sharedContact) return `👤 ${content.sharedContact.name}`;
  return null;
}
