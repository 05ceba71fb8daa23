// The operator workspace as its people use it, with the visitor on the other side in the demo
// page's widget (its own browser context): queues and counters, taking, replies with delivery and
// read marks, system events, notes, tags, canned responses with variables, transfer to a colleague
// with a note, presence, shortcuts, and the admin pages. Screenshots go to docs/screenshots/.
import { mkdirSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from '../support/browser.js';
import { startServer, type RunningServer } from '../support/server.js';
import { StaffApi } from '../support/staff-api.js';
import {
  DOCS_SCREENSHOTS,
  openAs,
  openConversation,
  shot,
  visitorOnDemoPage,
  type Person,
} from '../support/workspace.js';

/** The counters refresh a moment after a change; other waits are Playwright's own. */
const POLL = { timeout: 10_000 };

let server: RunningServer;
let browser: Browser;
let admin: Person;

beforeAll(async () => {
  mkdirSync(DOCS_SCREENSHOTS, { recursive: true });
  [server, browser] = await Promise.all([startServer(), launchBrowser()]);
  // These scenarios pick conversations up from the common queue, so no one is online to be
  // offered them; without the offline form the widget lets the visitor write all the same.
  const settings = await StaffApi.logIn(browser, server.url, server.logins.admin);
  await settings.saveWidgetSettings({ offline: { enabled: false } });
  await settings.context.close();
  admin = await openAs(browser, server, server.logins.admin);
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

// Several people log in per scenario (argon2 by design is slow) on a shared 2-core machine.
describe('the operator workspace', { timeout: 180_000 }, () => {
  it('shows a new conversation in the common queue, takes it, and both sides see replies, events and read marks', async () => {
    const operator = await openAs(browser, server, server.logins.operator);
    const visitor = await visitorOnDemoPage(browser, server);
    await visitor.write('Здравствуйте! Где мой заказ 2001?');

    await expect.poll(() => operator.page.getByTestId('count-common').textContent(), POLL).toBe('1');
    await openConversation(operator.page, 'common', 'заказ 2001');
    await operator.page.keyboard.press('Alt+KeyA');
    await operator.page.locator('[data-event="assigned"]').waitFor();
    await expect.poll(() => operator.page.getByTestId('count-awaiting').textContent(), POLL).toBe('1');

    await operator.page.getByTestId('composer').fill('Добрый день! Заказ 2001 уже в пути.');
    await operator.page.getByTestId('composer').press('Enter');
    await visitor.frame.getByTestId('widget-message').filter({ hasText: 'уже в пути' }).waitFor();
    // The widget is open, so the visitor reads it: the operator's message turns "read".
    const reply = operator.page.getByTestId('message').filter({ hasText: 'уже в пути' });
    await reply.locator('[data-state="read"]').waitFor({ timeout: 10_000 });
    await expect.poll(() => operator.page.getByTestId('count-awaiting').textContent(), POLL).toBe('0');

    // An internal note stays with the team.
    await operator.page.getByTestId('composer').press('Alt+KeyN');
    await operator.page.getByTestId('composer').fill('Клиент VIP, проверить доставку');
    await operator.page.getByTestId('composer').press('Enter');
    await operator.page.locator('[data-kind="note"]').filter({ hasText: 'Клиент VIP' }).waitFor();

    // A tag, through the keyboard.
    await operator.page.keyboard.press('Alt+KeyG');
    await operator.page.keyboard.type('доставка');
    await operator.page.keyboard.press('Enter');
    await operator.page.getByTestId('tag').filter({ hasText: 'доставка' }).waitFor();

    await visitor.write('Спасибо!');
    await operator.page.getByTestId('message').filter({ hasText: 'Спасибо!' }).waitFor();
    expect(await visitor.frame.getByTestId('widget-message').filter({ hasText: 'Клиент VIP' }).count()).toBe(
      0,
    );
    await shot(operator.page, 'workspace');

    const systemLines = visitor.frame.locator('[data-testid="widget-message"][data-author="system"]');
    const before = await systemLines.count();
    await operator.page.keyboard.press('Alt+KeyE');
    await operator.page.locator('[data-event="resolved"]').waitFor();
    await expect.poll(() => systemLines.count(), POLL).toBe(before + 1);
    await expect.poll(() => operator.page.getByTestId('count-recent').textContent(), POLL).toBe('1');

    await visitor.context.close();
    await operator.context.close();
  });

  it('fills a canned response’s variables with the contact’s and the operator’s names', async () => {
    await admin.page.goto(`${server.url}/admin/canned-responses`);
    await admin.page.getByTestId('add-canned').click();
    await admin.page.locator('input[name="shortcut"]').fill('hello');
    await admin.page.locator('input[name="title"]').fill('Приветствие');
    await admin.page
      .locator('textarea[name="text"]')
      .fill('Здравствуйте, {{contact.name|клиент}}! Меня зовут {{operator.name}}, чем помочь?');
    await admin.page.locator('form button[type="submit"]').click();
    await admin.page.getByTestId('canned-response').filter({ hasText: '/hello' }).waitFor();
    await shot(admin.page, 'admin-canned-responses');

    const operator = await openAs(browser, server, server.logins.operator);
    const visitor = await visitorOnDemoPage(browser, server);
    await visitor.write('Добрый вечер');
    await openConversation(operator.page, 'common', 'Добрый вечер');
    // The visitor gave their name: the operator writes it into the contact.
    await operator.page.getByTestId('edit-contact').click();
    await operator.page.locator('#visitor-panel input[name="name"]').fill('Мария');
    await operator.page.locator('#visitor-panel button[type="submit"]').click();
    await operator.page.locator('#chat-title').filter({ hasText: 'Мария' }).waitFor();

    await operator.page.getByTestId('composer').fill('/hel');
    await operator.page.getByTestId('canned-picker').getByText('/hello').waitFor();
    await operator.page.getByTestId('composer').press('Enter');
    await expect
      .poll(() => operator.page.getByTestId('composer').inputValue())
      .toBe('Здравствуйте, Мария! Меня зовут Анна, чем помочь?');
    await operator.page.getByTestId('composer').press('Enter');
    await visitor.frame
      .getByTestId('widget-message')
      .filter({ hasText: 'Здравствуйте, Мария! Меня зовут Анна' })
      .waitFor();

    await visitor.context.close();
    await operator.context.close();
  });

  it('invites a colleague and transfers a conversation to them with a note only the team sees', async () => {
    await admin.page.goto(`${server.url}/admin/team`);
    const invite = admin.page.locator('form[aria-labelledby="invite-title"]');
    await invite.locator('input').nth(0).fill('Борис');
    await invite.locator('input[type="email"]').fill('boris@demo.frontline');
    await invite.locator('button[type="submit"]').click();
    const password = (await admin.page.getByTestId('invited-password').locator('code').textContent()) ?? '';
    expect(password.length).toBeGreaterThanOrEqual(10);
    await admin.page.getByTestId('team-member').filter({ hasText: 'boris@demo.frontline' }).waitFor();
    await shot(admin.page, 'admin-team');

    const operator = await openAs(browser, server, server.logins.operator);
    const boris = await openAs(browser, server, { email: 'boris@demo.frontline', password });
    const visitor = await visitorOnDemoPage(browser, server);
    await visitor.write('Нужен возврат денег');
    await openConversation(operator.page, 'common', 'возврат денег');
    await operator.page.getByTestId('take').click();
    await operator.page.locator('[data-event="assigned"]').waitFor();

    await operator.page.keyboard.press('Alt+KeyT');
    const dialog = operator.page.getByTestId('transfer-dialog');
    await dialog.locator('select').selectOption({ label: 'Борис' });
    await dialog.locator('textarea').fill('Возврат одобрен, оформи, пожалуйста');
    await dialog.locator('button[type="submit"]').click();

    await expect.poll(() => boris.page.getByTestId('count-mine').textContent(), POLL).toBe('1');
    await openConversation(boris.page, 'mine', 'возврат денег');
    await boris.page.locator('[data-kind="note"]').filter({ hasText: 'Возврат одобрен' }).waitFor();
    await boris.page.locator('[data-event="transferred"]').waitFor();
    // The visitor's stream gets the handover as a system event (the widget words it), never the note.
    await visitor.page.waitForTimeout(500);
    expect(
      await visitor.frame.getByTestId('widget-message').filter({ hasText: 'Возврат одобрен' }).count(),
    ).toBe(0);

    await visitor.context.close();
    await boris.context.close();
    await operator.context.close();
  });

  it('keeps the operator’s status, shows the shortcuts, switches the language, and shows the admin pages', async () => {
    const operator = await openAs(browser, server, server.logins.operator);
    await operator.page.locator('#presence').selectOption('away');
    await expect.poll(() => operator.page.locator('#presence').inputValue(), POLL).toBe('away');
    await operator.page.reload();
    await operator.page.getByTestId('queue-mine').waitFor();
    await expect.poll(() => operator.page.locator('#presence').inputValue(), POLL).toBe('away');

    await operator.page.keyboard.press('Alt+Slash');
    await operator.page.getByTestId('shortcuts-help').waitFor();
    expect(await operator.page.getByTestId('shortcuts-help').textContent()).toContain('Alt+T');
    await operator.page.keyboard.press('Escape');

    await operator.page.locator('#locale').selectOption('en');
    await operator.page.getByTestId('queue-awaiting').filter({ hasText: 'Awaiting reply' }).waitFor();
    await operator.page.reload();
    await operator.page.getByTestId('queue-awaiting').filter({ hasText: 'Awaiting reply' }).waitFor();
    // An operator has no admin area.
    expect(await operator.page.locator('a[href="/admin"]').count()).toBe(0);
    await operator.context.close();

    await admin.page.goto(`${server.url}/admin/departments`);
    await admin.page.getByRole('heading', { level: 1 }).waitFor();
    await admin.page.goto(`${server.url}/admin/settings`);
    await admin.page.locator('.admin-form').waitFor();
    await shot(admin.page, 'admin-settings');
  });
});
