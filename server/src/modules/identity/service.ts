// One person, one contact: trusted systems identify contacts by external id, verified e-mail or
// verified phone, and contacts sharing one of them are merged into the oldest; operators merge by
// hand. A merge moves every conversation (with an event saying so) and fills what the survivor
// lacks; the merged contact stays as a pointer, so old visitor tokens find the survivor.
import type { Kysely } from 'kysely';
import type { Contact, IdentifyContactRequest, IdentifyContactResponse } from '@frontline/protocol';
import { IdentifyContactRequest as IdentifySchema } from '@frontline/protocol';
import { AppError } from '../../errors.js';
import type { Database } from '../../storage/schema.js';
import type { StaffPrincipal } from '../auth/principal.js';
import type { ContactPatch, ContactRow, Db } from '../contacts/repo.js';
import {
  attributesOf,
  metadataOf,
  normalisePhone,
  toContact,
  type ContactService,
} from '../contacts/service.js';
import type { ConversationRecords } from '../conversations/records.js';
import type { CustomerCardService } from '../customer-cards/service.js';
import type { WebhookService } from '../webhooks/service.js';

export class IdentityService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly contacts: ContactService,
    private readonly records: ConversationRecords,
    private readonly webhooks: WebhookService,
    private readonly cards: CustomerCardService,
  ) {}

  async identify(staff: StaffPrincipal, request: IdentifyContactRequest): Promise<IdentifyContactResponse> {
    const input = IdentifySchema.parse(request);
    const workspaceId = staff.workspaceId;
    const attributes = await this.contacts.checkAttributes(workspaceId, input.attributes ?? {});
    const email = input.email?.toLowerCase();
    const phone = normalisePhone(input.phone ?? null) ?? undefined;
    const result = await this.db.transaction().execute(async (trx) => {
      const target = input.contactId ? await this.liveContact(trx, workspaceId, input.contactId) : undefined;
      if (target && input.externalId && target.external_id && target.external_id !== input.externalId)
        throw new AppError(
          'conflict',
          'This contact has another external id: it is someone else in your system',
          'externalId',
        );
      const matches = await this.contacts.findByIdentifiers(trx, workspaceId, {
        externalId: input.externalId,
        verifiedEmail: email,
        verifiedPhone: phone,
      });
      // A contact whose own external id differs is another person sharing an e-mail or phone.
      const samePerson = matches.filter(
        (c) =>
          c.id !== target?.id && (!input.externalId || !c.external_id || c.external_id === input.externalId),
      );
      const people = [...(target ? [target] : []), ...samePerson].sort(
        (a, b) => a.created_at - b.created_at || a.id.localeCompare(b.id),
      );
      const [oldest, ...others] =
        people.length > 0 ? people : [await this.contacts.insert(trx, workspaceId, {})];
      if (!oldest) throw new AppError('internal', 'No contact to identify');
      for (const other of others) await this.mergeWithin(trx, workspaceId, oldest.id, other, staff);
      const current = await this.contacts.getWithin(trx, workspaceId, oldest.id);
      const identified = await this.contacts.patchWithin(trx, workspaceId, oldest.id, {
        ...(input.externalId ? { external_id: input.externalId } : {}),
        ...(email ? { email, email_verified: 1 } : {}),
        ...(input.phone ? { phone: input.phone, phone_normalized: phone ?? null, phone_verified: 1 } : {}),
        ...(input.name ? { name: input.name } : {}),
        attributes: JSON.stringify({ ...attributesOf(current), ...attributes }),
      });
      await this.webhooks.emit(trx, workspaceId, 'contact.updated', () => ({
        data: { contact: toContact(identified) },
        contactId: identified.id,
      }));
      return { contact: identified, mergedContactIds: others.map((o) => o.id) };
    });
    this.contacts.identified(workspaceId, result.contact.id);
    return { contact: toContact(result.contact), mergedContactIds: result.mergedContactIds };
  }

  /** An operator says two contacts are one person: `sourceId` goes into `targetId`. */
  async merge(staff: StaffPrincipal, targetId: string, sourceId: string): Promise<Contact> {
    if (targetId === sourceId)
      throw new AppError('validation_failed', 'A contact cannot be merged into itself', 'sourceContactId');
    const workspaceId = staff.workspaceId;
    const merged = await this.db.transaction().execute(async (trx) => {
      const target = await this.liveContact(trx, workspaceId, targetId, { followMerge: false });
      const source = await this.liveContact(trx, workspaceId, sourceId, { followMerge: false });
      if (target.external_id && source.external_id && target.external_id !== source.external_id)
        throw new AppError(
          'conflict',
          'These contacts have different external ids: your systems know them as two people',
          'sourceContactId',
        );
      return this.mergeWithin(trx, workspaceId, target.id, source, staff);
    });
    this.contacts.identified(workspaceId, merged.id);
    return toContact(merged);
  }

  private async liveContact(
    db: Db,
    workspaceId: string,
    id: string,
    options: { followMerge: boolean } = { followMerge: true },
  ): Promise<ContactRow> {
    const row = await this.contacts.getWithin(db, workspaceId, id);
    if (row.merged_into_id) {
      if (!options.followMerge)
        throw new AppError('conflict', 'This contact was already merged into another one', 'sourceContactId');
      return this.liveContact(db, workspaceId, row.merged_into_id, options);
    }
    if (row.erased_at !== null) throw new AppError('conflict', 'This contact was erased on request');
    return row;
  }

  private async mergeWithin(
    trx: Db,
    workspaceId: string,
    targetId: string,
    source: ContactRow,
    staff: StaffPrincipal,
  ): Promise<ContactRow> {
    const target = await this.contacts.getWithin(trx, workspaceId, targetId);
    const actor =
      staff.kind === 'operator' ? { type: 'operator', id: staff.userId } : { type: 'api', id: staff.tokenId };
    await this.records.moveToContact(trx, workspaceId, source.id, target.id, actor);
    await this.contacts.markMerged(trx, workspaceId, source.id, target.id);
    await this.cards.forget(trx, workspaceId, [source.id]);
    const merged = await this.contacts.patchWithin(trx, workspaceId, target.id, filledFrom(target, source));
    await this.webhooks.emit(trx, workspaceId, 'contact.merged', () => ({
      data: { contact: toContact(merged), mergedContactId: source.id },
      contactId: merged.id,
    }));
    return merged;
  }
}

/** What the survivor lacks and the merged contact knew; the survivor's own values win. */
function filledFrom(target: ContactRow, source: ContactRow): ContactPatch {
  const takeEmail = !target.email && source.email;
  const takePhone = !target.phone && source.phone;
  const targetMetadata = metadataOf(target);
  return {
    name: target.name ?? source.name,
    external_id: target.external_id ?? source.external_id,
    ...(takeEmail ? { email: source.email, email_verified: source.email_verified } : {}),
    ...(takePhone
      ? {
          phone: source.phone,
          phone_normalized: source.phone_normalized,
          phone_verified: source.phone_verified,
        }
      : {}),
    attributes: JSON.stringify({ ...attributesOf(source), ...attributesOf(target) }),
    metadata: JSON.stringify(Object.keys(targetMetadata).length > 0 ? targetMetadata : metadataOf(source)),
  };
}
