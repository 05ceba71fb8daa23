// The vacation robot in Chromium: a local fake accounting system lists employees and issues vacation
// documents; the flow (made through the API, with the accounting key as a bot secret) shows a menu,
// offers the employees as buttons, asks for the dates (a wrong date gets the retry text), sends the
// documents into the widget chat as files and hands over to the online operator, who sees in the
// workspace what the bot collected. The builder shows the action's new fields for this flow.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BotFlow, BotFlowInput } from '@frontline/protocol';
import { openHostPage, widgetFrame } from '../support/host-page.js';
import { widgetSuite } from '../support/widget-suite.js';

const ACCOUNTING_KEY = 'acc-key-7f3e9b';
const PDF = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');

const suite = widgetSuite();
let accounting: { url: string; documentRequests: { authorization?: string; body: string }[]; server: Server };

/** The accounting system's answers; every call must carry the key the bot holds as a secret. */
async function startAccounting(): Promise<typeof accounting> {
  const documentRequests: { authorization?: string; body: string }[] = [];
  const server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const send = (status: number, type: string, content: string | Buffer) => {
        response.writeHead(status, { 'content-type': type });
        response.end(content);
      };
      if (request.url === '/files/order.pdf') return send(200, 'application/pdf', PDF);
      if (request.headers.authorization !== `Bearer ${ACCOUNTING_KEY}`)
        return send(401, 'application/json', '{}');
      if (request.url === '/employees')
        return send(
          200,
          'application/json',
          JSON.stringify({
            employees: [
              { id: 'E-17', name: 'Anna Petrova' },
              { id: 'E-42', name: 'Boris Ivanov' },
            ],
          }),
        );
      if (request.url === '/vacations') {
        documentRequests.push({ authorization: request.headers.authorization, body });
        return send(
          200,
          'application/json',
          JSON.stringify({
            number: 'VAC-2026-118',
            files: [
              { name: 'vacation-order.pdf', url: `${base}/files/order.pdf` },
              {
                name: 'vacation-memo.txt',
                mime: 'text/plain',
                content: Buffer.from('Vacation approved').toString('base64'),
              },
            ],
          }),
        );
      }
      send(404, 'application/json', '{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, documentRequests, server };
}

function vacationRobot(url: string): BotFlowInput {
  const auth = { authorization: 'Bearer {{secrets.ACCOUNTING_KEY}}' };
  const question = (id: string, text: string, variable: string, y: number) => ({
    id,
    type: 'question' as const,
    position: { x: 0, y },
    text,
    kind: 'date' as const,
    variable,
    contactField: null,
    choices: [],
    retryText: 'That is not a date. Write it as 31.12.2026.',
    maxAttempts: 3,
    timeoutMinutes: null,
  });
  return {
    name: 'Vacation robot',
    enabled: true,
    triggers: [{ kind: 'conversation_start', channels: [] }],
    graph: {
      startNodeId: 'menu',
      nodes: [
        {
          id: 'menu',
          type: 'menu',
          position: { x: 0, y: 0 },
          text: 'HR bot here. What do you need?',
          options: [
            { id: 'vacation', label: 'Vacation', tag: 'vacation', keywords: ['отпуск'], intentId: null },
          ],
          personLabel: '',
          timeoutMinutes: null,
        },
        {
          id: 'employees',
          type: 'action',
          position: { x: 0, y: 150 },
          method: 'GET',
          url: `${url}/employees`,
          headers: auth,
          body: '',
          timeoutMs: 5000,
          retries: 1,
          responseMap: [],
          replyText: 'Whose vacation is it?',
          choices: {
            listPath: 'employees',
            label: '{{item.name}}',
            valuePath: 'id',
            variable: 'employee_id',
            labelVariable: 'employee',
          },
          files: null,
        },
        question('ask_from', 'First day of the vacation?', 'from', 300),
        question('ask_to', 'Last day of the vacation?', 'to', 450),
        {
          id: 'documents',
          type: 'action',
          position: { x: 0, y: 600 },
          method: 'POST',
          url: `${url}/vacations`,
          headers: auth,
          body: '{"employee": "{{employee_id}}", "from": "{{from}}", "to": "{{to}}"}',
          timeoutMs: 5000,
          retries: 0,
          responseMap: [{ variable: 'document', path: 'number' }],
          replyText: 'Your documents for {{employee}}: {{document}}',
          choices: null,
          files: { listPath: 'files' },
        },
        {
          id: 'person',
          type: 'handoff',
          position: { x: 0, y: 750 },
          text: 'An HR manager will check the documents with you.',
          departmentId: null,
          priority: 'high',
        },
      ],
      edges: [
        { id: 'e1', source: 'menu', port: 'vacation', target: 'employees' },
        { id: 'e2', source: 'employees', port: 'next', target: 'ask_from' },
        { id: 'e3', source: 'ask_from', port: 'next', target: 'ask_to' },
        { id: 'e4', source: 'ask_to', port: 'next', target: 'documents' },
        { id: 'e5', source: 'documents', port: 'next', target: 'person' },
        { id: 'e6', source: 'employees', port: 'failed', target: 'person' },
        { id: 'e7', source: 'documents', port: 'failed', target: 'person' },
      ],
    },
  };
}

async function logIn(page: Page, credentials: { email: string; password: string }): Promise<void> {
  await page.goto(`${suite.server.url}/`);
  await page.getByLabel(/e-?mail/i).fill(credentials.email);
  await page.getByLabel(/password/i).fill(credentials.password);
  await page.getByRole('button', { name: /log in/i }).click();
}

beforeAll(async () => {
  accounting = await startAccounting();
});
afterAll(() => new Promise<void>((resolve) => accounting.server.close(() => resolve())));

describe('the vacation robot', () => {
  it('lists employees as buttons, checks the dates, sends the documents as files and hands over', async () => {
    await suite.admin.call('PUT', '/api/bot-secrets/ACCOUNTING_KEY', { value: ACCOUNTING_KEY });
    const flow = await suite.admin.call<BotFlow>('POST', '/api/bot-flows', vacationRobot(accounting.url));
    await suite.admin.call('POST', `/api/bot-flows/${flow.id}/publish`);

    // The operator works in the workspace, online, so the hand-off reaches them.
    const operator = await (
      await suite.visitorContext({ viewport: { width: 1400, height: 1000 } })
    ).newPage();
    await logIn(operator, suite.server.logins.operator);
    const online = operator.waitForResponse(
      (r) => r.url().endsWith('/api/me/presence') && r.request().method() === 'PUT',
    );
    await operator.locator('#presence').selectOption('online');
    await online;

    const visitor = await openHostPage(await suite.visitorContext(), suite.site);
    await visitor.getByTestId('frontline-launcher').click();
    const frame = widgetFrame(visitor);
    await frame.getByTestId('widget-composer').fill('Hello, I need a vacation');
    await frame.getByTestId('widget-composer').press('Enter');
    const choices = frame.getByRole('group', { name: 'Choices' });
    await choices.last().getByRole('button', { name: 'Vacation' }).click({ timeout: 15_000 });

    await frame.getByTestId('widget-message').filter({ hasText: 'Whose vacation is it?' }).waitFor();
    const employees = choices.last();
    await employees.getByRole('button', { name: 'Boris Ivanov' }).waitFor();
    expect(await employees.getByRole('button').allTextContents()).toEqual([
      'Anna Petrova',
      'Boris Ivanov',
      'Talk to a person',
    ]);
    await employees.getByRole('button', { name: 'Boris Ivanov' }).click();

    const write = async (text: string) => {
      await frame.getByTestId('widget-composer').fill(text);
      await frame.getByTestId('widget-composer').press('Enter');
    };
    await frame.getByTestId('widget-message').filter({ hasText: 'First day of the vacation?' }).waitFor();
    await write('next monday');
    await frame.getByTestId('widget-message').filter({ hasText: 'That is not a date' }).waitFor();
    await write('01.12.2026');
    await frame.getByTestId('widget-message').filter({ hasText: 'Last day of the vacation?' }).waitFor();
    await write('14.12.2026');

    const documents = frame
      .getByTestId('widget-message')
      .filter({ hasText: 'Your documents for Boris Ivanov: VAC-2026-118' });
    await documents.waitFor({ timeout: 15_000 });
    expect(await documents.locator('a.file').allTextContents()).toEqual([
      'vacation-order.pdf',
      'vacation-memo.txt',
    ]);
    const memoUrl = await documents.locator('a.file', { hasText: 'vacation-memo.txt' }).getAttribute('href');
    const memo = await fetch(new URL(memoUrl ?? '', suite.server.url));
    expect(await memo.text()).toBe('Vacation approved');
    await frame.getByTestId('widget-message').filter({ hasText: 'An HR manager will check' }).waitFor();
    await suite.shot(visitor, 'widget-bot-vacation');

    expect(accounting.documentRequests).toHaveLength(1);
    expect(JSON.parse(accounting.documentRequests[0]?.body ?? '{}')).toEqual({
      employee: 'E-42',
      from: '2026-12-01',
      to: '2026-12-14',
    });

    // The operator gets the conversation with the collected variables in the bot's note.
    const conversation = await suite.operator.waitForConversation(
      (c) => c.status === 'offered' || c.status === 'queued' || c.status === 'assigned',
      20_000,
    );
    await operator
      .locator(`[data-testid="conversation-row"][data-conversation-id="${conversation.id}"]`)
      .click();
    const note = operator.getByTestId('message').filter({ hasText: 'employee_id: E-42' });
    await note.waitFor({ timeout: 15_000 });
    const noteText = (await note.textContent()) ?? '';
    for (const line of [
      'employee: Boris Ivanov',
      'from: 2026-12-01',
      'to: 2026-12-14',
      'document: VAC-2026-118',
    ])
      expect(noteText).toContain(line);
    await operator.getByTestId('message').filter({ hasText: 'vacation-order.pdf' }).waitFor();
    const messages = await suite.operator.messages(conversation.id);
    expect(JSON.stringify(messages)).not.toContain(ACCOUNTING_KEY);

    // The builder shows the action's answer fields for this flow, and the secret by name only.
    const admin = await (await suite.visitorContext({ viewport: { width: 1400, height: 1100 } })).newPage();
    await logIn(admin, suite.server.logins.admin);
    await admin
      .getByRole('link', { name: /^(Settings|Настройки)$/ })
      .first()
      .waitFor();
    await admin.goto(`${suite.server.url}/admin/bots`);
    await admin.getByRole('button', { name: /Vacation robot/ }).click();
    await admin.getByTestId('flow-node-employees').click();
    expect(await admin.getByTestId('choices-label').inputValue()).toBe('{{item.name}}');
    expect(await admin.getByTestId('choices-list-path').inputValue()).toBe('employees');
    expect(await admin.getByTestId('choices-variable').inputValue()).toBe('employee_id');
    await admin.getByTestId('flow-node-documents').click();
    expect(await admin.getByTestId('files-list-path').inputValue()).toBe('files');
    await admin.getByTestId('files-list-path').scrollIntoViewIfNeeded();
    await suite.shot(admin, 'admin-bot-action-answer');
    await admin.goto(`${suite.server.url}/admin/bot-secrets`);
    await admin.getByTestId('bot-secrets').filter({ hasText: '{{secrets.ACCOUNTING_KEY}}' }).waitFor();
    expect(await admin.content()).not.toContain(ACCOUNTING_KEY);
  });
});
