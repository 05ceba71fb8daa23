// Live monitoring in Chromium: the admin sets a queue threshold on the report settings page, a
// visitor writes from the demo page so the queue passes it, and the alert shows in the inbox the
// admin has open, then on the monitoring page; the conversation then appears in the reports. Screenshots go to docs/screenshots/.
import { mkdirSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from '../support/browser.js';
import { startServer, type RunningServer } from '../support/server.js';
import { StaffApi } from '../support/staff-api.js';
import { DOCS_SCREENSHOTS, openAs, shot, visitorOnDemoPage, type Person } from '../support/workspace.js';

let server: RunningServer;
let browser: Browser;
let admin: Person;

beforeAll(async () => {
  mkdirSync(DOCS_SCREENSHOTS, { recursive: true });
  [server, browser] = await Promise.all([startServer(), launchBrowser()]);
  admin = await openAs(browser, server, server.logins.admin);
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('analytics in the browser', { timeout: 180_000 }, () => {
  it('the supervisor sets a threshold, a queue passes it, the alert shows; the report counts the request', async () => {
    const { page } = admin;
    await page.goto(`${server.url}/admin/report-settings`);
    await page.getByRole('button', { name: 'Добавить порог' }).click();
    const rule = page.locator('.analytics-rule').first();
    await rule.getByLabel('Показатель').selectOption('queue_length');
    await rule.getByLabel('Порог').fill('0');
    await page.getByRole('button', { name: 'Сохранить' }).click();
    await page.getByRole('status').filter({ hasText: 'Сохранено' }).waitFor();

    await page.goto(`${server.url}/admin/monitoring`);
    await page.getByText('Пороги не превышены.').waitFor();

    // The supervisor is back in the inbox when the queue passes the threshold.
    await page.goto(`${server.url}/`);
    // An operator online takes offers, so the visitor's conversation waits as an offer in the queue.
    const operator = await StaffApi.logIn(browser, server.url, server.logins.operator);
    await operator.setPresence('online');
    const visitor = await visitorOnDemoPage(browser, server);
    await visitor.write('Здравствуйте, нужна помощь с оплатой');

    // The monitor checks every 5 s; the socket brings the alert to whatever page is open.
    const banner = page.getByTestId('live-alert');
    await banner.filter({ hasText: 'Длина очереди: 1' }).waitFor({ timeout: 30_000 });
    await shot(page, 'analytics-alert-banner');
    await banner.getByRole('link', { name: 'Открыть мониторинг' }).click();
    await page.getByRole('heading', { name: 'Мониторинг' }).waitFor();
    expect(await banner.count()).toBe(0);
    const alert = page.locator('.analytics-alert').filter({ hasText: 'Длина очереди: 1' });
    await alert.waitFor({ timeout: 15_000 });
    await expect.poll(() => page.locator('td.analytics-hot').count(), { timeout: 15_000 }).toBeGreaterThan(0);
    await shot(page, 'analytics-monitoring');

    await page.goto(`${server.url}/admin/reports`);
    const requests = page
      .locator('.analytics-card')
      .filter({ hasText: 'Обращения' })
      .locator('.analytics-value');
    await expect.poll(() => requests.textContent(), { timeout: 15_000 }).toBe('1');
    await page.locator('.analytics-table tfoot').waitFor();
    await shot(page, 'analytics-reports');

    // The filters are in the address: the same link opens the same view.
    await page.getByRole('button', { name: 'Час × день недели' }).click();
    await page.locator('.analytics-heat').waitFor();
    expect(new URL(page.url()).searchParams.get('view')).toBe('weekday_hour');

    await visitor.context.close();
    await operator.context.close();
  });
});
