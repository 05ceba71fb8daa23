// The customer card as people meet it: an admin points the lookup at the company's CRM in the
// admin area, a visitor writes in the widget, the site's back end identifies them through the
// API, and the operator sees the CRM card with the active bookings beside the conversation.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CRM_API_KEY, startFakeCrm, type FakeCrm } from '../../server/src/test/fake-crm.js';
import { SCREENSHOTS_DIR, launchBrowser } from '../support/browser.js';
import { startServer, type Credentials, type RunningServer } from '../support/server.js';
import { StaffApi } from '../support/staff-api.js';
import { openConversation } from '../support/workspace.js';

let server: RunningServer;
let browser: Browser;
let crm: FakeCrm;

beforeAll(async () => {
  mkdirSync(SCREENSHOTS_DIR, { recursive: true });
  [server, browser, crm] = await Promise.all([startServer(), launchBrowser(), startFakeCrm()]);
  // No operator is online yet when the visitor writes; without the offline form they chat anyway.
  const settings = await StaffApi.logIn(browser, server.url, server.logins.admin);
  await settings.saveWidgetSettings({ offline: { enabled: false } });
  await settings.context.close();
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await crm?.close();
});

const shot = (page: Page, name: string) =>
  page.screenshot({ path: path.join(SCREENSHOTS_DIR, `${name}.png`) });

async function logIn(page: Page, credentials: Credentials): Promise<void> {
  await page.goto(`${server.url}/`);
  await page.getByLabel(/e-?mail|почта/i).fill(credentials.email);
  await page.getByLabel(/password|пароль/i).fill(credentials.password);
  await page.getByRole('button', { name: /log in|sign in|войти/i }).click();
  await page.getByTestId('composer').or(page.getByRole('list')).first().waitFor();
}

/** The site's back end: an API token of the admin, used as a CRM integration would. */
async function siteBackEnd(): Promise<(method: string, route: string, body?: unknown) => Promise<unknown>> {
  const login = await fetch(`${server.url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(server.logins.admin),
  });
  const cookie = login.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  const { csrfToken } = (await login.json()) as { csrfToken: string };
  const created = await fetch(`${server.url}/api/tokens`, {
    method: 'POST',
    headers: { cookie, 'x-csrf-token': csrfToken, 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'shop back end', scopes: ['contacts:write', 'conversations:read'] }),
  });
  const { token } = (await created.json()) as { token: string };
  return async (method, route, body) => {
    const response = await fetch(server.url + route, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`${method} ${route} -> ${response.status} ${await response.text()}`);
    return response.json();
  };
}

describe('the customer card', () => {
  it('is set up in the admin area and appears in the workspace when the visitor is identified', async () => {
    const adminContext = await browser.newContext({ locale: 'en-US' });
    const admin = await adminContext.newPage();
    await logIn(admin, server.logins.admin);
    await admin.getByRole('link', { name: /^(settings|настройки)$/i }).click();
    await admin.getByRole('link', { name: /customer card|карточка клиента/i }).click();
    await admin.getByRole('checkbox', { name: /look up|запрашивать/i }).check();
    await admin
      .getByLabel(/lookup address|адрес запроса/i)
      .fill(`${crm.url}/customers?email={{email}}&phone={{phone}}`);
    await admin.getByRole('button', { name: /add header|добавить заголовок/i }).click();
    await admin.getByLabel(/header name|название заголовка/i).fill('Authorization');
    await admin.getByLabel(/header value|значение заголовка/i).fill(`Bearer ${CRM_API_KEY}`);
    await admin.getByRole('button', { name: /^(save|сохранить)$/i }).click();
    await admin
      .getByRole('status')
      .filter({ hasText: /saved|сохранено/i })
      .waitFor();
    await shot(admin, 'admin-customer-card-settings');
    await adminContext.close();

    const visitorContext = await browser.newContext({ locale: 'ru-RU' });
    const visitor = await visitorContext.newPage();
    await visitor.goto(`${server.url}/demo`);
    await visitor.getByTestId('frontline-launcher').click();
    const frame = visitor.frameLocator('iframe[src*="/widget/frame.html"]');
    await frame.getByTestId('widget-composer').fill('Здравствуйте, хочу перенести рейс SU 1234');
    await frame.getByTestId('widget-composer').press('Enter');
    await expect
      .poll(() => frame.getByTestId('widget-message').filter({ hasText: 'SU 1234' }).count())
      .toBe(1);

    // The shop's back end knows who is logged in and says so.
    const call = await siteBackEnd();
    const open = (await call('GET', '/api/conversations?status=open')) as {
      items: { id: string; contact: { id: string } }[];
    };
    const conversation = open.items[0];
    if (!conversation) throw new Error('the visitor has no conversation');
    await call('POST', '/api/contacts/identify', {
      contactId: conversation.contact.id,
      email: 'maria.ivanova@example.ru',
      name: 'Мария Иванова',
    });

    const operatorContext = await browser.newContext({
      locale: 'en-US',
      viewport: { width: 1440, height: 900 },
    });
    const operator = await operatorContext.newPage();
    await logIn(operator, server.logins.operator);
    await openConversation(operator, 'common', 'SU 1234');
    const card = operator.getByTestId('customer-card');
    await card.getByText('Мария Иванова').waitFor({ timeout: 15_000 });
    expect(await card.getByTestId('customer-card-item').allTextContents()).toEqual(
      expect.arrayContaining([expect.stringContaining('SU 1234 Moscow → Antalya')]),
    );
    expect(await card.getByRole('link', { name: 'Open in CRM' }).getAttribute('href')).toBe(
      'https://crm.example.ru/customers/4711',
    );
    expect(crm.requests.some((r) => r.authorization === `Bearer ${CRM_API_KEY}`)).toBe(true);
    await shot(operator, 'workspace-customer-card');

    // The chat went on meanwhile: the operator answers as usual.
    await operator.getByTestId('composer').fill('Мария, сейчас посмотрю бронь B-7781');
    await operator.getByTestId('composer').press('Enter');
    await frame.getByTestId('widget-message').filter({ hasText: 'B-7781' }).waitFor({ timeout: 10_000 });

    await visitorContext.close();
    await operatorContext.close();
  });
});
