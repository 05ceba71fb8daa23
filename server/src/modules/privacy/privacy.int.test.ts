// Data protection: a contact's data exported whole, erased on request (texts and files gone,
// events and the anonymous contact kept for analytics), old conversations redacted by the
// retention sweep, and each admin action in the audit log with its secrets hidden.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  AuditEntry,
  Contact,
  ContactExport,
  Conversation,
  ErasureResult,
  FileInfo,
  MessagePage,
  RetentionSettings,
} from '@frontline/protocol';
import {
  clientId,
  createWorkspace,
  login,
  visitorConversation,
  type StaffClient,
  type TestWorkspace,
} from '../../test/factories.js';
import { startTestServer, type TestServer } from '../../test/harness.js';
import { waitFor } from '../../test/webhook-receiver.js';

let server: TestServer;
let workspace: TestWorkspace;
let admin: StaffClient;
let operator: StaffClient;

beforeAll(async () => {
  server = await startTestServer();
  workspace = await createWorkspace(server);
  admin = await login(server, workspace.admin);
  operator = await login(server, workspace.operator);
}, 60_000);
afterAll(() => server.close());

const upload = (name: string, text: string): Promise<FileInfo> => operator.upload(name, text, 'text/plain');

/** A visitor who wrote, an operator who answered with a file and a note; resolved if asked. */
async function story(text: string, options: { resolve?: boolean } = {}) {
  const { visitor, conversation } = await visitorConversation(server, workspace.widgetKey, text);
  const file = await upload('invoice.txt', `invoice for ${text}`);
  await operator.json('POST', `/api/conversations/${conversation.id}/messages`, {
    clientMsgId: clientId(),
    text: `Answer about ${text}`,
    fileIds: [file.id],
  });
  await operator.json('POST', `/api/conversations/${conversation.id}/messages`, {
    clientMsgId: clientId(),
    kind: 'note',
    text: `Note: ${text} is a VIP`,
  });
  if (options.resolve) await operator.json('POST', `/api/conversations/${conversation.id}/resolve`);
  await operator.json('PATCH', `/api/contacts/${visitor.session.contact.id}`, {
    name: `Person ${text}`,
    email: `${text}@mail.test`,
  });
  return { contactId: visitor.session.contact.id, conversation, file };
}

const eventCount = async (conversationId: string) =>
  (
    await server.app.storage.db
      .selectFrom('conversation_events')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('conversation_id', '=', conversationId)
      .executeTakeFirstOrThrow()
  ).n;

describe('data protection', () => {
  it('exports everything about a contact, notes included, and audits the export', async () => {
    const { contactId, conversation } = await story('anna');
    expect((await operator.request('GET', `/api/contacts/${contactId}/export`)).status).toBe(403);
    const exported = await admin.json<ContactExport>('GET', `/api/contacts/${contactId}/export`);
    expect(exported.contact).toMatchObject({ id: contactId, name: 'Person anna', email: 'anna@mail.test' });
    const [only] = exported.conversations;
    expect(only?.conversation.id).toBe(conversation.id);
    expect(only?.messages.map((m) => m.text)).toEqual(
      expect.arrayContaining(['anna', 'Answer about anna', 'Note: anna is a VIP']),
    );
    expect(only?.events.map((e) => e.type)).toEqual(expect.arrayContaining(['created', 'assigned']));
    const audit = await admin.json<{ items: AuditEntry[] }>('GET', '/api/audit-log');
    expect(audit.items[0]).toMatchObject({
      action: 'Everything stored about a contact, as JSON (subject access request)',
      targetId: contactId,
      actor: { type: 'operator', name: 'Admin' },
    });
  });

  it('erases a contact: texts, notes and files go, events and the anonymous contact stay', async () => {
    const { contactId, conversation, file } = await story('boris');
    const eventsBefore = await eventCount(conversation.id);
    expect((await operator.request('POST', `/api/contacts/${contactId}/erase`)).status).toBe(403);
    const result = await admin.json<ErasureResult>('POST', `/api/contacts/${contactId}/erase`);
    expect(result).toMatchObject({ contactId, conversations: 1, messages: 3, files: 1 });

    const contact = await operator.json<Contact>('GET', `/api/contacts/${contactId}`);
    expect(contact).toMatchObject({ name: null, email: null, phone: null, attributes: {}, metadata: {} });
    expect(contact.erasedAt).not.toBeNull();
    const page = await operator.json<MessagePage>('GET', `/api/conversations/${conversation.id}/messages`);
    const written = page.items.filter((m) => m.kind !== 'event');
    expect(written.map((m) => [m.text, m.attachments.length])).toEqual([
      ['', 0],
      ['', 0],
      ['', 0],
    ]);
    expect(page.items.some((m) => m.kind === 'event')).toBe(true);
    expect(await eventCount(conversation.id)).toBe(eventsBefore);
    expect((await fetch(server.url + file.url)).status).toBe(404);
    const found = await operator.json<{ items: Conversation[] }>('GET', '/api/conversations?q=boris');
    expect(found.items).toEqual([]);
    expect((await admin.request('POST', `/api/contacts/${contactId}/erase`)).status).toBe(409);
    expect((await operator.request('PATCH', `/api/contacts/${contactId}`, { name: 'Again' })).status).toBe(
      409,
    );
  });

  it('redacts resolved conversations older than the retention period, and only those', async () => {
    const old = await story('vera', { resolve: true });
    const recent = await story('gleb', { resolve: true });
    const open = await story('dina');
    const settings = await admin.json<RetentionSettings>('PUT', '/api/settings/retention', {
      resolvedConversationDays: 30,
    });
    expect(settings.resolvedConversationDays).toBe(30);
    // The durable sweep ran at once (nothing old enough yet) and scheduled itself for tomorrow.
    await waitFor(async () => {
      const jobs = await server.app.storage.db
        .selectFrom('jobs')
        .select('run_at')
        .where('workspace_id', '=', workspace.id)
        .where('kind', '=', 'privacy.retention_sweep')
        .execute();
      return jobs.length === 1 && (jobs[0]?.run_at ?? 0) > Date.now() + 23 * 3600_000 ? true : undefined;
    });

    // Forty days later, as the sweep sees it.
    const now = Date.now() + 40 * 86_400_000;
    await server.app.storage.db
      .updateTable('conversations')
      .set({ resolved_at: Date.now() + 40 * 86_400_000 - 5 * 86_400_000 })
      .where('id', '=', recent.conversation.id)
      .execute();
    const redacted = await server.app.integrations.privacy.sweep(workspace.id, now);
    expect(redacted).toBe(1);
    const texts = async (id: string) =>
      (await operator.json<MessagePage>('GET', `/api/conversations/${id}/messages`)).items
        .filter((m) => m.kind !== 'event')
        .map((m) => m.text);
    expect(await texts(old.conversation.id)).toEqual(['', '', '']);
    expect(await texts(recent.conversation.id)).toContain('gleb');
    expect(await texts(open.conversation.id)).toContain('dina');
    expect((await admin.json<RetentionSettings>('GET', '/api/settings/retention')).lastRunRedacted).toBe(1);
    const audit = await admin.json<{ items: AuditEntry[] }>('GET', '/api/audit-log?q=retention');
    expect(
      audit.items.some((e) => e.actor.type === 'system' && /redacted 1 conversations/.test(e.action)),
    ).toBe(true);
  });

  it('records admin actions with secrets hidden, for admins only', async () => {
    await admin.json('PUT', '/api/settings/customer-card', {
      enabled: false,
      urlTemplate: 'https://crm.test/customers?email={{email}}',
      headers: [{ name: 'X-Api-Key', value: 'super-secret-value', secret: true }],
    });
    const entries = await admin.json<{ items: AuditEntry[] }>('GET', '/api/audit-log?limit=5');
    const entry = entries.items.find((e) => e.route === '/api/settings/customer-card');
    expect(entry).toMatchObject({ method: 'PUT', actor: { name: 'Admin' }, statusCode: 200 });
    expect(JSON.stringify(entry?.data)).not.toContain('super-secret-value');
    expect(JSON.stringify(entry?.data)).toContain('X-Api-Key');
    expect((await operator.request('GET', '/api/audit-log')).status).toBe(403);
    // Operators' everyday work is not an admin action.
    expect(entries.items.some((e) => e.route === '/api/conversations/:id/messages')).toBe(false);
  });
});
