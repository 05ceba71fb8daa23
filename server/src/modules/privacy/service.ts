// Data protection: everything stored about a person as one JSON document, erasure on request
// (messages redacted, personal fields emptied; events and the anonymous contact stay so analytics
// still add up), and per-workspace retention: a durable daily job redacts resolved conversations
// older than the workspace allows. Design: docs/data-protection.md.
import type { Kysely } from 'kysely';

import type { ContactExport, ErasureResult, RetentionSettings } from '@frontline/protocol';
import { AppError } from '../../errors.js';
import type { JobRepo, JobRow } from '../../jobs/repo.js';
import type { Database } from '../../storage/schema.js';
import type { AuditService } from '../audit/service.js';
import { toContact, type ContactService } from '../contacts/service.js';
import type { ConversationRecords } from '../conversations/records.js';
import type { CustomerCardService } from '../customer-cards/service.js';
import type { FileService } from '../files/service.js';
import type { WebhookService } from '../webhooks/service.js';
import type { RetentionRepo } from './repo.js';

export const RETENTION_JOB = 'privacy.retention_sweep';
const DAY_MS = 86_400_000;
/** Conversations redacted per transaction: short transactions, and the next batch runs at once. */
const SWEEP_BATCH = 200;

export class PrivacyService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly contacts: ContactService,
    private readonly records: ConversationRecords,
    private readonly files: FileService,
    private readonly webhooks: WebhookService,
    private readonly cards: CustomerCardService,
    private readonly retention: RetentionRepo,
    private readonly jobs: JobRepo,
    private readonly audit: AuditService,
  ) {}

  async exportContact(workspaceId: string, contactId: string): Promise<ContactExport> {
    const contact = await this.contacts.get(workspaceId, contactId);
    const person = contact.merged_into_id
      ? await this.contacts.get(workspaceId, contact.merged_into_id)
      : contact;
    const aliases = await this.contacts.mergedInto(workspaceId, person.id);
    const card = await this.cards.card(workspaceId, person.id);
    return {
      exportedAt: Date.now(),
      contact: toContact(person),
      mergedContactIds: aliases,
      conversations: await this.records.exportFor(workspaceId, [person.id, ...aliases]),
      customerCard: card.status === 'disabled' || card.status === 'not_identified' ? null : card,
    };
  }

  /** Erases the person: this contact, the one it was merged into, and all merged into that. */
  async eraseContact(workspaceId: string, contactId: string): Promise<ErasureResult> {
    const contact = await this.contacts.get(workspaceId, contactId);
    const personId = contact.merged_into_id ?? contact.id;
    const now = Date.now();
    const outcome = await this.db.transaction().execute(async (trx) => {
      const person = await this.contacts.getWithin(trx, workspaceId, personId);
      if (person.erased_at !== null) throw new AppError('conflict', 'This contact was erased already');
      const contactIds = [person.id, ...(await this.contacts.mergedInto(workspaceId, person.id, trx))];
      const conversationIds = await this.records.conversationIdsOfContacts(workspaceId, contactIds, trx);
      const redacted = await this.records.redact(trx, workspaceId, conversationIds, now);
      for (const id of contactIds) await this.contacts.erase(trx, workspaceId, id, now);
      await this.webhooks.redactForContacts(trx, workspaceId, contactIds);
      await this.cards.forget(trx, workspaceId, contactIds);
      // Tells downstream systems to erase too; carries no personal data, so it is not itself redacted.
      await this.webhooks.emit(trx, workspaceId, 'contact.erased', () => ({ data: { contactIds } }));
      return { contactIds, conversations: conversationIds.length, ...redacted };
    });
    const files = await this.files.deleteFiles(workspaceId, outcome.fileIds);
    return {
      contactId: personId,
      erasedAt: now,
      contactIds: outcome.contactIds,
      conversations: outcome.conversations,
      messages: outcome.messages,
      files,
    };
  }

  // ---- retention ----

  async retentionSettings(workspaceId: string): Promise<RetentionSettings> {
    const row = await this.retention.find(workspaceId);
    return {
      resolvedConversationDays: row?.resolved_conversation_days ?? null,
      lastRunAt: row?.last_run_at ?? null,
      lastRunRedacted: row?.last_run_redacted ?? 0,
    };
  }

  /** Saving a period starts the sweep (now, then daily) unless one is already scheduled. */
  async saveRetention(workspaceId: string, days: number | null): Promise<RetentionSettings> {
    const now = Date.now();
    await this.retention.save(workspaceId, days, now);
    if (days !== null && !(await this.jobs.hasPending(workspaceId, RETENTION_JOB)))
      await this.jobs.enqueue({ workspaceId, kind: RETENTION_JOB, payload: {}, runAt: now });
    return this.retentionSettings(workspaceId);
  }

  /** Job handler: one sweep, then the next one scheduled (at once while there is more to do). */
  async runRetention(_payload: Record<string, unknown>, job: JobRow): Promise<void> {
    const now = Date.now();
    const redacted = await this.sweep(job.workspace_id, now);
    if (redacted === null) return;
    await this.jobs.enqueue({
      workspaceId: job.workspace_id,
      kind: RETENTION_JOB,
      payload: {},
      runAt: redacted === SWEEP_BATCH ? now : now + DAY_MS,
    });
  }

  /** Redacts one batch of expired conversations; null when the workspace keeps everything. */
  async sweep(workspaceId: string, now: number): Promise<number | null> {
    const settings = await this.retention.find(workspaceId);
    const days = settings?.resolved_conversation_days;
    if (days === null || days === undefined) return null;
    const ids = await this.records.resolvedBefore(workspaceId, now - days * DAY_MS, SWEEP_BATCH);
    const { fileIds } = await this.db
      .transaction()
      .execute((trx) => this.records.redact(trx, workspaceId, ids, now));
    await this.files.deleteFiles(workspaceId, fileIds);
    await this.retention.recordRun(workspaceId, now, ids.length);
    if (ids.length > 0)
      await this.audit.record({
        workspaceId,
        actor: { type: 'system', id: null, name: null },
        action: `Retention: redacted ${ids.length} conversations resolved more than ${days} days ago`,
        data: { conversationIds: ids.slice(0, 50), days },
      });
    return ids.length;
  }
}
