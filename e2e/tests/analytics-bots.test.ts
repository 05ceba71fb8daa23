// The bot report in Chromium: a menu flow (made through the API) closes one visitor's conversation
// after a menu choice and hands another's to people when the visitor asks for a person; the
// supervisor's Bots tab in Reports then shows both, with the hand-off reason. The screenshot goes
// to docs/screenshots/analytics-bots.png.
import type { BotFlow, BotFlowInput } from '@frontline/protocol';
import { beforeAll, describe, expect, it } from 'vitest';
import { openHostPage, widgetFrame } from '../support/host-page.js';
import { widgetSuite } from '../support/widget-suite.js';
import { openAs, shot } from '../support/workspace.js';

const suite = widgetSuite();
// With nobody online the widget offers the offline form instead of the chat.
beforeAll(() => suite.operator.setPresence('online'));

const deliveryBot: BotFlowInput = {
  name: 'Delivery bot',
  enabled: true,
  triggers: [{ kind: 'conversation_start', channels: [] }],
  graph: {
    startNodeId: 'menu',
    nodes: [
      {
        id: 'menu',
        type: 'menu',
        position: { x: 0, y: 0 },
        text: 'What do you need?',
        options: [{ id: 'track', label: 'Track my parcel', tag: 'tracking', keywords: [], intentId: null }],
        personLabel: '',
        timeoutMinutes: null,
      },
      { id: 'done', type: 'close', position: { x: 0, y: 150 }, text: 'Your parcel arrives tomorrow.' },
    ],
    edges: [{ id: 'e1', source: 'menu', port: 'track', target: 'done' }],
  },
};

async function visitorPresses(button: string, answer: string): Promise<void> {
  const visitor = await openHostPage(await suite.visitorContext(), suite.site);
  await visitor.getByTestId('frontline-launcher').click();
  const frame = widgetFrame(visitor);
  await frame.getByTestId('widget-composer').fill('Hello');
  await frame.getByTestId('widget-composer').press('Enter');
  await frame
    .getByRole('group', { name: 'Choices' })
    .last()
    .getByRole('button', { name: button })
    .click({ timeout: 15_000 });
  await frame.getByTestId('widget-message').filter({ hasText: answer }).waitFor({ timeout: 15_000 });
}

describe('the bot report', { timeout: 120_000 }, () => {
  it('shows what the bot closed and what it handed to people, with the reason', async () => {
    const flow = await suite.admin.call<BotFlow>('POST', '/api/bot-flows', deliveryBot);
    await suite.admin.call('POST', `/api/bot-flows/${flow.id}/publish`);
    await visitorPresses('Track my parcel', 'Your parcel arrives tomorrow.');
    await visitorPresses('Talk to a person', 'Passing you to a person');

    const { page, context } = await openAs(suite.browser, suite.server, suite.server.logins.admin);
    await page.goto(`${suite.server.url}/admin/reports?view=bots`);
    const figure = (name: string) => page.locator(`[data-figure="${name}"] .analytics-value`);
    await expect.poll(() => figure('botStarted').textContent(), { timeout: 15_000 }).toBe('100%');
    expect(await figure('contained').textContent()).toBe('1');
    expect(await figure('completed').textContent()).toBe('50%');
    expect(await figure('menu').textContent()).toBe('50%');
    const asked = page.getByRole('row').filter({ hasText: 'посетитель попросил человека' });
    expect(await asked.getByRole('cell').nth(1).textContent()).toBe('1');
    await page.locator('.analytics-table tfoot').waitFor();
    await page.locator('.analytics-tabs').evaluate((tabs) => tabs.scrollIntoView());
    await shot(page, 'analytics-bots');
    await context.close();
  });
});
