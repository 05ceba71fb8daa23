// The website widget in a chat with an online operator, both sides in their own browser context
// (the operator through the API): appearance and language from the settings, the incident greeting
// a supervisor changes live, the pre-chat form, bot buttons, file upload, unread badge, queue
// position, and the rating after resolution.
import type { FrameLocator, Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { WidgetGreeting } from '@frontline/protocol';
import { openHostPage, widgetFrame } from '../support/host-page.js';
import { widgetSuite } from '../support/widget-suite.js';
import { openAs } from '../support/workspace.js';

const suite = widgetSuite();
beforeAll(() => suite.operator.setPresence('online'));

async function openChat(page: Page): Promise<FrameLocator> {
  await page.getByTestId('frontline-launcher').click();
  return widgetFrame(page);
}

async function say(frame: FrameLocator, text: string): Promise<void> {
  await frame.getByTestId('widget-composer').fill(text);
  await frame.getByTestId('widget-composer').press('Enter');
  await frame
    .getByTestId('widget-message')
    .filter({ hasText: text })
    .and(frame.locator('[data-seq]'))
    .waitFor();
}

/**
 * The operator takes the visitor's new conversation, as they would from the list: an offer left
 * unanswered would count as missed and, after a few, set the operator away.
 */
async function take(preview: string) {
  const conversation = await suite.operator.waitForConversation((c) => c.lastMessagePreview === preview);
  await suite.operator.act(conversation.id, 'take');
  return conversation;
}

describe('the widget settings page', () => {
  it('lets an admin restyle the widget and copy the install snippet', async () => {
    const context = await suite.visitorContext({ viewport: { width: 1280, height: 1000 } });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: suite.server.url });
    const page = await context.newPage();
    await page.goto(`${suite.server.url}/`);
    await page.getByLabel(/e-?mail/i).fill(suite.server.logins.admin.email);
    await page.getByLabel(/password/i).fill(suite.server.logins.admin.password);
    await page.getByRole('button', { name: /log in/i }).click();
    // The demo admin works in Russian.
    await page.getByRole('link', { name: /^(settings|настройки)$/i }).click();
    await page.getByRole('link', { name: /widget|виджет/i }).click();
    await page.getByRole('heading', { name: /widget|виджет/i, level: 1 }).waitFor();

    const snippet = await page.getByTestId('widget-snippet').textContent();
    expect(snippet).toBe(
      `<script src="${suite.server.url}/widget.js" data-key="${suite.server.logins.widgetKey}" async></script>`,
    );
    await page
      .getByRole('button', { name: /^(Copy|Скопировать)$/ })
      .first()
      .click();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(snippet);

    await page.getByRole('textbox', { name: /#rrggbb/ }).fill('#7c3aed');
    const launcherText = page.getByRole('group', { name: /launcher|кнопке/i });
    await launcherText.getByLabel('English').fill('Ask us');
    await launcherText.getByLabel('Русский').fill('Спросите нас');
    await page.getByRole('button', { name: /^(Save|Сохранить)$/ }).click();
    await page
      .getByRole('status')
      .filter({ hasText: /^(Saved|Сохранено)$/ })
      .waitFor();
    await page.evaluate(() => window.scrollTo(0, 0));
    await suite.shot(page, 'admin-widget-settings');

    await page.getByRole('textbox', { name: /#rrggbb/ }).fill('purple');
    await page.getByRole('button', { name: /^(Save|Сохранить)$/ }).click();
    await page.getByRole('alert').filter({ hasText: 'appearance.color' }).waitFor();

    const demo = await context.newPage();
    await demo.goto(`${suite.server.url}/demo`);
    const launcher = demo.getByTestId('frontline-launcher');
    await expect.poll(() => launcher.textContent()).toContain('Спросите нас');
    expect(await launcher.evaluate((b) => getComputedStyle(b).backgroundColor)).toBe('rgb(124, 58, 237)');
    await suite.admin.saveWidgetSettings({});
  });
});

describe('the incident greeting', () => {
  it('is changed by a supervisor on the supervision page, and an open widget shows it at once', async () => {
    const before = await suite.admin.call<WidgetGreeting>('GET', '/api/widget-settings/greeting');
    await suite.admin.call('PUT', '/api/widget-settings/greeting', {
      greeting: { ru: 'Отвечаем за минуту.', en: 'We answer within a minute.' },
    });
    const context = await suite.visitorContext();
    const page = await openHostPage(context, suite.site);
    const frame = await openChat(page);
    await frame.getByTestId('widget-greeting').filter({ hasText: 'We answer within a minute.' }).waitFor();

    const supervisor = await openAs(suite.browser, suite.server, suite.server.logins.admin);
    try {
      await supervisor.page.goto(`${suite.server.url}/supervision`);
      const form = supervisor.page.getByRole('region', { name: 'Приветствие в виджете' });
      const incident = 'Card payments are delayed today; we are on it.';
      await form.getByLabel('English').fill(incident);
      await form.getByRole('button', { name: 'Сохранить' }).click();
      await form.getByRole('status').filter({ hasText: 'Сохранено' }).waitFor();
      // No reload: the open widget hears of it.
      await frame.getByTestId('widget-greeting').filter({ hasText: incident }).waitFor({ timeout: 5_000 });
      await suite.shot(page, 'widget-incident-greeting');
    } finally {
      await supervisor.context.close();
      await suite.admin.call('PUT', '/api/widget-settings/greeting', before);
    }
  });
});

describe('the widget with an operator online', () => {
  it('takes its look and language from the settings, and the host page can override the language', async () => {
    await suite.admin.saveWidgetSettings({
      appearance: {
        color: '#0f766e',
        position: 'left',
        launcherText: { ru: 'Напишите нам', en: 'Chat with us' },
        team: [{ name: 'Anna' }, { name: 'Ivan' }],
        greeting: {
          ru: 'Здравствуйте! Доставка сегодня до 21:00.',
          en: 'Hello! Same-day delivery until 9 pm.',
        },
      },
    });
    const context = await suite.visitorContext();
    suite.site.page('/en', { lang: 'en' });
    const page = await openHostPage(context, suite.site, '/en');
    const launcher = page.getByTestId('frontline-launcher');
    await expect.poll(() => launcher.textContent()).toContain('Chat with us');
    expect(await launcher.evaluate((b) => getComputedStyle(b).backgroundColor)).toBe('rgb(15, 118, 110)');
    expect(await launcher.evaluate((b) => b.getBoundingClientRect().left)).toBeLessThan(100);
    expect(await launcher.getAttribute('aria-expanded')).toBe('false');

    const frame = await openChat(page);
    await frame.getByTestId('widget-greeting').filter({ hasText: 'Same-day delivery' }).waitFor();
    await frame.getByRole('heading', { name: 'Демо-магазин' }).waitFor();
    await frame.getByText('Anna, Ivan').waitFor();
    expect(await launcher.getAttribute('aria-expanded')).toBe('true');

    await suite.shot(page, 'widget-greeting');
    await page.evaluate(() =>
      (window as unknown as { Frontline: { setLanguage(lang: string): void } }).Frontline.setLanguage('ru'),
    );
    await frame.getByTestId('widget-greeting').filter({ hasText: 'Доставка сегодня' }).waitFor();

    const demo = await context.newPage();
    await demo.goto(`${suite.server.url}/demo`);
    await demo.getByTestId('frontline-launcher').click();
    await widgetFrame(demo).getByTestId('widget-greeting').waitFor();
    await suite.shot(demo, 'widget-demo-open');

    // data-lang on the script tag wins over the page's language.
    const russian = await suite.visitorContext({ locale: 'en-US' });
    suite.site.page('/forced-ru', { lang: 'en', attributes: 'data-lang="ru"' });
    const ruPage = await openHostPage(russian, suite.site, '/forced-ru');
    await expect.poll(() => ruPage.getByTestId('frontline-launcher').textContent()).toContain('Напишите нам');
    await suite.admin.saveWidgetSettings({});
  });

  it('asks the pre-chat form first, checks it, and the operator sees who wrote', async () => {
    await suite.admin.saveWidgetSettings({
      preChat: {
        enabled: true,
        fields: [
          { id: 'name', kind: 'name', label: { en: 'Your name' }, required: true },
          { id: 'email', kind: 'email', label: { en: 'E-mail' }, required: true },
          { id: 'order', kind: 'text', label: { en: 'Order number' } },
        ],
      },
    });
    const context = await suite.visitorContext();
    const page = await openHostPage(context, suite.site);
    const frame = await openChat(page);
    const form = frame.getByTestId('widget-prechat');
    await form.getByRole('button', { name: 'Start the chat' }).click();
    await form.getByText('Fill in “Your name”').waitFor();
    expect(await form.getByLabel(/Your name/).getAttribute('aria-invalid')).toBe('true');
    await form.getByLabel(/Your name/).fill('Pavel');
    await form.getByLabel(/E-mail/).fill('pavel@');
    await form.getByRole('button', { name: 'Start the chat' }).click();
    await form.getByText(/Enter an e-mail/).waitFor();
    await form.getByLabel(/E-mail/).fill('pavel@shop.test');
    await form.getByLabel(/Order number/).fill('A-1042');
    await suite.shot(page, 'widget-prechat');
    await form.getByRole('button', { name: 'Start the chat' }).click();

    await say(frame, 'Where is my order?');
    const conversation = await take('Where is my order?');
    expect(conversation.contact).toMatchObject({ name: 'Pavel', email: 'pavel@shop.test' });
    expect((await suite.operator.contact(conversation.contact.id)).attributes).toEqual({ order: 'A-1042' });

    // The next visit goes straight to the conversation.
    await page.reload();
    const again = await openChat(page);
    await again.getByTestId('widget-message').filter({ hasText: 'Where is my order?' }).waitFor();
    expect(await again.getByTestId('widget-prechat').count()).toBe(0);
    await suite.admin.saveWidgetSettings({});
  });

  it('shows bot buttons: a reply button answers, a link button opens its link', async () => {
    const context = await suite.visitorContext();
    const page = await openHostPage(context, suite.site);
    const frame = await openChat(page);
    await say(frame, 'I need help with a return');
    const conversation = await take('I need help with a return');
    const menu = await suite.operator.reply(conversation.id, {
      text: 'What is it about?',
      buttons: [
        { id: 'refund', label: 'Refund' },
        { id: 'exchange', label: 'Exchange' },
        { id: 'policy', label: 'Return policy', url: 'https://shop.test/returns' },
      ],
    });
    const group = frame.getByRole('group', { name: 'Choices' });
    await group.waitFor();
    const link = group.getByRole('link', { name: /Return policy/ });
    expect(await link.getAttribute('href')).toBe('https://shop.test/returns');
    expect(await link.getAttribute('target')).toBe('_blank');
    await suite.shot(page, 'widget-bot-buttons');

    await group.getByRole('button', { name: 'Exchange' }).click();
    await expect
      .poll(() => group.getByRole('button', { name: 'Exchange' }).getAttribute('aria-pressed'))
      .toBe('true');
    expect(await group.getByRole('button', { name: 'Refund' }).isDisabled()).toBe(true);
    await expect
      .poll(async () => (await suite.operator.messages(conversation.id)).find((m) => m.replyTo !== null))
      .toMatchObject({ text: 'Exchange', replyTo: { messageId: menu.id, buttonId: 'exchange' } });
  });

  it('uploads an image with a preview and sends it; the badge counts replies while folded', async () => {
    const context = await suite.visitorContext();
    const page = await openHostPage(context, suite.site);
    const frame = await openChat(page);
    await say(frame, 'Here is the broken part');
    const conversation = await take('Here is the broken part');

    const png = Buffer.from(
      'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
      'base64',
    );
    await frame
      .getByTestId('widget-file-input')
      .setInputFiles({ name: 'part.png', mimeType: 'image/png', buffer: png });
    const upload = frame.getByTestId('widget-upload');
    await upload.locator('img').waitFor();
    await expect.poll(() => upload.locator('progress').count()).toBe(0);
    await frame.getByTestId('widget-send').click();
    await frame.locator('.message.mine img[alt="part.png"]').waitFor();
    await expect
      .poll(async () =>
        (await suite.operator.messages(conversation.id)).flatMap((m) => m.attachments.map((a) => a.name)),
      )
      .toEqual(['part.png']);

    await page.getByTestId('frontline-launcher').click();
    await suite.operator.reply(conversation.id, { text: 'Thanks, a replacement is on its way.' });
    const launcher = page.getByTestId('frontline-launcher');
    await expect.poll(() => launcher.getAttribute('aria-label')).toBe('Open chat, new messages: 1');
    await launcher.click();
    await frame.getByTestId('widget-message').filter({ hasText: 'replacement is on its way' }).waitFor();
    await expect.poll(() => launcher.getAttribute('aria-label')).toBe('Minimise chat');
  });

  it('shows the place in the queue while every operator is busy', async () => {
    const me = await suite.operator.call<{ id: string }>('GET', '/api/me/presence');
    await suite.admin.call('PUT', `/api/users/${me.id}/capacity`, { capacity: 0 });
    try {
      const context = await suite.visitorContext();
      const page = await openHostPage(context, suite.site);
      const frame = await openChat(page);
      await say(frame, 'Is anyone there?');
      await frame
        .getByTestId('widget-queue')
        .filter({ hasText: 'Your place in the queue: 1' })
        .waitFor({ timeout: 15_000 });
      await suite.shot(page, 'widget-queue');
      await take('Is anyone there?');
      await frame.getByTestId('widget-queue').waitFor({ state: 'detached' });
    } finally {
      await suite.admin.call('PUT', `/api/users/${me.id}/capacity`, { capacity: 5 });
    }
  });

  it('asks for a rating once the conversation is resolved, and keeps it', async () => {
    const context = await suite.visitorContext();
    const page = await openHostPage(context, suite.site);
    const frame = await openChat(page);
    await say(frame, 'Thanks, that is all');
    const conversation = await take('Thanks, that is all');
    await suite.operator.act(conversation.id, 'resolve');

    const card = frame.getByTestId('widget-rating');
    await card.getByRole('group', { name: 'How was the conversation?' }).waitFor();
    await card.getByRole('button', { name: 'Bad' }).click();
    await card.getByLabel('Comment (optional)').fill('The answer took too long');
    await suite.shot(page, 'widget-rating');
    await card.getByRole('button', { name: 'Send the rating' }).click();
    await frame.getByTestId('widget-rating-thanks').waitFor();
    await expect
      .poll(async () => (await suite.operator.messages(conversation.id)).at(-1)?.event)
      .toEqual({ type: 'rated', data: { rating: 'bad', comment: 'The answer took too long' } });

    await page.reload();
    const again = await openChat(page);
    await again.getByTestId('widget-rating-thanks').waitFor();
    expect(await again.getByTestId('widget-rating').count()).toBe(0);
  });
});
