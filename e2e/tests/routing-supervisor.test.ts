// The supervisor's view in the browser: queues with their waiting counts, operators with load and
// the conversations they hold, live updates as visitors write from the demo page's widget, and
// reassigning a held conversation to a colleague (which frees a slot the waiting line then fills).
// Screenshot: docs/screenshots/routing-supervisor.png.
import { mkdirSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from '../support/browser.js';
import { startServer, type RunningServer } from '../support/server.js';
import { StaffApi } from '../support/staff-api.js';
import { DOCS_SCREENSHOTS, openAs, shot, visitorOnDemoPage } from '../support/workspace.js';

const POLL = { timeout: 15_000 };

let server: RunningServer;
let browser: Browser;

beforeAll(async () => {
  mkdirSync(DOCS_SCREENSHOTS, { recursive: true });
  [server, browser] = await Promise.all([startServer(), launchBrowser()]);
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('the supervisor view', { timeout: 180_000 }, () => {
  it('shows queues and operators live, and reassigns a held conversation', async () => {
    const operator = await StaffApi.logIn(browser, server.url, server.logins.operator);
    const adminApi = await StaffApi.logIn(browser, server.url, server.logins.admin);
    const operatorId = operator.session.user.id;
    const adminId = adminApi.session.user.id;
    await adminApi.call('PUT', `/api/users/${operatorId}/capacity`, { capacity: 1 });
    await operator.setPresence('online');

    const admin = await openAs(browser, server, server.logins.admin);
    await admin.page.getByRole('link', { name: /Наблюдение|Supervision/ }).click();
    const page = admin.page;
    await page.getByTestId('queue-load').first().waitFor();
    const generalWaiting = page.getByTestId('queue-load').first().getByTestId('queue-waiting');
    const operatorRow = page.locator(`[data-testid="operator-load"][data-operator="${operatorId}"]`);
    const adminRow = page.locator(`[data-testid="operator-load"][data-operator="${adminId}"]`);

    // The first visitor is offered to the operator (capacity 1); the next ones wait, live.
    const first = await visitorOnDemoPage(browser, server);
    await first.write('Первый вопрос про доставку');
    await expect.poll(() => operatorRow.getByTestId('operator-active').textContent(), POLL).toBe('1 / 1');
    await operatorRow.getByTestId('held-item').first().waitFor();
    const second = await visitorOnDemoPage(browser, server);
    await second.write('Второй вопрос про возврат');
    await expect.poll(() => generalWaiting.textContent(), POLL).toBe('1');
    const third = await visitorOnDemoPage(browser, server);
    await third.write('Третий вопрос про оплату');
    await expect.poll(() => generalWaiting.textContent(), POLL).toBe('2');
    await expect.poll(() => page.getByTestId('queue-item').count(), POLL).toBe(2);
    await shot(page, 'routing-supervisor');

    // Reassign the operator's conversation to the admin: the operator's slot frees, and routing
    // offers them the longest-waiting conversation.
    await operatorRow.getByTestId('held-item').first().locator('select').selectOption(adminId);
    await adminRow.getByTestId('held-item').first().waitFor(POLL);
    await expect.poll(() => generalWaiting.textContent(), POLL).toBe('1');
    await expect.poll(() => operatorRow.getByTestId('operator-active').textContent(), POLL).toBe('1 / 1');
    const held = await adminApi.call<{ held: { assigneeId: string; lastMessagePreview: string | null }[] }>(
      'GET',
      '/api/routing/overview',
    );
    expect(held.held.find((c) => c.assigneeId === adminId)?.lastMessagePreview).toContain('Первый вопрос');
    expect(held.held.find((c) => c.assigneeId === operatorId)?.lastMessagePreview).toContain('Второй вопрос');
    await Promise.all([first, second, third].map((p) => p.context.close()));

    // The workspace's routing settings page: auto-close and the reopen window.
    await page.goto(`${server.url}/admin/routing`);
    const idle = page.getByLabel(/Закрывать после молчания/);
    await idle.fill('30');
    await page.getByLabel(/Возобновлять диалог/).fill('120');
    await page.getByRole('button', { name: 'Сохранить' }).click();
    await page.locator('.saved').waitFor();
    expect(await adminApi.call('GET', '/api/routing/settings')).toEqual({
      idleCloseMinutes: 30,
      reopenWindowMinutes: 120,
    });
    await admin.context.close();
  });
});
