// The conversations module's side of integrations and data protection: a conversation as it
// stands inside a transaction (for webhook payloads), moving a person's conversations when their
// contacts merge, their whole history for an export, and redaction for erasure and retention.
import { z } from 'zod';
import type { Conversation, Message } from '@frontline/protocol';
import { notFound } from '../../errors.js';
import { parseJsonColumn } from '../../storage/json.js';
import type { ConversationRepo, RecordObserver } from './repo.js';
import type { ConversationRecordsRepo } from './records-repo.js';
import { toConversation, type ConversationService } from './service.js';

type Db = Parameters<ConversationRepo['insertEvent']>[0];

/** Free text that people type into event data (transfer reasons, rating comments). */
const FREE_TEXT_KEYS = ['reason', 'comment'];
const AttachmentIds = z.array(z.object({ fileId: z.string() }));
const EventData = z.record(z.string(), z.unknown());

export interface ExportedConversation {
  conversation: Conversation;
  messages: Message[];
  events: {
    type: string;
    actorType: string;
    actorId: string | null;
    data: Record<string, unknown>;
    createdAt: number;
  }[];
}

export class ConversationRecords {
  constructor(
    private readonly conversations: ConversationRepo,
    private readonly repo: ConversationRecordsRepo,
    private readonly service: ConversationService,
  ) {}

  /** Observes every event and message row, whether written by the conversations service or here. */
  onRecorded(observer: RecordObserver): void {
    this.conversations.observe(observer);
    this.service.onRecorded(observer);
  }

  async snapshot(db: Db, workspaceId: string, conversationId: string): Promise<Conversation> {
    const row = await this.conversations.findById(workspaceId, conversationId, db);
    if (!row) throw notFound('Conversation');
    return toConversation(row);
  }

  toMessage: ConversationService['toMessage'] = (row) => this.service.toMessage(row);

  /** Two contacts merged: the source's conversations move to the target, inside the merge's transaction. */
  moveToContact(
    trx: Db,
    workspaceId: string,
    fromContactId: string,
    toContactId: string,
    actor: { type: string; id: string | null },
  ): Promise<string[]> {
    return this.service.moveToContact(workspaceId, fromContactId, toContactId, actor, trx);
  }

  conversationIdsOfContacts(workspaceId: string, contactIds: string[], db?: Db): Promise<string[]> {
    return this.repo.conversationIdsOfContacts(workspaceId, contactIds, db);
  }

  /** Every conversation of these contacts with all its messages (notes too) and events. */
  async exportFor(workspaceId: string, contactIds: string[]): Promise<ExportedConversation[]> {
    const ids = await this.repo.conversationIdsOfContacts(workspaceId, contactIds);
    const events = await this.repo.eventsOf(workspaceId, ids);
    const result: ExportedConversation[] = [];
    for (const id of ids) {
      const conversation = await this.snapshot(this.repo.db, workspaceId, id);
      const messages = await this.repo.messagesOf(workspaceId, id);
      result.push({
        conversation,
        messages: messages.map((m) => this.service.toMessage(m)),
        events: events
          .filter((e) => e.conversation_id === id)
          .map((e) => ({
            type: e.type,
            actorType: e.actor_type,
            actorId: e.actor_id,
            data: parseJsonColumn(EventData, e.data, {}),
            createdAt: e.created_at,
          })),
      });
    }
    return result;
  }

  /**
   * Redacts the conversations in `trx`: message texts, notes and attachments emptied, free text in
   * event data replaced, previews dropped. Events keep their type, time and actor, so analytics
   * still count them. Returns the files the messages carried, for the caller to delete.
   */
  async redact(
    trx: Db,
    workspaceId: string,
    conversationIds: string[],
    now: number,
  ): Promise<{ messages: number; fileIds: string[] }> {
    if (conversationIds.length === 0) return { messages: 0, fileIds: [] };
    const fileIds = (await this.repo.attachmentLists(trx, workspaceId, conversationIds)).flatMap((text) =>
      parseJsonColumn(AttachmentIds, text, []).map((a) => a.fileId),
    );
    const messages = await this.repo.redactMessages(trx, workspaceId, conversationIds);
    await this.repo.markRedacted(trx, workspaceId, conversationIds, now);
    for (const event of await this.repo.eventsOf(workspaceId, conversationIds, trx)) {
      const data = parseJsonColumn(EventData, event.data, {});
      const typed = FREE_TEXT_KEYS.filter((key) => typeof data[key] === 'string' && data[key] !== '');
      if (typed.length === 0) continue;
      for (const key of typed) data[key] = '[redacted]';
      await this.repo.updateEventData(trx, workspaceId, event.id, JSON.stringify(data));
    }
    return { messages, fileIds: [...new Set(fileIds)] };
  }

  resolvedBefore(workspaceId: string, cutoff: number, limit: number): Promise<string[]> {
    return this.repo.resolvedBefore(workspaceId, cutoff, limit);
  }
}
