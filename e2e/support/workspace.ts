// Helpers of the workspace scenarios: logging in people, a visitor writing from the demo page's
// widget, and saving the screenshots the README shows.
import path from 'node:path';
import type { Browser, BrowserContext, FrameLocator, Page } from 'playwright-core';
import type { Credentials, RunningServer } from './server.js';

export const DOCS_SCREENSHOTS = path.resolve(import.meta.dirname, '../../docs/screenshots');

export interface Person {
  context: BrowserContext;
  page: Page;
}

/** A person in a browser context of their own (cookies, storage), at a laptop-size window. */
export async function openAs(browser: Browser, server: RunningServer, who: Credentials): Promise<Person> {
  const context = await browser.newContext({ locale: 'ru-RU', viewport: { width: 1440, height: 900 } });
  const page = await context.newPage();
  await page.goto(`${server.url}/`);
  await page.locator('#login-email').fill(who.email);
  await page.locator('#login-password').fill(who.password);
  await page.locator('.login-card button[type="submit"]').click();
  await page.getByTestId('queue-mine').waitFor();
  return { context, page };
}

export interface WidgetVisitor {
  context: BrowserContext;
  page: Page;
  frame: FrameLocator;
  write(text: string): Promise<void>;
}

export async function visitorOnDemoPage(browser: Browser, server: RunningServer): Promise<WidgetVisitor> {
  const context = await browser.newContext({ locale: 'ru-RU' });
  const page = await context.newPage();
  await page.goto(`${server.url}/demo`);
  await page.getByTestId('frontline-launcher').click();
  const frame = page.frameLocator('iframe[src*="/widget/frame.html"]');
  await frame.getByTestId('widget-composer').waitFor();
  return {
    context,
    page,
    frame,
    write: async (text) => {
      await frame.getByTestId('widget-composer').fill(text);
      await frame.getByTestId('widget-composer').press('Enter');
      await frame.getByTestId('widget-message').filter({ hasText: text }).waitFor();
    },
  };
}

export const shot = (page: Page, name: string) =>
  page.screenshot({ path: path.join(DOCS_SCREENSHOTS, `${name}.png`) });

/** Opens the conversation whose row shows `text`, from the given queue. */
export async function openConversation(page: Page, queue: string, text: string): Promise<void> {
  await page.getByTestId(`queue-${queue}`).click();
  const row = page.getByTestId('conversation-row').filter({ hasText: text });
  await row.waitFor({ timeout: 10_000 });
  await row.click();
  await page.getByTestId('message').filter({ hasText: text }).first().waitFor();
}
