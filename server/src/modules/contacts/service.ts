// Contacts: the people who write in, with what we know about them and their visit.
import { z } from 'zod';
import {
  AttributeValue,
  VisitorMetadata,
  type Contact,
  type ContactListQuery,
  type CreateContactRequest,
  type UpdateContactRequest,
} from '@frontline/protocol';
import { AppError, notFound } from '../../errors.js';
import { decodeCursor, encodeCursor } from '../../storage/cursor.js';
import { newId } from '../../storage/ids.js';
import { parseJsonColumn } from '../../storage/json.js';
import { normaliseForSearch } from '../../storage/search.js';
import type { ContactPatch, ContactRepo, ContactRow, Db, Identifiers } from './repo.js';

const Attributes = z.record(z.string(), AttributeValue);
/** Pages kept in a contact's trail: enough to see how the visitor got to their question. */
const PAGE_TRAIL_LENGTH = 20;
export type Attributes = z.infer<typeof Attributes>;

/** Checks attribute values against the admin's definitions (typed attributes); returns them cleaned. */
export type AttributeRules = (workspaceId: string, attributes: Attributes) => Promise<Attributes>;
/** Told after commit when a contact's e-mail, phone or external id changed (customer cards look up). */
export type IdentifiedListener = (workspaceId: string, contactId: string) => void;

export class ContactService {
  constructor(private readonly repo: ContactRepo) {}

  private attributeRules: AttributeRules = async (_workspaceId, attributes) => attributes;
  private readonly identifiedListeners: IdentifiedListener[] = [];

  useAttributeRules(rules: AttributeRules): void {
    this.attributeRules = rules;
  }

  onIdentified(listener: IdentifiedListener): void {
    this.identifiedListeners.push(listener);
  }

  identified(workspaceId: string, contactId: string): void {
    for (const listener of this.identifiedListeners) listener(workspaceId, contactId);
  }

  async createVisitor(workspaceId: string, metadata: VisitorMetadata): Promise<ContactRow> {
    return this.insert(this.repo.db, workspaceId, { metadata: JSON.stringify(metadata) });
  }

  /** A contact made by an operator or an integration (not verified: see identify). */
  async create(workspaceId: string, input: CreateContactRequest): Promise<ContactRow> {
    const attributes = await this.attributeRules(workspaceId, input.attributes ?? {});
    const row = await this.insert(this.repo.db, workspaceId, {
      name: input.name ?? null,
      email: input.email?.toLowerCase() ?? null,
      phone: input.phone ?? null,
      phone_normalized: normalisePhone(input.phone ?? null),
      external_id: input.externalId ?? null,
      attributes: JSON.stringify(attributes),
    });
    if (row.email || row.phone || row.external_id) this.identified(workspaceId, row.id);
    return row;
  }

  async insert(db: Db, workspaceId: string, fields: Partial<ContactPatch>): Promise<ContactRow> {
    const now = Date.now();
    const row: ContactRow = {
      id: newId(),
      workspace_id: workspaceId,
      name: null,
      email: null,
      phone: null,
      external_id: null,
      attributes: '{}',
      metadata: '{}',
      email_verified: 0,
      phone_verified: 0,
      phone_normalized: null,
      merged_into_id: null,
      erased_at: null,
      ...fields,
      search_text: '',
      created_at: now,
      updated_at: now,
    };
    row.search_text = searchTextOf(row);
    await this.repo.insert(row, db);
    return row;
  }

  async get(workspaceId: string, id: string): Promise<ContactRow> {
    const row = await this.repo.findById(workspaceId, id);
    if (!row) throw notFound('Contact');
    return row;
  }

  async findMany(workspaceId: string, ids: string[]): Promise<Map<string, ContactRow>> {
    const rows = await this.repo.findByIds(workspaceId, [...new Set(ids)]);
    return new Map(rows.map((r) => [r.id, r]));
  }

  /**
   * The visit changes (another page, another tab): keep the newest metadata, field by field. A
   * contact merged into another continues as that one (the caller issues a token for it).
   */
  async recordVisit(workspaceId: string, id: string, metadata: VisitorMetadata): Promise<ContactRow> {
    const found = await this.get(workspaceId, id);
    const row = found.merged_into_id ? await this.get(workspaceId, found.merged_into_id) : found;
    const merged = { ...metadataOf(row), ...metadata };
    await this.repo.update(workspaceId, row.id, { metadata: JSON.stringify(merged), updated_at: Date.now() });
    return { ...row, metadata: JSON.stringify(merged) };
  }

  findByExternalId(workspaceId: string, externalId: string): Promise<ContactRow | undefined> {
    return this.repo.findByExternalId(workspaceId, externalId);
  }

  /** A host site vouched for who this contact is (widget identity verification). */
  async setExternalId(workspaceId: string, id: string, externalId: string): Promise<ContactRow> {
    await this.get(workspaceId, id);
    await this.repo.update(workspaceId, id, { external_id: externalId, updated_at: Date.now() });
    return this.get(workspaceId, id);
  }

  /**
   * The visitor is on a page: it becomes the current page and joins the trail (newest last).
   * `opened` is false when it was the current page already (a reload, or only its title changed).
   */
  async recordPage(
    workspaceId: string,
    id: string,
    page: { url: string; title: string; at: number },
  ): Promise<{ contact: ContactRow; opened: boolean }> {
    const row = await this.get(workspaceId, id);
    const metadata = metadataOf(row);
    const trail = metadata.pageTrail ?? [];
    const last = trail.at(-1);
    const opened = last?.url !== page.url;
    const merged: VisitorMetadata = {
      ...metadata,
      pageUrl: page.url,
      pageTitle: page.title,
      pageTrail: opened
        ? [...trail, page].slice(-PAGE_TRAIL_LENGTH)
        : [...trail.slice(0, -1), { ...page, at: last.at }],
    };
    await this.repo.update(workspaceId, id, { metadata: JSON.stringify(merged), updated_at: Date.now() });
    return { contact: { ...row, metadata: JSON.stringify(merged) }, opened };
  }

  async update(workspaceId: string, id: string, patch: UpdateContactRequest): Promise<ContactRow> {
    const row = await this.get(workspaceId, id);
    if (row.erased_at !== null)
      throw new AppError('conflict', 'This contact was erased on request; create a new one instead');
    const attributes = await this.attributeRules(workspaceId, patch.attributes ?? {});
    const email = patch.email === undefined ? row.email : (patch.email?.toLowerCase() ?? null);
    const phone = patch.phone === undefined ? row.phone : patch.phone;
    const next = {
      name: patch.name === undefined ? row.name : patch.name,
      email,
      phone,
      phone_normalized: normalisePhone(phone),
      // A changed e-mail or phone typed by a person is no longer the verified one.
      email_verified: email === row.email ? row.email_verified : 0,
      phone_verified: phone === row.phone ? row.phone_verified : 0,
      attributes: JSON.stringify(withoutNulls({ ...attributesOf(row), ...attributes })),
    };
    await this.repo.update(workspaceId, id, {
      ...next,
      search_text: normaliseForSearch(next.name, next.email, next.phone, row.external_id),
      updated_at: Date.now(),
    });
    if ((email && email !== row.email) || (phone && phone !== row.phone)) this.identified(workspaceId, id);
    return this.get(workspaceId, id);
  }

  // ---- identity, merging and erasure (inside the caller's transaction) ----

  checkAttributes(workspaceId: string, attributes: Attributes): Promise<Attributes> {
    return this.attributeRules(workspaceId, attributes);
  }

  async getWithin(db: Db, workspaceId: string, id: string): Promise<ContactRow> {
    const row = await this.repo.findById(workspaceId, id, db);
    if (!row) throw notFound('Contact');
    return row;
  }

  findByIdentifiers(db: Db, workspaceId: string, identifiers: Identifiers): Promise<ContactRow[]> {
    return this.repo.findByIdentifiers(db, workspaceId, identifiers);
  }

  mergedInto(workspaceId: string, id: string, db?: Db): Promise<string[]> {
    return this.repo.mergedInto(workspaceId, id, db);
  }

  /** Writes `patch` (search text recomputed) and returns the row as it is now. */
  async patchWithin(db: Db, workspaceId: string, id: string, patch: ContactPatch): Promise<ContactRow> {
    const current = await this.getWithin(db, workspaceId, id);
    const next = { ...current, ...patch };
    await this.repo.update(
      workspaceId,
      id,
      { ...patch, search_text: searchTextOf(next), updated_at: Date.now() },
      db,
    );
    return this.getWithin(db, workspaceId, id);
  }

  /** `source` now points at `target`, and so do the contacts that pointed at `source`. */
  async markMerged(db: Db, workspaceId: string, sourceId: string, targetId: string): Promise<void> {
    await this.repo.repointMerged(db, workspaceId, sourceId, targetId);
    await this.repo.update(workspaceId, sourceId, { merged_into_id: targetId, updated_at: Date.now() }, db);
  }

  /** Personal data goes; the row (an anonymous id that analytics count by) stays. */
  async erase(db: Db, workspaceId: string, id: string, now: number): Promise<void> {
    await this.repo.update(
      workspaceId,
      id,
      {
        name: null,
        email: null,
        phone: null,
        phone_normalized: null,
        external_id: null,
        email_verified: 0,
        phone_verified: 0,
        attributes: '{}',
        metadata: '{}',
        search_text: '',
        erased_at: now,
        updated_at: now,
      },
      db,
    );
  }

  async list(
    workspaceId: string,
    query: ContactListQuery,
  ): Promise<{ items: Contact[]; nextCursor: string | null }> {
    const after = query.cursor ? decodeCursor(query.cursor) : undefined;
    const rows = await this.repo.list(workspaceId, {
      q: query.q,
      limit: query.limit + 1,
      ...(after ? { after: { createdAt: after.time, id: after.id } } : {}),
    });
    const page = rows.slice(0, query.limit);
    const last = page.at(-1);
    return {
      items: page.map(toContact),
      nextCursor:
        rows.length > query.limit && last ? encodeCursor({ time: last.created_at, id: last.id }) : null,
    };
  }
}

export const metadataOf = (row: ContactRow) => parseJsonColumn(VisitorMetadata, row.metadata, {});
export const attributesOf = (row: ContactRow) => parseJsonColumn(Attributes, row.attributes, {});

/** A null attribute value removes the attribute. */
function withoutNulls(attributes: Attributes): Attributes {
  return Object.fromEntries(Object.entries(attributes).filter(([, value]) => value !== null));
}

function searchTextOf(row: Pick<ContactRow, 'name' | 'email' | 'phone' | 'external_id'>): string {
  return normaliseForSearch(row.name, row.email, row.phone, row.external_id);
}

/**
 * One spelling per phone number, so "8 (912) 345-67-89" and "+7 912 345 67 89" match: digits only,
 * with a Russian trunk prefix 8 turned into +7 (the product's main market); otherwise as given.
 */
export function normalisePhone(phone: string | null): string | null {
  if (!phone) return null;
  const digits = phone.replace(/\D/g, '');
  if (digits.length === 0) return null;
  if (phone.trim().startsWith('+')) return `+${digits}`;
  if (digits.length === 11 && digits.startsWith('8')) return `+7${digits.slice(1)}`;
  return digits;
}

export function toContact(row: ContactRow): Contact {
  return {
    id: row.id,
    name: row.name,
    email: row.email,
    phone: row.phone,
    externalId: row.external_id,
    attributes: attributesOf(row),
    metadata: metadataOf(row),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    emailVerified: row.email_verified === 1,
    phoneVerified: row.phone_verified === 1,
    mergedIntoId: row.merged_into_id,
    erasedAt: row.erased_at,
  };
}
