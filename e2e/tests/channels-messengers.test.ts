// WhatsApp Cloud API, Viber, VK, Facebook Messenger and the API channel end to end in Chromium,
// each against its local fake provider (server/src/test/fakes, the integration tests' own): the
// provider delivers a customer's message to the channel's webhook over HTTP, signed as it signs
// them; routing gives the conversation to the operator, online in the workspace, who sees the
// channel's mark and answers in the composer; the fake receives the answer in the provider's own
// format. The API channel is connected on the Channels page, connection test included, and takes
// a button press back; the others are connected through the REST API to save time.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChannelAccount } from '@frontline/protocol';
import { appWebhook, startFakeApp } from '../../server/src/test/fakes/api-app.js';
import {
  GRAPH_VERSION,
  META_TOKEN,
  PAGE_ID,
  PHONE_NUMBER_ID,
  messengerEvents,
  metaWebhook,
  startFakeGraph,
  whatsappExample,
} from '../../server/src/test/fakes/meta.js';
import { postWebhook, type FakeProvider, type WebhookCall } from '../../server/src/test/fakes/provider.js';
import {
  BIG_TOKEN,
  VIBER_TOKEN,
  startFakeViber,
  viberCallback,
  viberEvents,
  viberWebhook,
} from '../../server/src/test/fakes/viber.js';
import {
  VK_CONFIRMATION,
  VK_GROUP,
  VK_SECRET,
  VK_TOKEN,
  startFakeVk,
  vkEvents,
  type FakeVk,
} from '../../server/src/test/fakes/vk.js';
import { waitFor } from '../../server/src/test/webhook-receiver.js';
import { SCREENSHOTS_DIR, launchBrowser } from '../support/browser.js';
import { startServer, type RunningServer } from '../support/server.js';
import { StaffApi } from '../support/staff-api.js';
import { openAs, openConversation, type Person } from '../support/workspace.js';

const POLL = { timeout: 20_000, interval: 200 };
const META_APP_SECRET = 'meta-app-secret';

let server: RunningServer;
let browser: Browser;
let graph: FakeProvider;
let viber: FakeProvider;
let vk: FakeVk;
let admin: StaffApi;
let operator: Person;
const fakes: FakeProvider[] = [];

beforeAll(async () => {
  mkdirSync(SCREENSHOTS_DIR, { recursive: true });
  [server, browser, graph, viber, vk] = await Promise.all([
    startServer(),
    launchBrowser(),
    startFakeGraph(),
    startFakeViber(),
    startFakeVk(),
  ]);
  fakes.push(graph, viber, vk);
  [admin, operator] = await Promise.all([
    StaffApi.logIn(browser, server.url, server.logins.admin),
    openAs(browser, server, server.logins.operator),
  ]);
  const online = operator.page.waitForResponse(
    (r) => r.url().endsWith('/api/me/presence') && r.request().method() === 'PUT',
  );
  await operator.page.locator('#presence').selectOption('online');
  await online;
}, 90_000);
afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await Promise.all(fakes.map((fake) => fake.close()));
});

interface RoundTrip {
  kind: ChannelAccount['kind'];
  config: Record<string, string>;
  secrets: Record<string, string>;
  /** The provider's signed delivery of the customer's `text`. */
  inbound: (text: string) => WebhookCall;
  text: string;
  answer: string;
}

/** Connects the channel through the REST API, then {@link answerInWorkspace}. */
async function roundTrip(trip: RoundTrip): Promise<{ account: ChannelAccount; delivered: Response }> {
  const { kind, config, secrets } = trip;
  const account = await admin.call<ChannelAccount>('POST', '/api/channels', {
    kind,
    name: `${kind} e2e`,
    config,
    secrets,
  });
  const delivered = await answerInWorkspace(
    kind,
    account.webhookUrl,
    trip.inbound(trip.text),
    trip.text,
    trip.answer,
  );
  return { account, delivered };
}

/**
 * The provider delivers `call` to the webhook; the operator opens the conversation showing `text`,
 * checks the channel's mark, and answers `answer` in the composer. Resolves once the workspace
 * shows the answer as sent through the channel.
 */
async function answerInWorkspace(
  kind: ChannelAccount['kind'],
  webhookUrl: string,
  call: WebhookCall,
  text: string,
  answer: string,
): Promise<Response> {
  const delivered = await postWebhook(webhookUrl, call);
  expect(delivered.status).toBe(200);
  const page = operator.page;
  await openConversation(page, 'mine', text);
  const row = page.getByTestId('conversation-row').filter({ hasText: text });
  await expect(row.locator(`[data-channel="${kind}"]`).first().isVisible()).resolves.toBe(true);
  await page.getByTestId('composer').fill(answer);
  await page.getByTestId('composer').press('Enter');
  await page
    .getByTestId('message')
    .filter({ hasText: answer })
    .locator('[data-testid="channel-delivery"][data-state="sent"]')
    .waitFor({ timeout: 20_000 });
  return delivered;
}

describe('messenger channels in the workspace', { timeout: 120_000 }, () => {
  it('WhatsApp: a Cloud API text message is answered with a Graph API text message', async () => {
    const answer = 'Да, синяя есть на складе.';
    const { account } = await roundTrip({
      kind: 'whatsapp',
      config: { phoneNumberId: PHONE_NUMBER_ID, graphOrigin: graph.url },
      secrets: { accessToken: META_TOKEN, appSecret: META_APP_SECRET, verifyToken: 'wa-verify-e2e' },
      inbound: (text) => metaWebhook(META_APP_SECRET, whatsappExample('Text Message', 'wamid.E2E1=', text)),
      text: 'Есть ли эта модель в синем цвете?',
      answer,
    });
    const sent = graph.calls(`/${GRAPH_VERSION}/${PHONE_NUMBER_ID}/messages`).map((r) => r.body);
    expect(sent).toContainEqual(
      expect.objectContaining({
        messaging_product: 'whatsapp',
        to: '16505551234',
        type: 'text',
        text: expect.objectContaining({ body: answer }) as unknown,
      }),
    );

    // A place and a contact card from WhatsApp carry no text: the operator still sees what came.
    for (const [example, id] of [
      ['Location Message', 'wamid.E2E2='],
      ['Contact Sharing Message', 'wamid.E2E3='],
    ] as const)
      expect(
        (await postWebhook(account.webhookUrl, metaWebhook(META_APP_SECRET, whatsappExample(example, id))))
          .status,
      ).toBe(200);
    const theirs = operator.page.locator('[data-testid="message"].theirs');
    await expect
      .poll(() => theirs.getByTestId('shared-location').textContent(), POLL)
      .toContain('Philz Coffee, 101 Forest Ave, Palo Alto, CA 94301');
    await expect
      .poll(() => theirs.getByTestId('shared-contact').textContent(), POLL)
      .toContain('Lucía Gómez · +1 (983) 555-2319');
  });

  it('Viber: a REST Bot API callback is answered with send_message', async () => {
    const answer = 'Да, курьер принимает карты.';
    await roundTrip({
      kind: 'viber',
      config: { apiBase: `${viber.url}/pa`, senderName: 'Test Shop' },
      secrets: { authToken: VIBER_TOKEN },
      inbound: (text) =>
        viberWebhook(viberCallback(viberEvents.text(text, 'e2eViberUser=='), BIG_TOKEN + 7n)),
      text: 'Можно оплатить заказ картой при получении?',
      answer,
    });
    const sent = viber.calls('/pa/send_message');
    expect(sent.map((r) => r.body)).toContainEqual(
      expect.objectContaining({
        receiver: 'e2eViberUser==',
        type: 'text',
        text: answer,
        sender: expect.objectContaining({ name: 'Test Shop' }) as unknown,
      }),
    );
    expect(sent.at(-1)?.headers['x-viber-auth-token']).toBe(VIBER_TOKEN);
  });

  it('VK: a Callback API message_new is answered with messages.send and a random_id', async () => {
    const answer = 'Пункт выдачи открыт с 10 утра.';
    const { delivered } = await roundTrip({
      kind: 'vk',
      config: { groupId: String(VK_GROUP), apiBase: vk.url },
      // VK signs nothing: the callback secret travels in the body.
      secrets: { accessToken: VK_TOKEN, secret: VK_SECRET, confirmation: VK_CONFIRMATION },
      inbound: (text) => ({
        body: JSON.stringify(vkEvents.messageNew('e2e-ev-1', 345678, { text })),
        headers: {},
      }),
      text: 'Здравствуйте, когда откроется пункт выдачи?',
      answer,
    });
    expect(await delivered.text()).toBe('ok');
    const sent = vk.delivered().find((b) => b.message === answer);
    expect(sent).toMatchObject({ peer_id: '345678', access_token: VK_TOKEN, v: '5.199' });
    expect(Number(sent?.random_id)).not.toBeNaN();
    expect(Number(sent?.random_id)).not.toBe(0);
  });

  it('Messenger: a page webhook message is answered through the Send API', async () => {
    const answer = 'На рост 180 подойдёт размер L.';
    await roundTrip({
      kind: 'messenger',
      config: { pageId: PAGE_ID, graphOrigin: graph.url },
      secrets: { pageAccessToken: META_TOKEN, appSecret: META_APP_SECRET, verifyToken: 'fb-verify-e2e' },
      inbound: (text) =>
        metaWebhook(
          META_APP_SECRET,
          messengerEvents.envelope(messengerEvents.text('m_e2e_1', text, '7654321098')),
        ),
      text: 'Подскажите размер куртки на рост 180',
      answer,
    });
    expect(graph.calls(`/${GRAPH_VERSION}/me/messages`).map((r) => r.body)).toContainEqual(
      expect.objectContaining({
        recipient: { id: '7654321098' },
        messaging_type: 'RESPONSE',
        message: expect.objectContaining({ text: answer }) as unknown,
      }),
    );
  });

  it('API channel: connected on the Channels page, signed both ways, and takes a button press', async () => {
    const page = (await openAs(browser, server, server.logins.admin)).page;
    await page.goto(`${server.url}/admin/channels`);
    await page.getByTestId('channel-kind').selectOption('api');
    const secret = await page.locator('input[name="signingSecret"]').inputValue();
    expect(secret).toMatch(/^[0-9a-f]{48}$/);
    // The company's app knows the secret the page generated, and refuses anything not signed with it.
    const app = await startFakeApp(secret);
    fakes.push(app);
    await page.locator('input[name="webhookUrl"]').fill(`${app.url}/hooks`);
    await page.locator('form button[type="submit"]').click();
    const card = page.locator('[data-testid="channel-card"][data-kind="api"]');
    await card.waitFor();
    await card.getByRole('button', { name: /проверить подключение|test connection/i }).click();
    await expect
      .poll(() => card.getByTestId('channel-test-result').textContent(), POLL)
      .toContain('HTTP 200');
    expect(app.calls('/hooks').at(-1)?.body).toEqual({ type: 'ping' });
    const webhookUrl = (await card.getByTestId('webhook-url').textContent()) ?? '';
    expect(await page.content()).not.toContain(secret);
    await page.context().close();

    const text = 'Пишу из мобильного приложения: как сменить адрес доставки?';
    const answer = 'Адрес можно сменить в профиле.';
    const message = (id: string, fields: Record<string, unknown>) =>
      appWebhook({ type: 'message', id, user: { id: 'app-user-42', name: 'Ирина' }, ...fields }, secret);
    await answerInWorkspace('api', webhookUrl, message('app-msg-1', { text }), text, answer);
    const reply = app.calls('/hooks').find((r) => r.body.text === answer);
    // The fake app answered 200, so the signature over these very bytes checked out.
    expect(reply?.answer).toEqual({ received: true });
    expect(reply?.body).toMatchObject({ type: 'message', to: 'app-user-42', text: answer });

    // Buttons go to the app with payloads; a press coming back shows the label the person chose.
    const conversation = await admin.waitForConversation((c) => c.channel === 'api');
    const menu = await admin.reply(conversation.id, {
      text: 'Выберите адрес',
      buttons: [
        { id: 'home', label: 'Домашний' },
        { id: 'work', label: 'Рабочий' },
      ],
    });
    const sent = await waitFor(() => app.calls('/hooks').find((r) => r.body.id === menu.id), 20_000);
    const buttons = sent.body.buttons as { label: string; payload: string }[];
    expect(buttons.map((b) => b.label)).toEqual(['Домашний', 'Рабочий']);
    const offered = operator.page
      .getByTestId('message')
      .filter({ hasText: 'Выберите адрес' })
      .getByTestId('message-buttons');
    await expect.poll(() => offered.locator('li').allTextContents(), POLL).toEqual(['Домашний', 'Рабочий']);
    const press = await postWebhook(webhookUrl, message('app-msg-2', { buttonPayload: buttons[1]!.payload }));
    expect(press.status).toBe(200);
    const pressed = operator.page
      .getByTestId('message')
      .filter({ hasText: 'Рабочий' })
      .and(operator.page.locator('.theirs'));
    await pressed.waitFor({ timeout: 20_000 });
    await expect(pressed.getByTestId('button-reply').isVisible()).resolves.toBe(true);
    const stored = (await admin.messages(conversation.id)).find((m) => m.replyTo?.messageId === menu.id);
    expect(stored).toMatchObject({ text: 'Рабочий', replyTo: { buttonId: 'work' } });
    await operator.page.screenshot({ path: path.join(SCREENSHOTS_DIR, 'channels-api-inbox.png') });
  });
});
