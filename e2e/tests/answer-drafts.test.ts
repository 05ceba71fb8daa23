// Answer drafts as people meet them: an admin connects an OpenAI-compatible model (here a local
// fake) on the Knowledge base page, a visitor asks in the widget, and the operator presses
// «Черновик ответа»: the draft lands in the compose box, unsent, with the cited article under it.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MODEL_API_KEY, startFakeModel, type FakeModel } from '../../server/src/test/fake-openai.js';
import { launchBrowser } from '../support/browser.js';
import { startServer, type RunningServer } from '../support/server.js';
import { StaffApi } from '../support/staff-api.js';
import { openAs, openConversation, shot, visitorOnDemoPage } from '../support/workspace.js';

let server: RunningServer;
let browser: Browser;
let model: FakeModel;

beforeAll(async () => {
  [server, browser, model] = await Promise.all([startServer(), launchBrowser(), startFakeModel()]);
  const admin = await StaffApi.logIn(browser, server.url, server.logins.admin);
  await admin.saveWidgetSettings({ offline: { enabled: false } });
  await admin.call('POST', '/api/knowledge/articles', {
    locale: 'en',
    title: 'Parcel delivery times',
    body: 'A parcel arrives within 3 working days after dispatch.',
    published: true,
  });
  await admin.context.close();
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await model?.close();
});

describe('answer drafts', () => {
  it('are set up by an admin, and put a cited draft in the operator’s composer without sending it', async () => {
    const { context: adminContext, page: admin } = await openAs(browser, server, server.logins.admin);
    await admin.goto(`${server.url}/admin/knowledge`);
    const form = admin.getByTestId('draft-settings');
    await form
      .getByRole('checkbox', { name: /offer answer drafts|предлагать операторам черновики/i })
      .check();
    await form.getByLabel(/API address|адрес API/i).fill(model.baseUrl);
    await form.getByLabel(/^(model|модель)$/i).fill('support-model');
    await form.getByLabel(/^(API key|ключ API)$/i).fill(MODEL_API_KEY);
    await form.getByRole('button', { name: /^(save|сохранить)$/i }).click();
    await form
      .getByRole('status')
      .filter({ hasText: /saved|сохранено/i })
      .waitFor();
    expect(await form.getByLabel(/^(API key|ключ API)$/i).inputValue()).toBe('');
    await adminContext.close();

    const visitor = await visitorOnDemoPage(browser, server);
    await visitor.write('When will my parcel arrive?');

    model.reply = 'Your parcel arrives within 3 working days after dispatch [1].';
    const operator = await openAs(browser, server, server.logins.operator);
    await openConversation(operator.page, 'common', 'When will my parcel arrive?');
    await operator.page.getByRole('button', { name: 'Черновик ответа' }).click();
    await expect.poll(() => operator.page.getByTestId('composer').inputValue()).toBe(model.reply);
    const sources = operator.page.getByTestId('draft-sources');
    await sources.getByRole('link', { name: /^\[1\] / }).waitFor();
    await shot(operator.page, 'answer-draft');
    expect(model.requests.at(-1)?.authorization).toBe(`Bearer ${MODEL_API_KEY}`);
    expect(JSON.stringify(model.requests.at(-1)?.body)).toContain('When will my parcel arrive?');
    // Nothing reached the visitor: the draft waits for the operator.
    expect(
      await visitor.frame.getByTestId('widget-message').filter({ hasText: '3 working days' }).count(),
    ).toBe(0);

    await visitor.context.close();
    await operator.context.close();
  });
});
