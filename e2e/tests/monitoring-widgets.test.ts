// Monitoring widgets in Chromium: a supervisor adds "queue length by department, alert at 1" on the
// live page, a visitor writes from the demo page, and the cell turns to the alert colour while the
// alert shows on the page; then edits and removes the widget. Screenshot: docs/screenshots/.
import { mkdirSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from '../support/browser.js';
import { startServer, type RunningServer } from '../support/server.js';
import { StaffApi } from '../support/staff-api.js';
import { DOCS_SCREENSHOTS, openAs, shot, visitorOnDemoPage, type Person } from '../support/workspace.js';

let server: RunningServer;
let browser: Browser;
let supervisor: Person;

beforeAll(async () => {
  mkdirSync(DOCS_SCREENSHOTS, { recursive: true });
  [server, browser] = await Promise.all([startServer(), launchBrowser()]);
  const admin = await StaffApi.logIn(browser, server.url, server.logins.admin);
  const email = 'supervisor.widgets@demo.local';
  const invited = await admin.call<{ password: string }>('POST', '/api/team', {
    email,
    name: 'Светлана',
    role: 'supervisor',
    capacity: 1,
    departmentIds: [],
  });
  await admin.context.close();
  supervisor = await openAs(browser, server, { email, password: invited.password });
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('monitoring widgets in the browser', { timeout: 180_000 }, () => {
  it('the supervisor adds a queue widget with an alert at 1; a visitor waits; the cell turns red and the alert shows', async () => {
    const { page } = supervisor;
    await page.goto(`${server.url}/admin/monitoring`);
    await page.getByText('Виджетов пока нет.').waitFor();
    await page.getByRole('button', { name: 'Добавить виджет' }).click();
    const form = page.getByRole('form', { name: 'Добавить виджет' });
    await form.getByLabel('Название').fill('Очереди отделов');
    await form.getByLabel('Что считаем').selectOption('queue_length');
    await form.getByLabel('В разрезе').selectOption('department');
    expect(await form.getByLabel('За время').count()).toBe(0);
    await form.getByLabel('Тревога').fill('1');
    await form.getByRole('button', { name: 'Сохранить' }).click();
    const widget = page.getByRole('article', { name: 'Очереди отделов' });
    await widget.getByText('Нет данных.').waitFor();
    await widget.getByText('В очереди по отделам, сейчас').waitFor();

    const operator = await StaffApi.logIn(browser, server.url, server.logins.operator);
    await operator.setPresence('online');
    const visitor = await visitorOnDemoPage(browser, server);
    await visitor.write('Здравствуйте, жду ответа');

    const cell = widget.locator('td[data-state]');
    await expect.poll(() => cell.first().getAttribute('data-state'), { timeout: 30_000 }).toBe('alert');
    expect(await cell.first().textContent()).toBe('1');
    const colour = await cell.first().evaluate((td) => getComputedStyle(td).backgroundColor);
    expect(colour).toBe('rgb(253, 236, 234)');
    await page
      .locator('.analytics-alert')
      .filter({ hasText: 'Очереди отделов' })
      .filter({ hasText: 'В очереди 1' })
      .waitFor({ timeout: 15_000 });
    await shot(page, 'analytics-monitoring-widgets');

    // Raising the alert value to 2 turns the cell back to normal; removing drops the widget.
    await widget.getByRole('button', { name: 'Изменить' }).click();
    const edit = page.getByRole('form', { name: 'Изменить' });
    await edit.getByLabel('Тревога').fill('2');
    await edit.getByLabel('Предупреждение').fill('1');
    await edit.getByRole('button', { name: 'Сохранить' }).click();
    await expect.poll(() => cell.first().getAttribute('data-state'), { timeout: 15_000 }).toBe('warning');
    await widget.getByRole('button', { name: 'Удалить' }).click();
    await page.getByText('Виджетов пока нет.').waitFor();

    await visitor.context.close();
    await operator.context.close();
  });
});
