// Tags on conversations: operators (and later bots) tag and untag; each change is a `tag_added` or
// `tag_removed` event of the conversation (the topics report reads those) and is announced to the
// workspace's operators. Tags are lowercased by the protocol's TagName, so one topic is one tag.
import type { ConversationTags, TagUsage } from '@frontline/protocol';
import type { StaffPrincipal } from '../auth/principal.js';
import type { ConversationService } from '../conversations/service.js';
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../storage/schema.js';
import type { TagRepo } from './repo.js';

type Db = Kysely<Database> | Transaction<Database>;

export type TagsAnnouncer = (workspaceId: string, tags: ConversationTags) => void;

/** Enough for an autocomplete and for the filter menu; the reports read the events. */
const USAGE_LIMIT = 200;

export class TagService {
  constructor(
    private readonly repo: TagRepo,
    private readonly conversations: ConversationService,
    private readonly announce: TagsAnnouncer,
  ) {}

  async list(staff: StaffPrincipal, conversationId: string): Promise<ConversationTags> {
    await this.conversations.get(staff, conversationId);
    const tags = await this.repo.tagsOf(staff.workspaceId, [conversationId]);
    return { conversationId, tags: tags.get(conversationId) ?? [] };
  }

  /** Adds the tag; tagging twice changes nothing and records nothing. */
  async add(staff: StaffPrincipal, conversationId: string, tag: string): Promise<ConversationTags> {
    await this.conversations.get(staff, conversationId);
    const added = await this.repo.db
      .transaction()
      .execute((trx) => this.addIn(trx, staff, conversationId, tag));
    return this.changed(staff, conversationId, added);
  }

  /**
   * Adds the tag in the caller's transaction (a bot step's); true when it is new, and then the
   * caller announces the conversation's tags after the commit (announceTags).
   */
  async addIn(trx: Db, staff: StaffPrincipal, conversationId: string, tag: string): Promise<boolean> {
    const now = Date.now();
    const inserted = await this.repo.insert(trx, {
      workspace_id: staff.workspaceId,
      conversation_id: conversationId,
      tag,
      created_by: staff.kind === 'operator' ? staff.userId : null,
      created_at: now,
    });
    if (inserted)
      await this.conversations.recordEventIn(trx, staff, conversationId, 'tag_added', { tag }, now);
    return inserted;
  }

  /** Tells the workspace's operators the conversation's current tags. */
  async announceTags(staff: StaffPrincipal, conversationId: string): Promise<void> {
    await this.changed(staff, conversationId, true);
  }

  async remove(staff: StaffPrincipal, conversationId: string, tag: string): Promise<ConversationTags> {
    await this.conversations.get(staff, conversationId);
    const removed = await this.repo.db.transaction().execute(async (trx) => {
      const deleted = await this.repo.delete(trx, staff.workspaceId, conversationId, tag);
      if (deleted)
        await this.conversations.recordEventIn(
          trx,
          staff,
          conversationId,
          'tag_removed',
          { tag },
          Date.now(),
        );
      return deleted;
    });
    return this.changed(staff, conversationId, removed);
  }

  async usage(workspaceId: string, prefix?: string): Promise<TagUsage[]> {
    const rows = await this.repo.usage(workspaceId, prefix?.trim().toLowerCase() || undefined, USAGE_LIMIT);
    return rows.map((r) => ({ tag: r.tag, count: Number(r.count) }));
  }

  private async changed(
    staff: StaffPrincipal,
    conversationId: string,
    changed: boolean,
  ): Promise<ConversationTags> {
    const current = await this.list(staff, conversationId);
    if (changed) this.announce(staff.workspaceId, current);
    return current;
  }
}
