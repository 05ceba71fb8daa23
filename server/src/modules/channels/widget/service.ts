// The website widget's rules: its settings, how a visitor's conversation starts (from the chat, a
// proactive invitation or the offline form), the pre-chat form, ratings, the page trail, identity
// verification and attributes, and the e-mailed replies to offline requests. Conversations,
// contacts and files are changed only through their services.
import { randomBytes } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import {
  PAGE_OPENED_EVENT,
  type AdminWidgetSettings,
  type Contact,
  type Conversation,
  type ConversationRating,
  IdentifyRequest,
  type IdentifyResult,
  type Locale,
  type LocalisedText,
  OfflineRequestBody,
  type OfflineRequestResult,
  PreChatAnswers,
  RatingRequest,
  type SetAttributesRequest,
  type VisitorMetadata,
  type WidgetConfig,
  type WidgetGreeting,
  WidgetOpenRequest,
  type WidgetSession,
  type WidgetSettings,
} from '@frontline/protocol';
import { z } from 'zod';
import { AppError } from '../../../errors.js';
import type { JobRepo } from '../../../jobs/repo.js';
import { isUniqueViolation } from '../../../storage/errors.js';
import { newId } from '../../../storage/ids.js';
import type { Database } from '../../../storage/schema.js';
import type { StaffPrincipal, VisitorPrincipal } from '../../auth/principal.js';
import type { AuthService } from '../../auth/service.js';
import type { ContactRow } from '../../contacts/repo.js';
import { toContact, type ContactService } from '../../contacts/service.js';
import type { MessageRow } from '../../conversations/repo.js';
import { toConversation, type ConversationService } from '../../conversations/service.js';
import type { FileService } from '../../files/service.js';
import type { OperatorService } from '../../operators/service.js';
import type { RealtimeHub } from '../../../realtime/hub.js';
import type { WorkspaceService } from '../../workspaces/service.js';
import type { WorkspaceRow } from '../../workspaces/repo.js';
import { SecretUnreadableError, type SecretBox } from '../../../secrets.js';
import { verifyIdentity, type Identity } from './identity.js';
import { readPreChat } from './prechat.js';
import { replyLetter, type MailSender } from './reply-mail.js';
import type { WidgetRepo } from './repo.js';
import { DEFAULT_SETTINGS, localised, parseSettings, publicConfig } from './settings.js';

export const OFFLINE_REPLY_MAIL_JOB = 'widget.offline_reply_mail';
/** Shown to admins in place of a secret sealed with another SECRET_KEY. */
const UNREADABLE_SECRET_HINT = 'unreadable with this SECRET_KEY; rotate the secret';
const ReplyMailPayload = z.object({ conversationId: z.string() });
/** Request bodies as the routes' schemas parsed them (defaults filled in). */
type Parsed<T extends z.ZodType> = z.output<T>;
/** One letter carries at most this many replies; later ones go in the next. */
const REPLIES_PER_LETTER = 50;

export interface WidgetServiceDeps {
  repo: WidgetRepo;
  workspaces: WorkspaceService;
  contacts: ContactService;
  conversations: ConversationService;
  operators: OperatorService;
  files: FileService;
  auth: AuthService;
  jobs: JobRepo;
  /** null: SMTP is not set up, so replies are only read in the widget. */
  mail: MailSender | null;
  /** Replies are mailed after this pause, so a visitor still reading in the widget gets no letter. */
  replyMailDelayMs: number;
  /** The identity secret is stored sealed (purpose `widget-identity`). */
  secrets: SecretBox;
  hub: Pick<RealtimeHub, 'greetingChanged'>;
}

export class WidgetService {
  constructor(private readonly deps: WidgetServiceDeps) {
    deps.conversations.onRecorded(async (db, recorded) => {
      if (recorded.kind === 'message') await this.scheduleReplyMail(db, recorded.row);
    });
  }

  // ---- settings ----

  private async settingsRow(workspaceId: string) {
    const row = await this.deps.repo.findSettings(workspaceId);
    if (row) return row;
    await this.deps.repo.ensureSettings(
      workspaceId,
      JSON.stringify(DEFAULT_SETTINGS),
      this.deps.secrets.seal(newSecret()),
    );
    const created = await this.deps.repo.findSettings(workspaceId);
    if (!created) throw new AppError('internal', 'The widget settings could not be created; try again');
    return created;
  }

  async settings(workspaceId: string): Promise<WidgetSettings> {
    return parseSettings((await this.deps.repo.findSettings(workspaceId))?.settings);
  }

  async adminSettings(workspaceId: string): Promise<AdminWidgetSettings> {
    const [row, workspace] = await Promise.all([
      this.settingsRow(workspaceId),
      this.deps.workspaces.get(workspaceId),
    ]);
    return {
      ...parseSettings(row.settings),
      widgetKey: workspace.widget_key,
      identitySecret: this.identitySecret(row.identity_secret) ?? UNREADABLE_SECRET_HINT,
    };
  }

  async saveSettings(admin: StaffPrincipal, settings: WidgetSettings): Promise<AdminWidgetSettings> {
    const avatarIds = settings.appearance.team.flatMap((m) => (m.avatarFileId ? [m.avatarFileId] : []));
    const avatars = await this.deps.files.attachmentsFor(admin, avatarIds);
    const notImage = avatars.find((a) => !a.mime.startsWith('image/'));
    if (notImage)
      throw new AppError(
        'validation_failed',
        `"${notImage.name}" is not an image; upload a PNG, JPEG or WebP avatar`,
        'appearance.team',
      );
    await this.settingsRow(admin.workspaceId);
    await this.deps.repo.updateSettings(admin.workspaceId, { settings: JSON.stringify(settings) });
    return this.adminSettings(admin.workspaceId);
  }

  /**
   * The greeting alone, which supervisors may change (the current incident): stored in the
   * settings, and shown at once by every open widget of the workspace.
   */
  async saveGreeting(workspaceId: string, greeting: LocalisedText): Promise<WidgetGreeting> {
    const row = await this.settingsRow(workspaceId);
    const settings = parseSettings(row.settings);
    const saved = { ...settings, appearance: { ...settings.appearance, greeting } };
    await this.deps.repo.updateSettings(workspaceId, { settings: JSON.stringify(saved) });
    this.deps.hub.greetingChanged(workspaceId, greeting);
    return { greeting };
  }

  /** A new secret: identities signed with the old one stop being accepted at once. */
  async rotateIdentitySecret(workspaceId: string): Promise<AdminWidgetSettings> {
    await this.settingsRow(workspaceId);
    await this.deps.repo.updateSettings(workspaceId, {
      identity_secret: this.deps.secrets.seal(newSecret()),
    });
    return this.adminSettings(workspaceId);
  }

  /** Undefined when this SECRET_KEY cannot open it: rotating makes a readable one. */
  private identitySecret(sealed: string): string | undefined {
    try {
      return this.deps.secrets.open(sealed);
    } catch (error) {
      if (error instanceof SecretUnreadableError) return undefined;
      throw error;
    }
  }

  async config(widgetKey: string): Promise<WidgetConfig> {
    const workspace = await this.deps.workspaces.findByWidgetKey(widgetKey);
    const [settings, online] = await Promise.all([
      this.settings(workspace.id),
      this.deps.operators.routingCandidates(workspace.id, null),
    ]);
    return publicConfig({
      workspaceName: workspace.name,
      defaultLocale: localeOf(workspace),
      settings,
      operatorsOnline: online.length > 0,
      emailReplies: this.deps.mail !== null,
      // The route looks files up by id; the name in the link is only for people.
      fileUrl: (fileId) => this.deps.files.signedUrl(fileId, 'avatar'),
    });
  }

  // ---- the visitor's session ----

  /** Resumes the stored visitor (and their conversation), or makes a new one; records the page. */
  async startSession(
    widgetKey: string,
    visitorToken: string | undefined,
    metadata: VisitorMetadata,
  ): Promise<WidgetSession> {
    const workspace = await this.deps.workspaces.findByWidgetKey(widgetKey);
    const reported = withoutTrail(metadata);
    const resumed = visitorToken
      ? await this.deps.auth.visitorFromToken(visitorToken).catch(() => undefined)
      : undefined;
    let contact =
      visitorToken && resumed?.workspaceId === workspace.id
        ? await this.deps.contacts
            .recordVisit(workspace.id, resumed.contactId, reported)
            .catch(() => undefined)
        : undefined;
    let token = visitorToken;
    if (!contact || !token) {
      contact = await this.deps.contacts.createVisitor(workspace.id, reported);
      token = await this.deps.auth.issueVisitorToken(workspace.id, contact.id);
    } else if (contact.id !== resumed?.contactId) {
      // The visitor's contact was merged into another (the same person, identified): continue as that one.
      token = await this.deps.auth.issueVisitorToken(workspace.id, contact.id);
    }
    const visitor: VisitorPrincipal = { kind: 'visitor', workspaceId: workspace.id, contactId: contact.id };
    if (reported.pageUrl && /^https?:\/\//i.test(reported.pageUrl))
      contact = await this.recordPage(visitor, reported.pageUrl, reported.pageTitle ?? '');
    return {
      visitorToken: token,
      contact: toContact(contact),
      conversation: await this.latestConversation(visitor),
    };
  }

  /** The open conversation, else the latest resolved one (its history and rating), else none. */
  private async latestConversation(visitor: VisitorPrincipal): Promise<Conversation | null> {
    const open = await this.deps.conversations.findOpenForVisitor(visitor);
    if (open) return open;
    const [latest] = await this.deps.conversations.recentConversationIds(visitor, 1);
    return latest ? toConversation(await this.deps.conversations.get(visitor, latest)) : null;
  }

  /**
   * The visitor is on a page: it joins their trail and, when it is a page they just opened and a
   * conversation is going on, operators see "opened page X" in the conversation.
   */
  async recordPage(visitor: VisitorPrincipal, url: string, title: string): Promise<ContactRow> {
    const { contact, opened } = await this.deps.contacts.recordPage(visitor.workspaceId, visitor.contactId, {
      url,
      title,
      at: Date.now(),
    });
    if (!opened) return contact;
    const conversation = await this.deps.conversations.findOpenForVisitor(visitor);
    if (conversation)
      await this.deps.conversations.recordEvent(visitor, conversation.id, {
        stream: { type: PAGE_OPENED_EVENT, data: { url, title } },
      });
    return contact;
  }

  // ---- starting a conversation ----

  async open(
    visitor: VisitorPrincipal,
    clientIp: string,
    { source, invitationId, lang }: Parsed<typeof WidgetOpenRequest>,
  ): Promise<Conversation> {
    if (source === 'visitor')
      return this.deps.conversations.openForVisitor(visitor, clientIp, {
        source,
        ...(lang ? { language: lang } : {}),
      });
    const [settings, workspace] = await Promise.all([
      this.settings(visitor.workspaceId),
      this.deps.workspaces.get(visitor.workspaceId),
    ]);
    const invitation = settings.invitations.find((i) => i.id === invitationId && i.enabled);
    if (!invitation)
      throw new AppError(
        'validation_failed',
        'No enabled invitation has this id; reload the page',
        'invitationId',
      );
    return this.deps.conversations.openForVisitor(visitor, clientIp, {
      source,
      invitationId: invitation.id,
      language: lang ?? localeOf(workspace),
      intro: {
        authorName: settings.appearance.team[0]?.name ?? null,
        text: localised(invitation.text, lang ?? localeOf(workspace)),
      },
    });
  }

  async submitPreChat(
    visitor: VisitorPrincipal,
    { values }: Parsed<typeof PreChatAnswers>,
  ): Promise<Contact> {
    const settings = await this.settings(visitor.workspaceId);
    if (!settings.preChat.enabled)
      throw new AppError('forbidden', 'The pre-chat form is turned off; write in the chat instead');
    const filled = readPreChat(settings.preChat, values);
    const contact = await this.deps.contacts.update(visitor.workspaceId, visitor.contactId, filled);
    return toContact(contact);
  }

  /**
   * The offline form: the request becomes an offline conversation (status offline, event
   * went_offline) when nobody is online, or an ordinary queued one when someone came online
   * meanwhile. Retried with the same clientMsgId it is stored once.
   */
  async submitOfflineRequest(
    visitor: VisitorPrincipal,
    clientIp: string,
    body: Parsed<typeof OfflineRequestBody>,
  ): Promise<OfflineRequestResult> {
    const [settings, workspace, online, contactRow] = await Promise.all([
      this.settings(visitor.workspaceId),
      this.deps.workspaces.get(visitor.workspaceId),
      this.deps.operators.routingCandidates(visitor.workspaceId, null),
      this.deps.contacts.get(visitor.workspaceId, visitor.contactId),
    ]);
    if (!settings.offline.enabled)
      throw new AppError('forbidden', 'The offline form is turned off; write in the chat instead');
    if (settings.offline.emailRequired && !body.email)
      throw new AppError('validation_failed', 'Enter your e-mail so that we can reply', 'email');
    await this.deps.contacts.update(visitor.workspaceId, visitor.contactId, {
      ...(body.name ? { name: body.name } : {}),
      ...(body.email ? { email: body.email } : {}),
      ...(body.phone ? { phone: body.phone } : {}),
    });
    const request = {
      workspace_id: visitor.workspaceId,
      contact_id: visitor.contactId,
      email: body.email?.toLowerCase() ?? null,
      lang: body.lang ?? localeOf(workspace),
      page_url: toContact(contactRow).metadata.pageUrl ?? null,
      emailed_through_seq: 0,
      created_at: Date.now(),
    };
    let recorded = false;
    const conversation = await this.deps.conversations.openForVisitor(visitor, clientIp, {
      source: 'visitor',
      ...(online.length === 0 ? { offlineReason: 'no_operators' as const } : {}),
      alongside: async (trx, conversationId) => {
        await this.deps.repo.insertOfflineRequest(trx, { ...request, conversation_id: conversationId });
        recorded = true;
      },
    });
    // The visitor already had an open conversation: the form's e-mail applies to it from now on.
    if (!recorded) await this.deps.repo.saveOfflineRequest({ ...request, conversation_id: conversation.id });
    const { message } = await this.deps.conversations.sendMessage(visitor, conversation.id, {
      clientMsgId: body.clientMsgId,
      text: body.text,
      kind: 'text',
      fileIds: [],
      buttons: [],
    });
    return {
      conversation: toConversation(await this.deps.conversations.get(visitor, conversation.id)),
      message,
    };
  }

  // ---- rating ----

  async rating(visitor: VisitorPrincipal, conversationId: string): Promise<ConversationRating | null> {
    const conversation = await this.deps.conversations.get(visitor, conversationId);
    if (conversation.resolved_at === null || conversation.status !== 'resolved') return null;
    const row = await this.deps.repo.findRating(
      visitor.workspaceId,
      conversationId,
      conversation.resolved_at,
    );
    return row
      ? { rating: row.rating === 'bad' ? 'bad' : 'good', comment: row.comment, createdAt: row.created_at }
      : null;
  }

  /** One rating per resolution: stored with its `rated` event and shown to operators in the stream. */
  async rate(
    visitor: VisitorPrincipal,
    conversationId: string,
    { rating, comment }: Parsed<typeof RatingRequest>,
  ): Promise<ConversationRating> {
    const conversation = await this.deps.conversations.get(visitor, conversationId);
    const resolvedAt = conversation.resolved_at;
    if (conversation.status !== 'resolved' || resolvedAt === null)
      throw new AppError('conflict', 'A conversation can be rated once it is resolved');
    if (await this.deps.repo.findRating(visitor.workspaceId, conversationId, resolvedAt))
      throw new AppError('conflict', 'This conversation is already rated; thank you');
    const now = Date.now();
    try {
      await this.deps.conversations.recordEvent(visitor, conversationId, {
        event: { type: 'rated', data: { rating, comment } },
        stream: { type: 'rated', data: { rating, comment } },
        alongside: (trx) =>
          this.deps.repo.insertRating(trx, {
            id: newId(),
            workspace_id: visitor.workspaceId,
            conversation_id: conversationId,
            resolved_at: resolvedAt,
            rating,
            comment,
            created_at: now,
          }),
      });
    } catch (error) {
      if (isUniqueViolation(error))
        throw new AppError('conflict', 'This conversation is already rated; thank you');
      throw error;
    }
    return { rating, comment, createdAt: now };
  }

  // ---- identity and attributes ----

  /**
   * The host page names its logged-in user. A proven id makes the visitor that user's contact:
   * the same person on another device, or after clearing storage, continues their conversations.
   * The visitor token changes when the contact does; the widget reconnects with the new one.
   */
  async identify(
    visitor: VisitorPrincipal,
    visitorToken: string,
    parsed: Parsed<typeof IdentifyRequest>,
  ): Promise<IdentifyResult> {
    const row = await this.settingsRow(visitor.workspaceId);
    const settings = parseSettings(row.settings);
    const secret = this.identitySecret(row.identity_secret);
    if (secret === undefined)
      throw new AppError(
        'unavailable',
        "The site's identity secret cannot be read with this server's SECRET_KEY; an admin must rotate it in the widget settings",
      );
    const identity = await verifyIdentity(secret, parsed, settings.identity.required);
    const current = await this.deps.contacts.get(visitor.workspaceId, visitor.contactId);
    const target =
      identity.externalId === null ? current : await this.contactFor(current, identity.externalId);
    await this.deps.contacts.update(visitor.workspaceId, target.id, profileOf(identity));
    const contactChanged = target.id !== current.id;
    const next: VisitorPrincipal = { ...visitor, contactId: target.id };
    return {
      visitorToken: contactChanged
        ? await this.deps.auth.issueVisitorToken(visitor.workspaceId, target.id)
        : visitorToken,
      contact: toContact(await this.deps.contacts.get(visitor.workspaceId, target.id)),
      conversation: await this.latestConversation(next),
      verified: identity.verified,
    };
  }

  /** The contact that stands for this external id, taking over an anonymous visitor's conversations. */
  private async contactFor(current: ContactRow, externalId: string): Promise<ContactRow> {
    const { workspace_id: workspaceId } = current;
    if (current.external_id === externalId) return current;
    const known = await this.deps.contacts.findByExternalId(workspaceId, externalId);
    if (!known) {
      if (current.external_id === null)
        return this.deps.contacts.setExternalId(workspaceId, current.id, externalId);
      // Another user logs in on a browser that was someone else's: a contact of their own.
      const fresh = await this.deps.contacts.createVisitor(workspaceId, {});
      return this.deps.contacts.setExternalId(workspaceId, fresh.id, externalId);
    }
    // What an anonymous visitor wrote before logging in belongs to the user, unless the user has
    // a conversation going already (one open conversation per contact).
    if (current.external_id === null) {
      const knownVisitor: VisitorPrincipal = { kind: 'visitor', workspaceId, contactId: known.id };
      if (!(await this.deps.conversations.findOpenForVisitor(knownVisitor)))
        await this.deps.conversations.moveToContact(workspaceId, current.id, known.id, {
          type: 'visitor',
          id: known.id,
        });
    }
    return known;
  }

  async setAttributes(visitor: VisitorPrincipal, request: SetAttributesRequest): Promise<Contact> {
    const contact = await this.deps.contacts.update(visitor.workspaceId, visitor.contactId, {
      attributes: request.attributes,
    });
    return toContact(contact);
  }

  // ---- e-mailed replies to offline requests ----

  /** In the reply's transaction: a reply by a person or bot to an offline request with an e-mail. */
  private async scheduleReplyMail(db: Kysely<Database> | Transaction<Database>, message: MessageRow) {
    const workspaceId = message.workspace_id;
    if (!this.deps.mail || message.kind !== 'text' || !['operator', 'bot'].includes(message.author_type))
      return;
    const request = await this.deps.repo.findOfflineRequest(workspaceId, message.conversation_id, db);
    if (!request?.email) return;
    await this.deps.jobs.enqueue(
      {
        workspaceId,
        kind: OFFLINE_REPLY_MAIL_JOB,
        payload: { conversationId: message.conversation_id },
        runAt: Date.now() + this.deps.replyMailDelayMs,
      },
      db,
    );
  }

  /**
   * Job: mails the replies the visitor has neither read in the widget nor been mailed yet. Several
   * replies in a row make one letter (their jobs find nothing left to send).
   */
  async sendReplyMail(workspaceId: string, rawPayload: Record<string, unknown>): Promise<void> {
    const { conversationId } = ReplyMailPayload.parse(rawPayload);
    const request = await this.deps.repo.findOfflineRequest(workspaceId, conversationId);
    if (!request?.email || !this.deps.mail) return;
    const visitor: VisitorPrincipal = { kind: 'visitor', workspaceId, contactId: request.contact_id };
    const conversation = await this.deps.conversations.get(visitor, conversationId).catch(() => undefined);
    if (!conversation) return;
    const from = request.emailed_through_seq;
    const page = await this.deps.conversations.messages(visitor, conversationId, {
      afterSeq: Math.max(from, conversation.visitor_last_read_seq),
      limit: REPLIES_PER_LETTER,
    });
    const replies = page.items.filter(
      (m) => m.kind === 'text' && (m.author.type === 'operator' || m.author.type === 'bot') && m.text.trim(),
    );
    const through = replies.at(-1)?.seq;
    if (through === undefined) return;
    if (!(await this.deps.repo.moveEmailedMark(workspaceId, conversationId, from, through))) return;
    const workspace = await this.deps.workspaces.get(workspaceId);
    try {
      await this.deps.mail.send(
        replyLetter({
          to: request.email,
          lang: request.lang === 'en' ? 'en' : 'ru',
          workspaceName: workspace.name,
          pageUrl: request.page_url,
          replies: replies.map((m) => ({ author: m.author.name, text: m.text })),
        }),
      );
    } catch (error) {
      // Give the mark back so the job's retry sends these replies again.
      await this.deps.repo.moveEmailedMark(workspaceId, conversationId, through, from);
      throw error;
    }
  }
}

function newSecret(): string {
  return randomBytes(32).toString('hex');
}

function localeOf(workspace: WorkspaceRow): Locale {
  return workspace.default_locale === 'en' ? 'en' : 'ru';
}

/** The trail is the server's to keep; a client cannot write it. */
function withoutTrail(metadata: VisitorMetadata): VisitorMetadata {
  const reported = { ...metadata };
  delete reported.pageTrail;
  return reported;
}

function profileOf(identity: Identity) {
  return {
    ...(identity.name ? { name: identity.name } : {}),
    ...(identity.email ? { email: identity.email } : {}),
    ...(identity.phone ? { phone: identity.phone } : {}),
  };
}
