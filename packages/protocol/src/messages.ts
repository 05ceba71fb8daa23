// Messages and their delivery: per-conversation seq, client_msg_id idempotency, paging both ways.
import { z } from 'zod';
import { Id, Timestamp } from './common.js';
import { AuthorType, MessageKind } from './enums.js';
import { LIMITS } from './limits.js';

export const Attachment = z.object({
  fileId: Id,
  name: z.string(),
  mime: z.string(),
  size: z.number().int().nonnegative(),
  /** A signed, time-limited URL to fetch the file. */
  url: z.string(),
});
export type Attachment = z.infer<typeof Attachment>;

export const MessageAuthor = z.object({
  type: AuthorType,
  id: Id.nullable(),
  name: z.string().nullable(),
});
export type MessageAuthor = z.infer<typeof MessageAuthor>;

const ButtonId = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_.:-]+$/, 'A button id may hold letters, digits and _ . : - only');

/**
 * A choice offered with a message (bot menus, quick replies). A reply button answers with a
 * message carrying `replyTo`; a link button (`url`) only opens the link. Channels render them
 * natively (keyboards, interactive lists) as far as they can.
 */
export const MessageButton = z.object({
  id: ButtonId,
  label: z
    .string()
    .trim()
    .min(1, 'A button needs a label')
    .max(LIMITS.buttonLabelMaxChars, `A button label holds at most ${LIMITS.buttonLabelMaxChars} characters`),
  url: z.url().nullable().default(null),
});
export type MessageButton = z.infer<typeof MessageButton>;

/** Which button of which message a visitor's message answers. */
export const ButtonReply = z.object({ messageId: Id, buttonId: ButtonId });
export type ButtonReply = z.infer<typeof ButtonReply>;

/** A place shared from a messenger. */
export const SharedLocation = z.object({
  latitude: z.number().min(-90).max(90),
  longitude: z.number().min(-180).max(180),
  name: z.string().max(200).nullable().default(null),
  address: z.string().max(500).nullable().default(null),
});
export type SharedLocation = z.infer<typeof SharedLocation>;

/** A contact card shared from a messenger. */
export const SharedContact = z.object({
  name: z.string().max(200),
  phone: z.string().max(50).nullable().default(null),
  email: z.string().max(200).nullable().default(null),
});
export type SharedContact = z.infer<typeof SharedContact>;

/** A system event shown in the stream ("operator joined", "conversation resolved"). */
export const SystemEvent = z.object({
  type: z.string(),
  data: z.record(z.string(), z.unknown()),
});
export type SystemEvent = z.infer<typeof SystemEvent>;

export const Message = z.object({
  id: Id,
  conversationId: Id,
  seq: z.number().int().positive(),
  clientMsgId: z.string(),
  author: MessageAuthor,
  kind: MessageKind,
  text: z.string(),
  attachments: z.array(Attachment),
  event: SystemEvent.nullable(),
  buttons: z.array(MessageButton),
  replyTo: ButtonReply.nullable(),
  location: SharedLocation.nullable(),
  sharedContact: SharedContact.nullable(),
  createdAt: Timestamp,
});
export type Message = z.infer<typeof Message>;

export const ClientMsgId = z
  .string()
  .min(1)
  .max(LIMITS.clientMsgIdMaxChars)
  .regex(/^[A-Za-z0-9_.:-]+$/, 'clientMsgId may hold letters, digits and _ . : - only');

export const SendMessageBody = z
  .object({
    clientMsgId: ClientMsgId,
    text: z
      .string()
      .max(LIMITS.messageTextMaxChars, `A message holds at most ${LIMITS.messageTextMaxChars} characters`)
      .default(''),
    /** note: internal, only operators see it. Visitors can only send text. */
    kind: z.enum(['text', 'note']).default('text'),
    fileIds: z.array(Id).max(LIMITS.attachmentsPerMessage).default([]),
    /** Operators, integrations and bots only. */
    buttons: z
      .array(MessageButton)
      .max(LIMITS.buttonsPerMessage, `A message holds at most ${LIMITS.buttonsPerMessage} buttons`)
      .default([]),
    /** Visitors only: the button this message answers; an empty text becomes the button's label. */
    replyTo: ButtonReply.optional(),
    location: SharedLocation.optional(),
    sharedContact: SharedContact.optional(),
  })
  .refine(
    (m) =>
      m.text.trim().length > 0 ||
      m.fileIds.length > 0 ||
      m.replyTo !== undefined ||
      m.location !== undefined ||
      m.sharedContact !== undefined,
    { message: 'A message needs text, a file, a button reply, a location or a contact', path: ['text'] },
  )
  .refine((m) => new Set(m.buttons.map((b) => b.id)).size === m.buttons.length, {
    message: 'Each button of a message needs its own id',
    path: ['buttons'],
  });
export type SendMessageBody = z.infer<typeof SendMessageBody>;

/** Page backwards with beforeSeq (older history) or forwards with afterSeq (catch-up); latest page without either. */
export const MessagePageQuery = z.object({
  beforeSeq: z.coerce.number().int().positive().optional(),
  afterSeq: z.coerce.number().int().nonnegative().optional(),
  limit: z.coerce.number().int().min(1).max(LIMITS.syncMaxMessagesPerConversation).default(50),
});
export type MessagePageQuery = z.infer<typeof MessagePageQuery>;

export const MessagePage = z.object({
  items: z.array(Message),
  /**
   * The conversation's newest seq when the page was read. With hasMoreAfter false the reader holds
   * everything up to it: seqs it never received (internal notes, for visitors) are not gaps.
   */
  lastSeq: z.number().int().nonnegative(),
  hasMoreBefore: z.boolean(),
  hasMoreAfter: z.boolean(),
});
export type MessagePage = z.infer<typeof MessagePage>;
