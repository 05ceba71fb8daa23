// The bot first line in Chromium: an admin builds a small menu flow in the visual builder (edits the
// menu, adds an option with keywords and connects it to the hand-off on the canvas), publishes it;
// a visitor in the widget is greeted, types what the new option's keyword covers and is handed over
// to the online operator.
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { openHostPage, widgetFrame } from '../support/host-page.js';
import { widgetSuite } from '../support/widget-suite.js';

const suite = widgetSuite();
beforeAll(() => suite.operator.setPresence('online'));

async function logInAsAdmin(page: Page): Promise<void> {
  await page.goto(`${suite.server.url}/`);
  await page.getByLabel(/e-?mail/i).fill(suite.server.logins.admin.email);
  await page.getByLabel(/password/i).fill(suite.server.logins.admin.password);
  await page.getByRole('button', { name: /log in/i }).click();
}

/** Drags from a node's exit handle to another node's entry handle, as a person does with the mouse. */
async function connect(page: Page, fromPort: string, toNode: string): Promise<void> {
  const source = page.getByTestId(fromPort).locator('.react-flow__handle');
  const target = page.getByTestId(toNode).locator('.react-flow__handle.target');
  const from = await source.boundingBox();
  const to = await target.boundingBox();
  if (!from || !to) throw new Error('handles are not on screen');
  await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
  await page.mouse.down();
  await page.mouse.move(to.x + to.width / 2, to.y + to.height / 2, { steps: 12 });
  await page.mouse.up();
}

describe('bot flows', () => {
  it('an admin builds and publishes a menu flow; a visitor walks it and reaches an operator', async () => {
    const adminContext = await suite.visitorContext({ viewport: { width: 1400, height: 1100 } });
    const admin = await adminContext.newPage();
    await logInAsAdmin(admin);
    await admin
      .getByRole('link', { name: /^(Settings|Настройки)$/ })
      .first()
      .click();
    await admin.getByRole('link', { name: /^(Bots|Боты)$/ }).click();
    await admin.getByTestId('new-flow').click();
    await admin.getByTestId('flow-node-menu').waitFor();

    await admin.getByTestId('flow-node-menu').click();
    await admin.getByTestId('node-text').fill('How can we help?');
    await admin.getByTestId('option-label-0').fill('Delivery');
    await admin.getByTestId('add-option').click();
    await admin.getByTestId('option-label-1').fill('Returns');
    // Typed text chooses an option too: its keywords, in any word form.
    const keywords = admin.getByTestId('option-1').getByLabel(/(Keywords that choose it|Ключевые слова)/);
    await keywords.fill('refund, возврат');
    await keywords.press('Tab');

    // Unconnected, the new option is a problem the check names.
    await admin.getByTestId('validate-flow').click();
    await admin
      .getByTestId('flow-problems')
      .filter({ hasText: 'Node "menu" points nowhere from exit "option2"' })
      .waitFor();

    await connect(admin, 'port-menu-option2', 'flow-node-person');
    await admin.getByTestId('publish-flow').click();
    await admin
      .getByTestId('flow-status')
      .filter({ hasText: /(version|версия) 1/ })
      .waitFor();
    // The preview chat runs the draft: the menu, then a press of the new option hands over.
    await admin.getByTestId('preview-start').click();
    await admin.getByTestId('preview-log').filter({ hasText: 'How can we help?' }).waitFor();
    await admin
      .getByRole('region', { name: /(Try it in a chat|Проверка в чате)/ })
      .getByRole('button', { name: 'Returns' })
      .click();
    await admin
      .getByRole('status')
      .filter({ hasText: /(Handed over to a person|Разговор передан оператору)/ })
      .waitFor();

    const visitor = await openHostPage(await suite.visitorContext(), suite.site);
    await visitor.getByTestId('frontline-launcher').click();
    const frame = widgetFrame(visitor);
    await frame.getByTestId('widget-composer').fill('Hello');
    await frame.getByTestId('widget-composer').press('Enter');

    const menu = frame.getByRole('group', { name: 'Choices' }).last();
    await menu.getByRole('button', { name: 'Returns' }).waitFor({ timeout: 15_000 });
    expect(await menu.getByRole('button').allTextContents()).toEqual([
      'Delivery',
      'Returns',
      'Talk to a person',
    ]);
    // Typed instead of pressed, in a word form the keyword does not spell out.
    await frame.getByTestId('widget-composer').fill('I would like my money refunded');
    await frame.getByTestId('widget-composer').press('Enter');
    await frame
      .getByTestId('widget-message')
      .filter({ hasText: 'Passing you to a person' })
      .waitFor({ timeout: 15_000 });
    await suite.shot(visitor, 'widget-bot-flow');

    const conversation = await suite.operator.waitForConversation(
      (c) => c.status === 'offered' || c.status === 'queued',
      20_000,
    );
    const messages = await suite.operator.messages(conversation.id);
    expect(messages.some((m) => m.author.type === 'bot' && m.text === 'How can we help?')).toBe(true);
    expect(messages.some((m) => m.event?.type === 'bot_handed_over')).toBe(true);
    // "Hello" opened the conversation before the menu was shown: it is not a wrong answer to it.
    expect(messages.some((m) => m.author.type === 'bot' && m.text.startsWith('Please pick'))).toBe(false);
    const taken = await suite.operator.act(conversation.id, 'take');
    expect(taken.status).toBe('assigned');

    // The builder shows the flow's figures: one run, handed over, a visit on each node it passed.
    await admin.reload();
    await admin
      .getByRole('button', { name: /(New flow|Новый сценарий)/ })
      .filter({ hasText: /(version|версия) 1/ })
      .click();
    await admin
      .getByTestId('flow-stats')
      .filter({ hasText: /(handed over|передано оператору): 1/ })
      .waitFor();
    await admin
      .getByTestId('flow-node-person')
      .filter({ hasText: /(visits|проходов): 1/ })
      .waitFor();
    await suite.shot(admin, 'admin-bot-builder');
  });
});
