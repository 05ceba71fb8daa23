// The website widget around the chat: the offline form (and the reply on the next visit), identity
// verification from the host page (accepted, and a forged signature refused), proactive
// invitations, the page trail of a single-page site, a phone-size screen with the keyboard alone,
// and a host page whose CSS tries to hide it. The operator acts through the API.
import { createHmac } from 'node:crypto';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { openHostPage, widgetFrame } from '../support/host-page.js';
import { widgetSuite } from '../support/widget-suite.js';

const suite = widgetSuite();

interface HostWindow {
  Frontline: { on(event: 'ready', handler: () => void): void };
  identifyNow(signature: string): Promise<string>;
}

/** Resolves once the widget said it is ready (Frontline.on('ready') also hears it afterwards). */
const widgetReady = (page: Page) =>
  page.evaluate(
    () => new Promise<void>((resolve) => (window as unknown as HostWindow).Frontline.on('ready', resolve)),
  );

const identifyNow = (page: Page, signature: string) =>
  page.evaluate((s) => (window as unknown as HostWindow).identifyNow(s), signature);

describe('with nobody online', () => {
  it('takes an offline request, and the visitor reads the reply on the next visit', async () => {
    await suite.operator.setPresence('offline');
    const context = await suite.visitorContext();
    const page = await openHostPage(context, suite.site);
    await page.getByTestId('frontline-launcher').click();
    const frame = widgetFrame(page);
    const form = frame.getByTestId('widget-offline-form');
    await form.getByRole('heading', { name: 'No operator is online now' }).waitFor();
    await form.getByRole('button', { name: 'Send' }).click();
    await form.getByText('Fill in “Your question”').waitFor();
    await form.getByLabel('Name').fill('Olga');
    await form.getByLabel('E-mail').fill('olga@mail.test');
    await form.getByLabel(/Your question/).fill('Can I pick up my order on Sunday?');
    await suite.shot(page, 'widget-offline-form');
    await form.getByRole('button', { name: 'Send' }).click();
    await frame.getByTestId('widget-offline-notice').waitFor();
    await frame.getByTestId('widget-message').filter({ hasText: 'Sunday' }).waitFor();

    const [request] = await suite.operator.conversations('status=offline');
    expect(request).toMatchObject({
      status: 'offline',
      lastMessagePreview: 'Can I pick up my order on Sunday?',
      contact: { name: 'Olga', email: 'olga@mail.test' },
    });
    expect((await suite.operator.messages(request?.id ?? '')).map((m) => m.event?.type ?? m.text)).toEqual([
      'went_offline',
      'Can I pick up my order on Sunday?',
    ]);
    await page.close();

    // The operator answers later; the visitor comes back another day.
    await suite.operator.reply(request?.id ?? '', { text: 'Yes, we are open on Sundays from 10 to 18.' });
    const later = await openHostPage(context, suite.site);
    await later.getByTestId('frontline-launcher').click();
    await widgetFrame(later).getByTestId('widget-message').filter({ hasText: 'open on Sundays' }).waitFor();
  });
});

describe('identity verification', () => {
  it('accepts a user signed by the site’s server and refuses a forged signature', async () => {
    const { identitySecret } = await suite.admin.widgetSettings();
    const signature = createHmac('sha256', identitySecret).update('customer-501').digest('hex');
    const forged = createHmac('sha256', 'guessed-secret').update('customer-501').digest('hex');
    // As a site would render it: the signature computed on its suite.server, passed to identify().
    suite.site.page('/account', {
      body: `<script>
        window.identifyNow = function (signature) {
          return window.Frontline.identify({ id: 'customer-501', name: 'Maria Petrova', email: 'maria@mail.test', signature: signature })
            .then(function () { return 'accepted'; }, function (error) { return 'refused: ' + error.message; });
        };
      </script>`,
    });
    await suite.operator.setPresence('online');
    const context = await suite.visitorContext();
    const page = await openHostPage(context, suite.site, '/account');
    await widgetReady(page);

    const refused = await identifyNow(page, forged);
    expect(refused).toMatch(/^refused: The identity signature does not match/);

    const accepted = await identifyNow(page, signature);
    expect(accepted).toBe('accepted');

    await page.getByTestId('frontline-launcher').click();
    const frame = widgetFrame(page);
    await frame.getByTestId('widget-composer').fill('Hello, it is Maria');
    await frame.getByTestId('widget-composer').press('Enter');
    const conversation = await suite.operator.waitForConversation(
      (c) => c.lastMessagePreview === 'Hello, it is Maria',
    );
    await suite.operator.act(conversation.id, 'take');
    const contact = await suite.operator.contact(conversation.contact.id);
    expect(contact).toMatchObject({
      externalId: 'customer-501',
      name: 'Maria Petrova',
      email: 'maria@mail.test',
    });

    // Another suite.browser, the same user: the same conversation.
    const laptop = await suite.visitorContext();
    const other = await openHostPage(laptop, suite.site, '/account');
    await widgetReady(other);
    expect(await identifyNow(other, signature)).toBe('accepted');
    await other.getByTestId('frontline-launcher').click();
    await widgetFrame(other).getByTestId('widget-message').filter({ hasText: 'it is Maria' }).waitFor();
  });
});

describe('proactive invitations and the visit', () => {
  it('invites after the time on the page; the reply starts a proactive conversation', async () => {
    await suite.operator.setPresence('online');
    await suite.admin.saveWidgetSettings({
      appearance: { team: [{ name: 'Anna' }] },
      invitations: [
        {
          id: 'pricing',
          text: { en: 'Comparing plans? I can help you choose.' },
          urlPattern: '*/pricing*',
          minSecondsOnPage: 2,
        },
      ],
    });
    suite.site.page('/pricing', { title: 'Pricing' });
    const context = await suite.visitorContext();
    const page = await openHostPage(context, suite.site, '/pricing');
    const bubble = page.getByTestId('frontline-invitation');
    await bubble.waitFor({ timeout: 10_000 });
    expect(await bubble.textContent()).toContain('Comparing plans? I can help you choose.');
    await suite.shot(page, 'widget-invitation');
    await bubble.click();

    const frame = widgetFrame(page);
    await frame.getByTestId('widget-greeting').filter({ hasText: 'Comparing plans?' }).waitFor();
    await frame.getByTestId('widget-composer').fill('Which plan has an API?');
    await frame.getByTestId('widget-composer').press('Enter');
    const conversation = await suite.operator.waitForConversation(
      (c) => c.lastMessagePreview === 'Which plan has an API?',
    );
    await suite.operator.act(conversation.id, 'take');
    const messages = await suite.operator.messages(conversation.id);
    expect(messages[0]).toMatchObject({
      text: 'Comparing plans? I can help you choose.',
      author: { type: 'bot', name: 'Anna' },
    });

    // The same page later in the visit (this tab) does not invite again.
    await page.goto(`${suite.site.url}/pricing`);
    await page.getByTestId('frontline-launcher').waitFor();
    await page.waitForTimeout(3_000);
    expect(await page.getByTestId('frontline-invitation').isVisible()).toBe(false);
    await suite.admin.saveWidgetSettings({});
  });

  it('reports the pages a single-page site opens, to the conversation and the contact', async () => {
    await suite.operator.setPresence('online');
    suite.site.page('/catalogue', {
      title: 'Catalogue',
      body: `<a id="delivery" href="/delivery" onclick="event.preventDefault();history.pushState(null,'', '/delivery?utm_source=mail');document.title='Delivery';">Delivery</a>`,
    });
    const context = await suite.visitorContext();
    const page = await openHostPage(
      context,
      suite.site,
      '/catalogue?utm_source=newsletter&utm_campaign=spring',
    );
    await page.getByTestId('frontline-launcher').click();
    const frame = widgetFrame(page);
    await frame.getByTestId('widget-composer').fill('Do you deliver on weekends?');
    await frame.getByTestId('widget-composer').press('Enter');
    const conversation = await suite.operator.waitForConversation(
      (c) => c.lastMessagePreview === 'Do you deliver on weekends?',
    );
    await suite.operator.act(conversation.id, 'take');

    await page.click('#delivery');
    await expect
      .poll(
        async () =>
          (await suite.operator.messages(conversation.id)).find((m) => m.event?.type === 'page_opened')?.event
            ?.data,
      )
      .toEqual({ url: `${suite.site.url}/delivery?utm_source=mail`, title: 'Delivery' });
    const contact = await suite.operator.contact(conversation.contact.id);
    expect(contact.metadata.pageTrail?.map((p) => p.title)).toEqual(['Catalogue', 'Delivery']);
    expect(contact.metadata).toMatchObject({
      utm: { source: 'newsletter', campaign: 'spring' },
      visits: 1,
      language: 'en-US',
    });
    expect(contact.metadata.visitStartedAt).toBeGreaterThan(Date.now() - 120_000);
    expect(contact.metadata.userAgent).toContain('Chrome');
  });
});

describe('on a phone, with the keyboard, on a hostile page', () => {
  it('fills a phone screen and is used with the keyboard alone', async () => {
    await suite.operator.setPresence('online');
    const context = await suite.visitorContext({
      viewport: { width: 375, height: 667 },
      isMobile: true,
      hasTouch: true,
    });
    const page = await openHostPage(context, suite.site);
    await page.keyboard.press('Tab');
    const launcher = page.getByTestId('frontline-launcher');
    expect(await launcher.evaluate((b) => b === (b.getRootNode() as ShadowRoot).activeElement)).toBe(true);
    expect(await launcher.getAttribute('aria-label')).toBe('Open chat');
    await page.keyboard.press('Enter');

    const frame = widgetFrame(page);
    const composer = frame.getByTestId('widget-composer');
    await expect.poll(() => composer.evaluate((c) => c === document.activeElement)).toBe(true);
    const box = await page.locator('iframe').boundingBox();
    expect(box).toMatchObject({ x: 0, y: 0, width: 375, height: 667 });
    await frame.getByRole('region', { name: 'Support' }).waitFor();
    await frame.getByRole('log', { name: 'Messages' }).waitFor();
    await page.keyboard.type('Typed with the keyboard only');
    await page.keyboard.press('Enter');
    await frame
      .getByTestId('widget-message')
      .filter({ hasText: 'keyboard only' })
      .and(frame.locator('[data-seq]'))
      .waitFor();
    const conversation = await suite.operator.waitForConversation(
      (c) => c.lastMessagePreview === 'Typed with the keyboard only',
    );
    await suite.operator.act(conversation.id, 'take');
    await suite.shot(page, 'widget-phone');

    await page.keyboard.press('Escape');
    await expect.poll(() => launcher.getAttribute('aria-expanded')).toBe('false');
    expect(await launcher.evaluate((b) => b === (b.getRootNode() as ShadowRoot).activeElement)).toBe(true);
  });

  it('cannot be hidden or restyled by the host page’s CSS', async () => {
    suite.site.page('/hostile', {
      head: `<style>
        * { display: none !important; }
        html, body, h1 { display: block !important; }
        div, button, iframe { visibility: hidden !important; opacity: 0 !important; width: 0 !important; }
      </style>`,
    });
    const context = await suite.visitorContext();
    const page = await openHostPage(context, suite.site, '/hostile');
    const launcher = page.getByTestId('frontline-launcher');
    expect(await launcher.isVisible()).toBe(true);
    await launcher.click();
    await widgetFrame(page).getByTestId('widget-composer').waitFor();
  });
});
