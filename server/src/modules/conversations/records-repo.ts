// The SQL behind records.ts: moving conversations between contacts, reading a contact's whole
// history, and redacting. Every query scoped by workspace_id.
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../storage/schema.js';

type Db = Kysely<Database> | Transaction<Database>;

export class ConversationRecordsRepo {
  constructor(readonly db: Kysely<Database>) {}

  async conversationIdsOfContacts(workspaceId: string, contactIds: string[], db: Db = this.db) {
    if (contactIds.length === 0) return [];
    const rows = await db
      .selectFrom('conversations')
      .select('id')
      .where('workspace_id', '=', workspaceId)
      .where('contact_id', 'in', contactIds)
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    return rows.map((r) => r.id);
  }

  messagesOf(workspaceId: string, conversationId: string) {
    return this.db
      .selectFrom('messages')
      .selectAll()
      .where('workspace_id', '=', workspaceId)
      .where('conversation_id', '=', conversationId)
      .orderBy('seq')
      .execute();
  }

  eventsOf(workspaceId: string, conversationIds: string[], db: Db = this.db) {
    if (conversationIds.length === 0) return Promise.resolve([]);
    return db
      .selectFrom('conversation_events')
      .selectAll()
      .where('workspace_id', '=', workspaceId)
      .where('conversation_id', 'in', conversationIds)
      .orderBy('created_at')
      .orderBy('id')
      .execute();
  }

  async attachmentLists(trx: Db, workspaceId: string, conversationIds: string[]): Promise<string[]> {
    const rows = await trx
      .selectFrom('messages')
      .select('attachments')
      .where('workspace_id', '=', workspaceId)
      .where('conversation_id', 'in', conversationIds)
      .where('attachments', '!=', '[]')
      .execute();
    return rows.map((r) => r.attachments);
  }

  /** Empties what people wrote (texts, notes, attachments); system events keep their place in the stream. */
  async redactMessages(trx: Db, workspaceId: string, conversationIds: string[]): Promise<number> {
    const result = await trx
      .updateTable('messages')
      .set({ text: '', attachments: '[]', search_text: '' })
      .where('workspace_id', '=', workspaceId)
      .where('conversation_id', 'in', conversationIds)
      .where('kind', '!=', 'event')
      .executeTakeFirst();
    return Number(result.numUpdatedRows);
  }

  markRedacted(trx: Db, workspaceId: string, conversationIds: string[], now: number) {
    return trx
      .updateTable('conversations')
      .set({ last_message_preview: null, redacted_at: now })
      .where('workspace_id', '=', workspaceId)
      .where('id', 'in', conversationIds)
      .execute();
  }

  updateEventData(trx: Db, workspaceId: string, id: string, data: string) {
    return trx
      .updateTable('conversation_events')
      .set({ data })
      .where('workspace_id', '=', workspaceId)
      .where('id', '=', id)
      .execute();
  }

  /** Resolved before `cutoff` and not yet redacted: what a retention sweep has to do. */
  async resolvedBefore(workspaceId: string, cutoff: number, limit: number): Promise<string[]> {
    const rows = await this.db
      .selectFrom('conversations')
      .select('id')
      .where('workspace_id', '=', workspaceId)
      .where('status', '=', 'resolved')
      .where('resolved_at', '<', cutoff)
      .where('redacted_at', 'is', null)
      .orderBy('resolved_at')
      .limit(limit)
      .execute();
    return rows.map((r) => r.id);
  }
}
