// What integrations do with each conversation event and message, inside the transaction that
// wrote it: emit the matching webhook (conversation.<type>, message.created), and when a
// conversation starts, enqueue the customer-card lookup of its contact.
import { WebhookEventType, type Message } from '@frontline/protocol';
import { z } from 'zod';
import { parseJsonColumn } from '../../storage/json.js';
import type { ConversationRecords } from '../conversations/records.js';
import type { RecordObserver } from '../conversations/repo.js';
import type { CustomerCardService } from '../customer-cards/service.js';
import type { WebhookService } from '../webhooks/service.js';

const EventData = z.record(z.string(), z.unknown());

export function integrationObserver(deps: {
  records: ConversationRecords;
  webhooks: WebhookService;
  cards: CustomerCardService;
  publicUrl: string;
}): RecordObserver {
  const { records, webhooks, cards, publicUrl } = deps;
  // Webhook receivers live elsewhere: file links must be absolute.
  const absolute = (message: Message): Message => ({
    ...message,
    attachments: message.attachments.map((a) => ({ ...a, url: publicUrl + a.url })),
  });

  return async (db, recorded) => {
    if (recorded.kind === 'message') {
      const row = recorded.row;
      // System events in the stream are announced as conversation.* events instead.
      if (row.kind === 'event') return;
      await webhooks.emit(db, row.workspace_id, 'message.created', async () => {
        const conversation = await records.snapshot(db, row.workspace_id, row.conversation_id);
        return {
          data: { message: absolute(records.toMessage(row)), conversation },
          contactId: conversation.contact.id,
        };
      });
      return;
    }
    const row = recorded.row;
    if (row.type === 'created') {
      const conversation = await records.snapshot(db, row.workspace_id, row.conversation_id);
      await cards.requestWithin(db, row.workspace_id, conversation.contact.id);
    }
    const type = WebhookEventType.safeParse(`conversation.${row.type}`);
    if (!type.success) return;
    await webhooks.emit(db, row.workspace_id, type.data, async () => {
      const conversation = await records.snapshot(db, row.workspace_id, row.conversation_id);
      return {
        data: {
          conversation,
          event: {
            id: row.id,
            type: row.type,
            actor: { type: row.actor_type, id: row.actor_id },
            data: parseJsonColumn(EventData, row.data, {}),
            createdAt: row.created_at,
          },
        },
        contactId: conversation.contact.id,
      };
    });
  };
}
