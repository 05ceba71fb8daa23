// An e-mail channel that reads an IMAP mailbox, end to end in Chromium: the admin connects it on
// the Channels page (inbound mail "Read an IMAP mailbox", against a real Dovecot on loopback) and
// tests the connection; a customer's mail put into the mailbox reaches the operator's inbox, and
// the operator's answer goes out through the (fake) SMTP server threaded under the customer's mail.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDovecot, type Dovecot } from '../../server/src/test/dovecot.js';
import { startFakeSmtp, type FakeSmtp } from '../../server/src/test/fakes/smtp.js';
import { SCREENSHOTS_DIR, launchBrowser } from '../support/browser.js';
import { startServer, type RunningServer } from '../support/server.js';
import { openAs, openConversation } from '../support/workspace.js';

let server: RunningServer;
let browser: Browser;
let dovecot: Dovecot;
let smtp: FakeSmtp;
const POLL = { timeout: 20_000, interval: 200 };
const SUPPORT = 'help@imap-e2e.test';

beforeAll(async () => {
  mkdirSync(SCREENSHOTS_DIR, { recursive: true });
  [server, browser, dovecot, smtp] = await Promise.all([
    startServer(),
    launchBrowser(),
    startDovecot(),
    startFakeSmtp(),
  ]);
}, 90_000);
afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await dovecot?.close();
  await smtp?.close();
});

describe('an e-mail channel reading an IMAP mailbox', { timeout: 180_000 }, () => {
  it('is connected by the admin, brings a mail into the inbox, and carries the answer back', async () => {
    const admin = await openAs(browser, server, server.logins.admin);
    const page = admin.page;
    await page.goto(`${server.url}/admin/channels`);
    await page.getByTestId('channel-kind').selectOption('email');
    await page.locator('input[name="address"]').fill(SUPPORT);
    await page.locator('input[name="smtpHost"]').fill('127.0.0.1');
    await page.locator('input[name="smtpPort"]').fill(String(smtp.port));
    await expect(page.locator('input[name="imapHost"]').count()).resolves.toBe(0);
    await page.locator('select[name="inbound"]').selectOption('imap');
    await page.locator('input[name="imapHost"]').fill(dovecot.host);
    await page.locator('input[name="imapPort"]').fill(String(dovecot.port));
    await page.locator('input[name="imapUser"]').fill(dovecot.user);
    await page.locator('input[name="imapPassword"]').fill(dovecot.password);
    await page.screenshot({
      path: path.join(SCREENSHOTS_DIR, 'channels-email-imap-form.png'),
      fullPage: true,
    });
    await page.locator('form button[type="submit"]').click();
    const card = page.locator('[data-testid="channel-card"][data-kind="email"]');
    await card.waitFor();
    await card
      .first()
      .getByRole('button', { name: /проверить подключение|test connection/i })
      .click();
    await expect
      .poll(() => card.getByTestId('channel-test-result').textContent(), POLL)
      .toMatch(/IMAP mailbox "INBOX" of "support" on 127\.0\.0\.1 opens/);
    expect(await page.content()).not.toContain(dovecot.password);

    const messageId = `<e2e-${Date.now()}@example.org>`;
    await dovecot.append(
      [
        'From: Ivan Petrov <ivan@example.org>',
        `To: ${SUPPORT}`,
        'Subject: Order 5005',
        `Message-ID: ${messageId}`,
        'Content-Type: text/plain; charset=utf-8',
        '',
        'Hello, where is my order 5005?',
        '',
      ].join('\r\n'),
    );
    const operator = await openAs(browser, server, server.logins.operator);
    await expect.poll(() => operator.page.getByTestId('count-common').textContent(), POLL).not.toBe('0');
    await openConversation(operator.page, 'common', 'order 5005');
    const row = operator.page.getByTestId('conversation-row').filter({ hasText: 'order 5005' });
    await expect(row.locator('[data-channel="email"]').first().isVisible()).resolves.toBe(true);
    await operator.page.getByTestId('composer').fill('It ships tomorrow.');
    await operator.page.getByTestId('composer').press('Enter');
    await expect
      .poll(() => smtp.received.find((m) => m.text?.includes('It ships tomorrow.'))?.inReplyTo, POLL)
      .toBe(messageId);
    await operator.page.screenshot({ path: path.join(SCREENSHOTS_DIR, 'channels-email-imap-inbox.png') });
    await Promise.all([admin.context.close(), operator.context.close()]);
  });
});
