// What the website widget exchanges with the server before and around its socket, and the widget
// settings admins edit (appearance, pre-chat and offline forms, proactive invitations, identity
// verification). docs/widget.md describes the flows.
import { z } from 'zod';
import { Id, Locale, Timestamp } from './common.js';
import { AttributeValue, Contact, VisitorMetadata } from './contacts.js';
import { Conversation } from './conversations.js';
import { LIMITS } from './limits.js';
import { ClientMsgId, Message } from './messages.js';

/** Text an admin writes in both languages; an empty one falls back to the other. */
export const LocalisedText = (max: number) =>
  z.object({
    ru: z.string().trim().max(max, `At most ${max} characters`).default(''),
    en: z.string().trim().max(max, `At most ${max} characters`).default(''),
  });
export type LocalisedText = { ru: string; en: string };

export const HexColor = z.string().regex(/^#[0-9a-fA-F]{6}$/, 'Use a colour like #2563eb');

/** Ids admins choose for form fields and invitations: they stay stable across edits. */
const SettingKey = z
  .string()
  .regex(/^[a-z][a-z0-9_]{0,31}$/, 'Use lowercase letters, digits and _ (start with a letter, at most 32)');

/** Shown in the widget's header: the people a visitor will talk to. */
export const WidgetTeamMember = z.object({
  name: z.string().trim().min(1, 'A team member needs a name').max(60),
  /** An uploaded image (POST /api/files); the widget gets a signed link to it. */
  avatarFileId: Id.nullable().default(null),
});
export type WidgetTeamMember = z.infer<typeof WidgetTeamMember>;

export const WIDGET_LANGUAGES = ['auto', 'ru', 'en'] as const;

export const WidgetAppearance = z.object({
  color: HexColor.default('#2563eb'),
  position: z.enum(['right', 'left']).default('right'),
  /** Next to the launcher icon; empty shows the icon alone. */
  launcherText: LocalisedText(40).default({ ru: '', en: '' }),
  team: z.array(WidgetTeamMember).max(5, 'Show at most 5 team members').default([]),
  /** The auto-greeting at the top of an empty chat; it can carry the current incident. */
  greeting: LocalisedText(500).default({ ru: '', en: '' }),
  /** auto: the page's language, else the browser's, else the workspace's; ru or en: always that one. */
  language: z.enum(WIDGET_LANGUAGES).default('auto'),
});
export type WidgetAppearance = z.infer<typeof WidgetAppearance>;

/** name, email and phone fill the contact's fields; text fields land in its attributes under their id. */
export const PRE_CHAT_FIELD_KINDS = ['name', 'email', 'phone', 'text'] as const;

export const PreChatField = z.object({
  id: SettingKey,
  kind: z.enum(PRE_CHAT_FIELD_KINDS),
  label: LocalisedText(80).default({ ru: '', en: '' }),
  required: z.boolean().default(false),
});
export type PreChatField = z.infer<typeof PreChatField>;

export const PreChatForm = z
  .object({
    enabled: z.boolean().default(false),
    fields: z.array(PreChatField).max(8, 'A form holds at most 8 fields').default([]),
  })
  .refine((form) => new Set(form.fields.map((f) => f.id)).size === form.fields.length, {
    message: 'Each field of the form needs its own id',
    path: ['fields'],
  })
  .refine(
    (form) =>
      ['name', 'email', 'phone'].every((kind) => form.fields.filter((f) => f.kind === kind).length <= 1),
    { message: 'A form asks for the name, e-mail and phone at most once each', path: ['fields'] },
  );
export type PreChatForm = z.infer<typeof PreChatForm>;

export const OfflineForm = z.object({
  /** When no operator is online the widget offers a form whose request is answered later. */
  enabled: z.boolean().default(true),
  emailRequired: z.boolean().default(false),
  /** Above the form; empty shows the built-in text. */
  intro: LocalisedText(500).default({ ru: '', en: '' }),
});
export type OfflineForm = z.infer<typeof OfflineForm>;

/**
 * A proactive invitation: shown next to the launcher when every rule holds. `urlPattern` matches
 * the page address with `*` as a wildcard (`*` matches any page).
 */
export const Invitation = z
  .object({
    id: SettingKey,
    enabled: z.boolean().default(true),
    text: LocalisedText(500),
    urlPattern: z.string().trim().min(1).max(500).default('*'),
    minSecondsOnPage: z.number().int().min(0).max(3600).default(0),
    minVisits: z.number().int().min(1).max(1000).default(1),
    /** Wait until the pointer leaves the page towards the tabs or the address bar. */
    exitIntent: z.boolean().default(false),
  })
  .refine((i) => i.text.ru !== '' || i.text.en !== '', {
    message: 'An invitation needs a text in at least one language',
    path: ['text'],
  });
export type Invitation = z.infer<typeof Invitation>;

/**
 * The greeting at the top of an empty chat, on its own so that supervisors can change it (the
 * current incident) and open widgets show it at once.
 */
export const WidgetGreeting = z.object({ greeting: LocalisedText(500) });
export type WidgetGreeting = z.infer<typeof WidgetGreeting>;

export const WidgetSettings = z.object({
  appearance: WidgetAppearance.default(WidgetAppearance.parse({})),
  preChat: PreChatForm.default({ enabled: false, fields: [] }),
  offline: OfflineForm.default(OfflineForm.parse({})),
  invitations: z
    .array(Invitation)
    .max(20, 'At most 20 invitations')
    .default([])
    .refine((list) => new Set(list.map((i) => i.id)).size === list.length, {
      message: 'Each invitation needs its own id',
    }),
  identity: z
    .object({
      /** Refuse identify() calls without a valid signature or token. */
      required: z.boolean().default(false),
    })
    .default({ required: false }),
});
export type WidgetSettings = z.infer<typeof WidgetSettings>;
export type WidgetSettingsInput = z.input<typeof WidgetSettings>;

/** What admins read: the settings plus the secret their servers sign identities with. */
export const AdminWidgetSettings = WidgetSettings.extend({
  widgetKey: z.string(),
  identitySecret: z.string(),
});
export type AdminWidgetSettings = z.infer<typeof AdminWidgetSettings>;

export const WidgetConfig = z.object({
  workspaceName: z.string(),
  defaultLocale: Locale,
  appearance: WidgetAppearance.omit({ team: true }).extend({
    team: z.array(z.object({ name: z.string(), avatarUrl: z.string().nullable() })),
  }),
  preChat: PreChatForm,
  offline: OfflineForm.extend({
    /** The server can send the reply by e-mail (SMTP is set up). */
    emailReplies: z.boolean(),
  }),
  /** Enabled invitations only. */
  invitations: z.array(Invitation),
  /** Someone can answer now; when false (and the offline form is on) the widget offers the form. */
  operatorsOnline: z.boolean(),
  identityRequired: z.boolean(),
});
export type WidgetConfig = z.infer<typeof WidgetConfig>;

export const WidgetSessionRequest = z.object({
  /** The token from an earlier visit; absent or invalid makes a new visitor. */
  visitorToken: z.string().max(2000).optional(),
  metadata: VisitorMetadata.default({}),
});
export type WidgetSessionRequest = z.infer<typeof WidgetSessionRequest>;

export const WidgetSession = z.object({
  visitorToken: z.string(),
  contact: Contact,
  /**
   * The visitor's open conversation, else their latest one (resolved), so the widget shows its
   * history and asks for a rating; null for a visitor who never wrote.
   */
  conversation: Conversation.nullable(),
});
export type WidgetSession = z.infer<typeof WidgetSession>;

export const CONVERSATION_SOURCES = ['visitor', 'proactive', 'api', 'channel'] as const;
export const ConversationSource = z.enum(CONVERSATION_SOURCES);
export type ConversationSource = z.infer<typeof ConversationSource>;

/** The visitor starts a conversation (before their first message goes out). */
export const WidgetOpenRequest = z
  .object({
    source: z.enum(['visitor', 'proactive']).default('visitor'),
    /** With source proactive: the invitation the visitor answers; its text opens the conversation. */
    invitationId: SettingKey.optional(),
    lang: Locale.optional(),
  })
  .refine((r) => (r.source === 'proactive') === (r.invitationId !== undefined), {
    message: 'A proactive conversation names its invitationId, and only it does',
    path: ['invitationId'],
  });
export type WidgetOpenRequest = z.input<typeof WidgetOpenRequest>;

/** Answers of the pre-chat form, by field id. */
export const PreChatAnswers = z.object({
  values: z.record(SettingKey, z.string().trim().max(1000)).default({}),
});
export type PreChatAnswers = z.input<typeof PreChatAnswers>;

const Phone = z
  .string()
  .trim()
  .regex(/^\+?[0-9 ()-]{5,30}$/, 'A phone number has 5 to 30 digits, spaces, brackets or dashes');

/** The offline form: a request answered later, in the widget or by e-mail. */
export const OfflineRequestBody = z.object({
  clientMsgId: ClientMsgId,
  name: z.string().trim().max(200).optional(),
  email: z.email('Enter a valid e-mail address').max(254).optional(),
  phone: Phone.optional(),
  text: z
    .string()
    .trim()
    .min(1, 'Write your question')
    .max(LIMITS.messageTextMaxChars, `A message holds at most ${LIMITS.messageTextMaxChars} characters`),
  /** The widget's language: the reply e-mail is written in it. */
  lang: Locale.optional(),
});
export type OfflineRequestBody = z.infer<typeof OfflineRequestBody>;

export const OfflineRequestResult = z.object({ conversation: Conversation, message: Message });
export type OfflineRequestResult = z.infer<typeof OfflineRequestResult>;

export const RATINGS = ['good', 'bad'] as const;
export const Rating = z.enum(RATINGS);
export type Rating = z.infer<typeof Rating>;

export const RatingRequest = z.object({
  rating: Rating,
  comment: z.string().trim().max(1000, 'A comment holds at most 1000 characters').default(''),
});
export type RatingRequest = z.input<typeof RatingRequest>;

export const ConversationRating = z.object({
  rating: Rating,
  comment: z.string(),
  createdAt: Timestamp,
});
export type ConversationRating = z.infer<typeof ConversationRating>;

/** The rating of the conversation's latest resolution; null while it has none. */
export const RatingState = z.object({ rating: ConversationRating.nullable() });
export type RatingState = z.infer<typeof RatingState>;

/** A single-page site changed its address or title. */
export const PageViewRequest = z.object({
  url: z.url({ protocol: /^https?$/, error: 'Send the page address (http or https)' }).max(2000),
  title: z.string().max(500).default(''),
});
export type PageViewRequest = z.input<typeof PageViewRequest>;

/**
 * The host page tells who its logged-in user is. `signature` is the hex HMAC-SHA256 of `id` with
 * the workspace's identity secret; `token` is an HS256 JWT signed with it (claims sub, and
 * optionally email, name, phone), an alternative to the signature.
 */
export const IdentifyRequest = z
  .object({
    id: z.string().trim().min(1).max(200).optional(),
    email: z.email('Enter a valid e-mail address').max(254).optional(),
    name: z.string().trim().min(1).max(200).optional(),
    phone: Phone.optional(),
    signature: z
      .string()
      .regex(/^[0-9a-fA-F]{64}$/, 'The signature is 64 hex digits (HMAC-SHA256)')
      .optional(),
    token: z.string().min(1).max(4000).optional(),
  })
  .refine((r) => r.id !== undefined || r.token !== undefined, {
    message: 'Send the user id, or a token that names it',
    path: ['id'],
  })
  .refine((r) => r.signature === undefined || r.id !== undefined, {
    message: 'A signature signs the id: send the id too',
    path: ['id'],
  });
export type IdentifyRequest = z.input<typeof IdentifyRequest>;

export const IdentifyResult = WidgetSession.extend({
  /** The id was proven by a signature or token; unverified calls only set name, e-mail and phone. */
  verified: z.boolean(),
});
export type IdentifyResult = z.infer<typeof IdentifyResult>;

export const SetAttributesRequest = z.object({
  attributes: z
    .record(z.string().min(1).max(64), AttributeValue)
    .refine((a) => Object.keys(a).length <= 50, 'Set at most 50 attributes at once'),
});
export type SetAttributesRequest = z.infer<typeof SetAttributesRequest>;

export { VISITOR_TOKEN_HEADER } from './constants.js';

/** The system event in the stream that tells operators which page the visitor opened. */
export const PAGE_OPENED_EVENT = 'page_opened';
