// What every widget browser test file sets up: a server, Chromium, the operator and admin logged
// in through the API, a host site on its own origin, and visitor contexts closed after each test.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { SCREENSHOTS_DIR, launchBrowser } from './browser.js';
import { startHostSite, type HostSite } from './host-page.js';
import { startServer, type RunningServer } from './server.js';
import { StaffApi } from './staff-api.js';

export interface WidgetSuite {
  server: RunningServer;
  browser: Browser;
  operator: StaffApi;
  admin: StaffApi;
  site: HostSite;
  /** A visitor's browser (English unless told otherwise), closed after the test. */
  visitorContext(options?: Parameters<Browser['newContext']>[0]): Promise<BrowserContext>;
  shot(page: Page, name: string): Promise<Buffer>;
}

/** Registers the hooks; the fields are there from beforeAll on. */
export function widgetSuite(): WidgetSuite {
  const contexts: BrowserContext[] = [];
  const suite = {
    visitorContext: async (options: Parameters<Browser['newContext']>[0] = {}) => {
      const context = await suite.browser.newContext({ locale: 'en-US', ...options });
      contexts.push(context);
      return context;
    },
    shot: (page: Page, name: string) => page.screenshot({ path: path.join(SCREENSHOTS_DIR, `${name}.png`) }),
  } as WidgetSuite;

  beforeAll(async () => {
    mkdirSync(SCREENSHOTS_DIR, { recursive: true });
    [suite.server, suite.browser] = await Promise.all([startServer(), launchBrowser()]);
    [suite.operator, suite.admin, suite.site] = await Promise.all([
      StaffApi.logIn(suite.browser, suite.server.url, suite.server.logins.operator),
      StaffApi.logIn(suite.browser, suite.server.url, suite.server.logins.admin),
      startHostSite(suite.server.url, suite.server.logins.widgetKey),
    ]);
  });
  afterEach(async () => {
    for (const context of contexts.splice(0)) await context.close();
  });
  afterAll(async () => {
    await suite.site?.close();
    await suite.browser?.close();
    await suite.server?.stop();
  });
  return suite;
}
