// Customer cards: when a conversation starts or a contact is identified, a durable job asks the
// admin's CRM lookup about the contact (URL template, headers with secrets, timeout) and caches
// the answer. Nothing waits for it: the chat goes on, the visitor panel asks for the card and shows
// "loading" until it is there. Design and the answer format: docs/customer-cards.md.
import { z } from 'zod';
import type {
  CardStatus,
  CustomerCard,
  CustomerCardSettings,
  CustomerCardSettingsInput,
} from '@frontline/protocol';
import { CustomerCardContent, CustomerCardSettingsInput as SettingsInputSchema } from '@frontline/protocol';
import { AppError } from '../../errors.js';
import { outboundRefusalOf, type OutboundHttp } from '../../outbound-http.js';
import { SecretUnreadableError, type SecretBox } from '../../secrets.js';
import type { JobRepo, JobRow } from '../../jobs/repo.js';
import { parseJsonColumn } from '../../storage/json.js';
import type { ContactRow } from '../contacts/repo.js';
import type { ContactService } from '../contacts/service.js';
import type { CardRow, CardSettingsRow, CustomerCardRepo, Db } from './repo.js';
import { renderLookupUrl, unknownVariables } from './template.js';

export const CARD_LOOKUP_JOB = 'customer_cards.lookup';
/** Failures are retried on the next look at the card after this, not hammered. */
const ERROR_TTL_MS = 60_000;
/** A lookup not finished this long after its timeout is taken as lost and may start again. */
const STUCK_AFTER_TIMEOUT_MS = 15_000;
const MAX_ANSWER_BYTES = 256 * 1024;
/** A secret header's value is stored sealed (SecretBox, purpose `customer-cards`); the others as typed. */
const StoredHeaders = z.array(z.object({ name: z.string(), value: z.string(), secret: z.boolean() }));
type Header = z.infer<typeof StoredHeaders>[number];
const LookupPayload = z.object({ contactId: z.string() });

export class CustomerCardService {
  constructor(
    private readonly repo: CustomerCardRepo,
    private readonly contacts: ContactService,
    private readonly jobs: JobRepo,
    private readonly outside: { secrets: SecretBox; http: OutboundHttp },
  ) {}

  // ---- settings (admins) ----

  async settings(workspaceId: string): Promise<CustomerCardSettings> {
    const row = await this.repo.settings(workspaceId);
    if (!row)
      return {
        enabled: false,
        urlTemplate: '',
        headers: [],
        timeoutMs: 3000,
        cacheTtlSeconds: 300,
        updatedAt: null,
      };
    return {
      enabled: row.enabled === 1,
      urlTemplate: row.url_template,
      headers: headersOf(row).map((h) => ({
        name: h.name,
        secret: h.secret,
        value: h.secret ? null : h.value,
      })),
      timeoutMs: row.timeout_ms,
      cacheTtlSeconds: row.cache_ttl_seconds,
      updatedAt: row.updated_at,
    };
  }

  /** Saves the lookup; a secret header sent without a value keeps the stored one. */
  async saveSettings(workspaceId: string, input: CustomerCardSettingsInput): Promise<CustomerCardSettings> {
    const parsed = SettingsInputSchema.parse(input);
    const unknown = unknownVariables(parsed.urlTemplate);
    if (unknown.length > 0)
      throw new AppError(
        'validation_failed',
        `The address uses unknown variables: ${unknown.join(', ')}; use {{email}}, {{phone}}, {{externalId}}, {{contactId}} or {{name}}`,
        'body.urlTemplate',
      );
    const stored = new Map(
      (await this.repo.settings(workspaceId).then((r) => (r ? headersOf(r) : []))).map((h) => [
        h.name.toLowerCase(),
        h,
      ]),
    );
    const headers = parsed.headers.map((header): Header => {
      if (header.value !== undefined && header.value !== null)
        return {
          name: header.name,
          value: header.secret ? this.outside.secrets.seal(header.value) : header.value,
          secret: header.secret,
        };
      // A secret kept as it is stays sealed; a header that just became secret is sealed now.
      const kept = header.secret ? stored.get(header.name.toLowerCase()) : undefined;
      if (!kept)
        throw new AppError('validation_failed', `Give a value for the header ${header.name}`, 'body.headers');
      return {
        name: header.name,
        value: kept.secret ? kept.value : this.outside.secrets.seal(kept.value),
        secret: true,
      };
    });
    await this.repo.saveSettings({
      workspace_id: workspaceId,
      enabled: parsed.enabled ? 1 : 0,
      url_template: parsed.urlTemplate,
      headers: JSON.stringify(headers),
      timeout_ms: parsed.timeoutMs,
      cache_ttl_seconds: parsed.cacheTtlSeconds,
      updated_at: Date.now(),
    });
    return this.settings(workspaceId);
  }

  // ---- the card ----

  /** The cached card; a missing or stale one is fetched in the background (status pending meanwhile). */
  async card(workspaceId: string, contactId: string): Promise<CustomerCard> {
    const contact = await this.contacts.get(workspaceId, contactId);
    const settings = await this.repo.settings(workspaceId);
    const blank = { contactId, card: null, error: null, fetchedAt: null };
    if (!settings?.enabled) return { ...blank, status: 'disabled' };
    if (!lookupUrlOf(settings, contact)) return { ...blank, status: 'not_identified' };
    const now = Date.now();
    let row = await this.repo.card(workspaceId, contactId);
    if (!row || row.expires_at <= now) {
      await this.requestLookup(workspaceId, contactId, { force: false });
      row = await this.repo.card(workspaceId, contactId);
    }
    return row ? toCard(row) : { ...blank, status: 'pending' };
  }

  /** Starts a lookup after commit (a contact was identified): the cached card may be someone else's now. */
  async refresh(workspaceId: string, contactId: string): Promise<void> {
    await this.requestLookup(workspaceId, contactId, { force: true });
  }

  /** Inside a transaction (a conversation starts): enqueues the lookup with it, if one can be made. */
  async requestWithin(db: Db, workspaceId: string, contactId: string): Promise<void> {
    const settings = await this.repo.settings(workspaceId, db);
    if (!settings?.enabled) return;
    const contact = await this.contacts.getWithin(db, workspaceId, contactId);
    if (!lookupUrlOf(settings, contact)) return;
    await this.enqueueLookup(db, settings, workspaceId, contactId, false);
  }

  private async requestLookup(workspaceId: string, contactId: string, options: { force: boolean }) {
    const settings = await this.repo.settings(workspaceId);
    if (!settings?.enabled) return;
    await this.repo.db
      .transaction()
      .execute((trx) => this.enqueueLookup(trx, settings, workspaceId, contactId, options.force));
  }

  private async enqueueLookup(
    db: Db,
    settings: CardSettingsRow,
    workspaceId: string,
    contactId: string,
    force: boolean,
  ) {
    const now = Date.now();
    const claimed = await this.repo.claimLookup(db, workspaceId, contactId, now, {
      force,
      stuckBefore: now - settings.timeout_ms - STUCK_AFTER_TIMEOUT_MS,
    });
    if (claimed)
      await this.jobs.enqueue({ workspaceId, kind: CARD_LOOKUP_JOB, payload: { contactId }, runAt: now }, db);
  }

  /** Job handler: one lookup, its outcome cached. Never throws for the CRM's failures (no retry storm). */
  async lookup(payload: Record<string, unknown>, job: JobRow): Promise<void> {
    const { contactId } = LookupPayload.parse(payload);
    const workspaceId = job.workspace_id;
    const settings = await this.repo.settings(workspaceId);
    const contact = await this.contacts.get(workspaceId, contactId).catch(() => undefined);
    const url = settings?.enabled && contact ? lookupUrlOf(settings, contact) : undefined;
    if (!settings || !url) {
      await this.repo.saveResult(workspaceId, contactId, {
        status: settings?.enabled ? 'not_identified' : 'disabled',
        error: null,
        fetched_at: null,
        expires_at: 0,
      });
      return;
    }
    const now = Date.now();
    const outcome = await this.fetchCard(url, settings);
    const ttl = settings.cache_ttl_seconds * 1000;
    await this.repo.saveResult(workspaceId, contactId, {
      status: outcome.status,
      error: outcome.error,
      fetched_at: now,
      expires_at: now + (outcome.status === 'error' ? Math.min(ttl, ERROR_TTL_MS) : ttl),
      // A failed lookup keeps the last good card on screen, marked with the error.
      ...(outcome.status === 'error' ? {} : { card: outcome.card }),
    });
  }

  /** Asks the CRM, with the secret headers opened just for the call. */
  private async fetchCard(url: string, settings: CardSettingsRow): Promise<LookupOutcome> {
    let headers: { name: string; value: string }[];
    try {
      headers = headersOf(settings).map((h) => ({
        name: h.name,
        value: h.secret ? this.outside.secrets.open(h.value) : h.value,
      }));
    } catch (error) {
      if (!(error instanceof SecretUnreadableError)) throw error;
      return { status: 'error', card: null, error: error.message };
    }
    return fetchCard(this.outside.http, url, headers, settings.timeout_ms);
  }

  /** Erasure: the cached cards go with the person. */
  forget(db: Db, workspaceId: string, contactIds: string[]): Promise<unknown> {
    return this.repo.deleteForContacts(db, workspaceId, contactIds);
  }
}

function headersOf(row: CardSettingsRow) {
  return parseJsonColumn(StoredHeaders, row.headers, []);
}

function lookupUrlOf(settings: CardSettingsRow, contact: ContactRow): string | undefined {
  if (contact.erased_at !== null) return undefined;
  return renderLookupUrl(settings.url_template, {
    email: contact.email,
    // One spelling per number (+7...), whatever way the person typed it.
    phone: contact.phone_normalized ?? contact.phone,
    externalId: contact.external_id,
    contactId: contact.id,
    name: contact.name,
  });
}

type LookupOutcome =
  | { status: 'ok'; card: string; error: null }
  | { status: 'not_found'; card: null; error: null }
  | { status: 'error'; card: null; error: string };

async function fetchCard(
  http: OutboundHttp,
  url: string,
  headers: { name: string; value: string }[],
  timeoutMs: number,
): Promise<LookupOutcome> {
  const fail = (error: string): LookupOutcome => ({ status: 'error', card: null, error });
  let response: Response;
  try {
    response = await http.fetch(url, {
      headers: { accept: 'application/json', ...Object.fromEntries(headers.map((h) => [h.name, h.value])) },
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === 'TimeoutError')
      return fail(`The CRM did not answer within ${timeoutMs} ms`);
    const refusal = outboundRefusalOf(error);
    return fail(refusal ? `The CRM lookup was not made: ${refusal.message}` : 'The CRM could not be reached');
  }
  if (response.status === 404) return { status: 'not_found', card: null, error: null };
  if (!response.ok) return fail(`The CRM answered HTTP ${response.status}`);
  const text = await response.text().catch(() => '');
  if (Buffer.byteLength(text) > MAX_ANSWER_BYTES) return fail('The CRM answer is larger than 256 KB');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return fail('The CRM answer is not JSON');
  }
  const parsed = CustomerCardContent.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return fail(
      `The CRM answer does not fit the card format: ${issue?.path.join('.') || 'answer'}: ${issue?.message}`,
    );
  }
  return { status: 'ok', card: JSON.stringify(parsed.data), error: null };
}

function toCard(row: CardRow): CustomerCard {
  return {
    contactId: row.contact_id,
    status: row.status as CardStatus,
    card:
      row.card === null
        ? null
        : parseJsonColumn(CustomerCardContent, row.card, { fields: [], links: [], lists: [] }),
    error: row.error,
    fetchedAt: row.fetched_at,
  };
}
