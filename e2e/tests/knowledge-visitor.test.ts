// The knowledge base from a visitor's side, in Chromium: in the widget, the Help articles tab
// searches the published articles, opens one (its Markdown rendered) and leads back to the chat;
// the workspace's public help centre lists, searches and shows articles at their own addresses.
import type { KnowledgeArticle } from '@frontline/protocol';
import { beforeAll, describe, expect, it } from 'vitest';
import { openHostPage, widgetFrame } from '../support/host-page.js';
import { widgetSuite } from '../support/widget-suite.js';

const suite = widgetSuite();
let published: KnowledgeArticle;

beforeAll(async () => {
  published = await suite.admin.call<KnowledgeArticle>('POST', '/api/knowledge/articles', {
    locale: 'en',
    category: 'Delivery',
    title: 'How to track your parcel',
    body: 'Open **My orders** and press *Track*. The courier’s page opens at [the tracking site](https://track.example.com).',
  });
  await suite.admin.call('POST', '/api/knowledge/articles', {
    locale: 'en',
    category: 'Delivery',
    title: 'Parcel lockers (draft)',
    body: 'Parcel lockers are coming soon; track the parcel there.',
    published: false,
  });
});

describe('help articles in the widget', () => {
  it('finds a published article, opens it inside the widget and goes back to the chat', async () => {
    const context = await suite.visitorContext();
    const page = await openHostPage(context, suite.site);
    await page.getByTestId('frontline-launcher').click();
    const frame = widgetFrame(page);
    await frame.getByRole('tab', { name: 'Help articles' }).click();
    // Before a search: the categories with their articles.
    await frame.getByRole('heading', { name: 'Delivery' }).waitFor();
    await frame.getByLabel('Search help articles').fill('track my parcel');
    await frame.getByRole('button', { name: 'Search' }).click();
    const result = frame.getByTestId('widget-help-result').filter({ hasText: published.title });
    await result.waitFor();
    expect(await frame.getByTestId('widget-help-result').allTextContents()).not.toContainEqual(
      expect.stringContaining('draft'),
    );
    await result.click();
    const article = frame.getByTestId('widget-help-article');
    await article.getByRole('heading', { name: published.title }).waitFor();
    expect(await article.locator('strong').first().textContent()).toBe('My orders');
    expect(await article.getByRole('link', { name: 'the tracking site' }).getAttribute('target')).toBe(
      '_blank',
    );
    await suite.shot(page, 'widget-help-article');
    await article.getByRole('button', { name: 'Back to the list' }).click();
    await frame.getByTestId('widget-help-result').filter({ hasText: published.title }).waitFor();
    await frame.getByTestId('widget-help-result').filter({ hasText: published.title }).click();
    await frame.getByRole('button', { name: 'Ask in the chat' }).click();
    expect(await frame.getByRole('tab', { name: 'Chat' }).getAttribute('aria-selected')).toBe('true');
    // The chat (or the offline form, as nobody is online) is back in place of the articles.
    await frame.getByRole('tabpanel', { name: 'Chat' }).waitFor();
    expect(await frame.getByTestId('widget-help-search').count()).toBe(0);
  });
});

describe('the public help centre', () => {
  it('lists, searches and shows articles at linkable addresses', async () => {
    const context = await suite.visitorContext();
    const page = await context.newPage();
    const home = `${suite.server.url}/help/${suite.server.logins.widgetKey}?locale=en`;
    await page.goto(home);
    await page.getByRole('heading', { name: 'Delivery' }).waitFor();
    expect(await page.getByText('Parcel lockers').count()).toBe(0);
    await page.getByLabel('Search articles').fill('parcel tracking');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByRole('heading', { name: 'Search results' }).waitFor();
    await page.getByRole('link', { name: published.title }).click();
    await page.getByRole('heading', { name: published.title }).waitFor();
    expect(page.url()).toBe(
      `${suite.server.url}/help/${suite.server.logins.widgetKey}/articles/${published.id}`,
    );
    expect(await page.locator('article strong').first().textContent()).toBe('My orders');
    await suite.shot(page, 'help-centre-article');
    // The same address opened afresh shows the same article; the Russian page is one link away.
    await page.goto(page.url());
    await page.getByRole('heading', { name: published.title }).waitFor();
    await page.getByRole('link', { name: 'All articles' }).click();
    await page.getByRole('link', { name: 'RU' }).click();
    await page.getByRole('heading', { name: /Справочный центр/ }).waitFor();
  });
});
