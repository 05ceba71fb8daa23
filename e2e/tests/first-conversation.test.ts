// The first end-to-end chat, as people do it: a visitor writes in the widget on the demo site, the
// operator sees it live in the workspace and replies, the visitor sees the reply live, and both
// pages keep the whole history after a reload.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, FrameLocator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCREENSHOTS_DIR, launchBrowser } from '../support/browser.js';
import { startServer, type RunningServer } from '../support/server.js';

let server: RunningServer;
let browser: Browser;

beforeAll(async () => {
  mkdirSync(SCREENSHOTS_DIR, { recursive: true });
  [server, browser] = await Promise.all([startServer(), launchBrowser()]);
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

const widgetFrame = (page: Page): FrameLocator => page.frameLocator('iframe[src*="/widget/frame.html"]');
const shot = (page: Page, name: string) =>
  page.screenshot({ path: path.join(SCREENSHOTS_DIR, `${name}.png`) });

async function openWidget(page: Page): Promise<FrameLocator> {
  await page.goto(`${server.url}/demo`);
  await page.getByTestId('frontline-launcher').click();
  const frame = widgetFrame(page);
  await frame.getByTestId('widget-composer').waitFor();
  return frame;
}

async function logInAsOperator(page: Page): Promise<void> {
  await page.goto(`${server.url}/`);
  await page.getByLabel(/e-?mail|почта/i).fill(server.logins.operator.email);
  await page.getByLabel(/password|пароль/i).fill(server.logins.operator.password);
  await page.getByRole('button', { name: /log in|sign in|войти/i }).click();
  await page.getByTestId('composer').or(page.getByRole('list')).first().waitFor();
  // Online, so the widget offers the chat rather than its offline form.
  const saved = page.waitForResponse(
    (r) => r.url().endsWith('/api/me/presence') && r.request().method() === 'PUT',
  );
  await page.locator('#presence').selectOption('online');
  await saved;
}

describe('the first conversation', () => {
  it('goes from the widget to the operator and back, live, and survives reloads on both sides', async () => {
    const visitorContext = await browser.newContext({ locale: 'ru-RU' });
    const operatorContext = await browser.newContext({ locale: 'en-US' });
    const visitor = await visitorContext.newPage();
    const operator = await operatorContext.newPage();

    await logInAsOperator(operator);
    const frame = await openWidget(visitor);
    await frame.getByTestId('widget-composer').fill('Здравствуйте! Где мой заказ 1042?');
    await frame.getByTestId('widget-composer').press('Enter');
    await expect
      .poll(() => frame.getByTestId('widget-message').filter({ hasText: 'Где мой заказ 1042?' }).count())
      .toBe(1);

    const row = operator.getByTestId('conversation-row').filter({ hasText: 'Где мой заказ 1042?' });
    await row.waitFor({ timeout: 10_000 });
    await row.click();
    await operator.getByTestId('message').filter({ hasText: 'Где мой заказ 1042?' }).waitFor();
    await operator.getByTestId('composer').fill('Добрый день! Заказ 1042 передан в доставку.');
    await operator.getByTestId('composer').press('Enter');
    await operator.getByTestId('message').filter({ hasText: 'передан в доставку' }).waitFor();

    await frame
      .getByTestId('widget-message')
      .filter({ hasText: 'передан в доставку' })
      .waitFor({ timeout: 10_000 });
    await shot(visitor, 'widget-after-reply');
    await shot(operator, 'workspace-after-reply');

    await visitor.reload();
    await visitor.getByTestId('frontline-launcher').click();
    const reloaded = widgetFrame(visitor);
    await reloaded
      .getByTestId('widget-message')
      .filter({ hasText: 'передан в доставку' })
      .waitFor({ timeout: 10_000 });
    expect(
      await reloaded.getByTestId('widget-message').filter({ hasText: 'Где мой заказ 1042?' }).count(),
    ).toBe(1);

    await operator.reload();
    await operator.getByTestId('conversation-row').filter({ hasText: 'передан в доставку' }).click();
    await operator.getByTestId('message').filter({ hasText: 'Где мой заказ 1042?' }).waitFor();
    expect(await operator.getByTestId('message').filter({ hasText: 'передан в доставку' }).count()).toBe(1);
    await shot(operator, 'workspace-after-reload');

    await visitorContext.close();
    await operatorContext.close();
  });
});
