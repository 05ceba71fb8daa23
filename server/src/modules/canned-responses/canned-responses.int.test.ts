// Canned responses over real HTTP: admins keep them, operators search them, one shortcut per
// language, and nothing leaks between workspaces.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CannedResponse } from '@frontline/protocol';
import { createWorkspace, login, type StaffClient } from '../../test/factories.js';
import { startTestServer, type TestServer } from '../../test/harness.js';

let server: TestServer;
let admin: StaffClient;
let operator: StaffClient;

beforeAll(async () => {
  server = await startTestServer();
  const workspace = await createWorkspace(server);
  admin = await login(server, workspace.admin);
  operator = await login(server, workspace.operator);
});
afterAll(() => server.close());

const create = (body: Record<string, string>) =>
  admin.json<CannedResponse>('POST', '/api/canned-responses', body);

describe('canned responses', () => {
  it('are created by admins and found by operators, shortcut matches first', async () => {
    const greeting = await create({
      locale: 'ru',
      shortcut: 'Hello',
      title: 'Приветствие',
      text: 'Здравствуйте, {{contact.name|клиент}}! Меня зовут {{operator.name}}.',
    });
    expect(greeting.shortcut).toBe('hello');
    await create({ locale: 'ru', shortcut: 'bye', title: 'Прощание', text: 'Hello again, всего доброго!' });
    await create({ locale: 'en', shortcut: 'hello', title: 'Greeting', text: 'Hi {{contact.name}}!' });

    const found = await operator.json<CannedResponse[]>('GET', '/api/canned-responses?q=hello&locale=ru');
    expect(found.map((r) => r.shortcut)).toEqual(['hello', 'bye']);
    const byText = await operator.json<CannedResponse[]>(
      'GET',
      `/api/canned-responses?q=${encodeURIComponent('доброго')}`,
    );
    expect(byText.map((r) => r.title)).toEqual(['Прощание']);
  });

  it('takes % and _ in a search literally, on both databases', async () => {
    await create({ locale: 'en', shortcut: 'sale', title: 'Sale', text: 'Everything 100% off today' });
    await create({ locale: 'en', shortcut: 'big', title: 'Big order', text: 'Orders over 1000 ship free' });
    const search = (q: string) =>
      operator.json<CannedResponse[]>('GET', `/api/canned-responses?q=${encodeURIComponent(q)}&locale=en`);
    expect((await search('100%')).map((r) => r.title)).toEqual(['Sale']);
    expect((await search('1_00')).map((r) => r.title)).toEqual([]);
  });

  it('refuses a second response with the same shortcut and language, and lets admins change and delete', async () => {
    const first = await create({
      locale: 'en',
      shortcut: 'refund',
      title: 'Refund',
      text: 'We refund in 3 days.',
    });
    const taken = await admin.request('POST', '/api/canned-responses', {
      locale: 'en',
      shortcut: 'REFUND',
      title: 'Other',
      text: 'x',
    });
    expect(taken.status).toBe(409);
    expect(((await taken.json()) as { error: { field: string } }).error.field).toBe('shortcut');

    const changed = await admin.json<CannedResponse>('PATCH', `/api/canned-responses/${first.id}`, {
      text: 'We refund within 5 days.',
    });
    expect(changed.text).toBe('We refund within 5 days.');
    expect((await admin.request('DELETE', `/api/canned-responses/${first.id}`)).status).toBe(204);
    expect((await admin.request('DELETE', `/api/canned-responses/${first.id}`)).status).toBe(404);
  });

  it('are not for operators to change, and stay inside their workspace', async () => {
    const own = await create({ locale: 'ru', shortcut: 'own', title: 'Своё', text: 'Текст' });
    const refused = await operator.request('POST', '/api/canned-responses', {
      locale: 'ru',
      shortcut: 'mine',
      title: 't',
      text: 't',
    });
    expect(refused.status).toBe(403);
    expect((await operator.request('PATCH', `/api/canned-responses/${own.id}`, { text: 'x' })).status).toBe(
      403,
    );

    const other = await login(server, (await createWorkspace(server)).admin);
    expect(await other.json<CannedResponse[]>('GET', '/api/canned-responses')).toEqual([]);
    expect((await other.request('PATCH', `/api/canned-responses/${own.id}`, { text: 'x' })).status).toBe(404);
  });

  it('refuses a shortcut of more than one word', async () => {
    const response = await admin.request('POST', '/api/canned-responses', {
      locale: 'ru',
      shortcut: 'two words',
      title: 't',
      text: 't',
    });
    expect(response.status).toBe(400);
  });
});
