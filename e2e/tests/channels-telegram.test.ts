// A Telegram channel end to end in Chromium: the admin connects a bot on the Channels page
// (against a local fake Bot API) and tests the connection, which registers the webhook; a
// customer writes from "Telegram" (the fake posts the update to the webhook URL the page shows);
// the operator sees it in the inbox with the Telegram mark, answers in the workspace, and the fake
// Bot API receives the answer as a sendMessage to the customer's chat. A second bot connected with
// long polling shows no webhook URL, says how its messages arrive, and its customer's message comes
// in by getUpdates.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  TELEGRAM_TOKEN,
  startFakeTelegram,
  telegramUpdates,
  type FakeTelegram,
} from '../../server/src/test/fakes/telegram.js';
import { SCREENSHOTS_DIR, launchBrowser } from '../support/browser.js';
import { startServer, type RunningServer } from '../support/server.js';
import { openAs, openConversation } from '../support/workspace.js';

let server: RunningServer;
let browser: Browser;
let telegram: FakeTelegram;
const POLL = { timeout: 20_000, interval: 200 };

beforeAll(async () => {
  mkdirSync(SCREENSHOTS_DIR, { recursive: true });
  [server, browser, telegram] = await Promise.all([startServer(), launchBrowser(), startFakeTelegram()]);
}, 90_000);
afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await telegram?.close();
});

describe('a Telegram channel', { timeout: 180_000 }, () => {
  it('is connected by the admin, brings a customer into the inbox, and carries the answer back', async () => {
    const admin = await openAs(browser, server, server.logins.admin);
    await admin.page.goto(`${server.url}/admin/channels`);
    await admin.page.getByTestId('channel-kind').selectOption('telegram');
    await admin.page.locator('input[name="botToken"]').fill(TELEGRAM_TOKEN);
    await admin.page.locator('input[name="apiBase"]').fill(telegram.url);
    const secret = await admin.page.locator('input[name="webhookSecret"]').inputValue();
    expect(secret).toMatch(/^[0-9a-f]{48}$/);
    await admin.page.locator('form button[type="submit"]').click();
    const card = admin.page.locator('[data-testid="channel-card"][data-kind="telegram"]');
    await card.waitFor();
    await card
      .first()
      .getByRole('button', { name: /проверить подключение|test connection/i })
      .click();
    await expect
      .poll(() => card.getByTestId('channel-test-result').textContent(), POLL)
      .toContain('@shop_bot');
    const webhookUrl = (await card.getByTestId('webhook-url').textContent()) ?? '';
    expect(telegram.calls('/setWebhook').at(-1)?.body).toMatchObject({
      url: webhookUrl,
      secret_token: secret,
    });
    expect(await admin.page.content()).not.toContain(TELEGRAM_TOKEN);
    await admin.page.screenshot({ path: path.join(SCREENSHOTS_DIR, 'channels-admin.png'), fullPage: true });

    // The customer writes to the bot: Telegram posts the update to the webhook with the secret.
    const delivered = await fetch(webhookUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': secret },
      body: JSON.stringify(telegramUpdates.text(7001, 'Здравствуйте, заказ 3003 ещё в пути?')),
    });
    expect(delivered.status).toBe(200);

    const operator = await openAs(browser, server, server.logins.operator);
    await expect.poll(() => operator.page.getByTestId('count-common').textContent(), POLL).not.toBe('0');
    const row = operator.page.getByTestId('conversation-row').filter({ hasText: 'заказ 3003' });
    await openConversation(operator.page, 'common', 'заказ 3003');
    await expect(row.locator('[data-channel="telegram"]').first().isVisible()).resolves.toBe(true);
    await operator.page.getByTestId('composer').fill('Добрый день! Заказ 3003 приедет завтра.');
    await operator.page.getByTestId('composer').press('Enter');

    await expect
      .poll(() => telegram.calls('/sendMessage').map((r) => r.body), POLL)
      .toContainEqual(
        expect.objectContaining({ chat_id: '1111111', text: 'Добрый день! Заказ 3003 приедет завтра.' }),
      );
    const answer = operator.page.getByTestId('message').filter({ hasText: 'приедет завтра' });
    await answer.locator('[data-testid="channel-delivery"][data-state="sent"]').waitFor({ timeout: 20_000 });

    // The customer blocks the bot: Telegram refuses the next reply, and the operator sees why.
    const blocked = telegramUpdates.text(7002, 'Последний вопрос про заказ 3003');
    blocked.message.chat = { ...blocked.message.chat, id: 403 };
    await fetch(webhookUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': secret },
      body: JSON.stringify(blocked),
    });
    await operator.page
      .getByTestId('message')
      .filter({ hasText: 'Последний вопрос' })
      .waitFor({ timeout: 20_000 });
    await operator.page.getByTestId('composer').fill('Вы здесь?');
    await operator.page.getByTestId('composer').press('Enter');
    const failed = operator.page
      .getByTestId('message')
      .filter({ hasText: 'Вы здесь?' })
      .locator('[data-testid="channel-delivery"][data-state="failed"]');
    await failed.waitFor({ timeout: 20_000 });
    expect(await failed.textContent()).toContain('bot was blocked by the user');
    await operator.page.screenshot({ path: path.join(SCREENSHOTS_DIR, 'channels-telegram-inbox.png') });
    await Promise.all([admin.context.close(), operator.context.close()]);
  });

  it('is connected by long polling where the server has no public address, and takes messages in', async () => {
    const admin = await openAs(browser, server, server.logins.admin);
    await admin.page.goto(`${server.url}/admin/channels`);
    await admin.page.getByTestId('channel-kind').selectOption('telegram');
    await admin.page.locator('input[name="botToken"]').fill(TELEGRAM_TOKEN);
    await admin.page.locator('input[name="apiBase"]').fill(telegram.url);
    await admin.page.getByLabel(/как приходят сообщения|how messages arrive/i).selectOption('polling');
    await admin.page.locator('form button[type="submit"]').click();
    const card = admin.page.locator('[data-testid="channel-card"][data-kind="telegram"]').nth(1);
    await card.waitFor();
    await expect(card.getByTestId('webhook-url').count()).resolves.toBe(0);
    await expect(card.textContent()).resolves.toMatch(/long polling/);

    telegram.queue(telegramUpdates.text(7003, 'Пишу боту без вебхука, заказ 3004'));
    const operator = await openAs(browser, server, server.logins.operator);
    await openConversation(operator.page, 'common', 'заказ 3004');
    expect(telegram.calls('/deleteWebhook').length).toBeGreaterThan(0);

    // Given a public address later, the admin switches the same channel to a webhook in its settings;
    // the stored bot token stays as it is (the field is left blank).
    const webhooksBefore = telegram.calls('/setWebhook').length;
    await card.getByRole('button', { name: /изменить настройки|edit settings/i }).click();
    const edit = card.getByRole('form');
    await expect(edit.locator('input[name="botToken"]').getAttribute('type')).resolves.toBe('password');
    await edit.getByLabel(/как приходят сообщения|how messages arrive/i).selectOption('webhook');
    await edit.locator('input[name="webhookSecret"]').fill('a-new-webhook-secret-0123456789');
    await card.screenshot({ path: path.join(SCREENSHOTS_DIR, 'channels-edit-settings.png') });
    await edit.getByRole('button', { name: /сохранить|save/i }).click();
    await card.getByTestId('webhook-url').waitFor();
    await expect
      .poll(() => telegram.calls('/setWebhook').length, { timeout: 15_000 })
      .toBeGreaterThan(webhooksBefore);
    await Promise.all([admin.context.close(), operator.context.close()]);
  });
});
