// Answer drafts against a fake OpenAI-compatible server: off until an admin sets them up, the
// key sealed and never shown, the articles and the conversation sent with the key as a Bearer
// token, the draft and its citations returned, and every provider failure a clear, quick error.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AnswerDraft, AnswerDraftSettings, ErrorBody, MessagePage } from '@frontline/protocol';
import { createWorkspace, login, visitorConversation, type StaffClient } from '../../test/factories.js';
import { MODEL_API_KEY, startFakeModel, type FakeModel } from '../../test/fake-openai.js';
import { startTestServer, type TestServer } from '../../test/harness.js';

const DRAFTS_PER_MINUTE = 20;

let server: TestServer;
let model: FakeModel;
let admin: StaffClient;
let operator: StaffClient;
let widgetKey: string;
let deliveryArticle: string;
let conversationId: string;

const settingsFor = (patch: Record<string, unknown> = {}) => ({
  enabled: true,
  baseUrl: model.baseUrl,
  model: 'support-model',
  apiKey: MODEL_API_KEY,
  timeoutMs: 5000,
  ...patch,
});
const askDraft = (client: StaffClient, id = conversationId) =>
  client.request('POST', `/api/conversations/${id}/answer-draft`);
const messageOf = async (response: Response) => ((await response.json()) as ErrorBody).error.message;

beforeAll(async () => {
  [server, model] = await Promise.all([
    startTestServer({ LOG_LEVEL: 'error', RATE_LIMIT_DRAFTS_PER_MINUTE: String(DRAFTS_PER_MINUTE) }),
    startFakeModel(),
  ]);
  const workspace = await createWorkspace(server);
  widgetKey = workspace.widgetKey;
  admin = await login(server, workspace.admin);
  operator = await login(server, workspace.operator);
  const article = (locale: string, title: string, body: string) =>
    admin.json<{ id: string }>('POST', '/api/knowledge/articles', { locale, title, body, published: true });
  deliveryArticle = (
    await article('en', 'Delivery times', 'Parcels arrive within 3 working days after dispatch.')
  ).id;
  await article('en', 'Refunds', 'Money is returned to the card within 10 days of the return.');
  await article('ru', 'Сроки доставки', 'Посылка приходит за 3 рабочих дня после отправки.');
  conversationId = (await visitorConversation(server, widgetKey, 'When will my parcel arrive?')).conversation
    .id;
}, 60_000);
afterAll(async () => {
  await model.close();
  await server.close();
});

describe('answer drafts', () => {
  it('are off by default: the setting says so and a draft is refused without calling out', async () => {
    const settings = await admin.json<AnswerDraftSettings>('GET', '/api/settings/answer-drafts');
    expect(settings).toMatchObject({ enabled: false, apiKeySet: false, baseUrl: '', model: '' });
    expect(await operator.json('GET', '/api/answer-drafts/status')).toEqual({ enabled: false });
    const refused = await askDraft(operator);
    expect(refused.status).toBe(409);
    expect(await messageOf(refused)).toMatch(/off in this workspace.*admin can turn them on/);
    expect(model.requests).toEqual([]);
  });

  it('cannot be turned on without an address and a model, and only admins see the setting', async () => {
    const missing = await admin.request('PUT', '/api/settings/answer-drafts', {
      enabled: true,
      baseUrl: '',
      model: '',
    });
    expect(missing.status).toBe(400);
    expect(await messageOf(missing)).toMatch(/API address and the model name/);
    expect((await operator.request('GET', '/api/settings/answer-drafts')).status).toBe(403);
    expect((await operator.request('PUT', '/api/settings/answer-drafts', settingsFor())).status).toBe(403);
  });

  it('keep the API key sealed and never show it after saving', async () => {
    const saveResponse = await admin.request('PUT', '/api/settings/answer-drafts', settingsFor());
    const saved = await saveResponse.text();
    expect(saveResponse.status).toBe(200);
    expect(saved).not.toContain(MODEL_API_KEY);
    expect(JSON.parse(saved)).toMatchObject({ enabled: true, apiKeySet: true, model: 'support-model' });
    const read = await (await admin.request('GET', '/api/settings/answer-drafts')).text();
    expect(read).not.toContain(MODEL_API_KEY);
    const row = await server.app.storage.db
      .selectFrom('answer_draft_settings')
      .select('api_key')
      .executeTakeFirstOrThrow();
    expect(row.api_key).toMatch(/^v1:/);
    expect(row.api_key).not.toContain(MODEL_API_KEY);
    expect(await operator.json('GET', '/api/answer-drafts/status')).toEqual({ enabled: true });
  });

  it('send the matching articles and the conversation with the key, and return the draft with its citations', async () => {
    model.requests.length = 0;
    model.reply = 'Parcels arrive within 3 working days [1]. See also [7].';
    const before = await operator.json<MessagePage>('GET', `/api/conversations/${conversationId}/messages`);
    const draft = await operator.json<AnswerDraft>(
      'POST',
      `/api/conversations/${conversationId}/answer-draft`,
    );

    expect(draft.text).toBe(model.reply);
    expect(draft.forMessageId).toBe(before.items.at(-1)?.id);
    // [7] names no article sent: it is not a citation.
    expect(draft.citations).toEqual([{ n: 1, articleId: deliveryArticle, title: 'Delivery times' }]);

    const [received] = model.requests;
    expect(received?.path).toBe('/v1/chat/completions');
    expect(received?.authorization).toBe(`Bearer ${MODEL_API_KEY}`);
    expect(received?.body.model).toBe('support-model');
    const prompt = received?.body.messages.map((m) => m.content).join('\n') ?? '';
    expect(prompt).toContain('[1] Delivery times\nParcels arrive within 3 working days after dispatch.');
    expect(prompt).toContain('Customer: When will my parcel arrive?');
    expect(prompt).toMatch(/Cite the articles.*\[1\]/);
    expect(prompt).not.toContain('Сроки доставки');
    // A draft is for the composer only: nothing was sent to the visitor.
    const after = await operator.json<MessagePage>('GET', `/api/conversations/${conversationId}/messages`);
    expect(after.lastSeq).toBe(before.lastSeq);
  });

  it("draft from articles in the visitor's language", async () => {
    model.requests.length = 0;
    const { conversation } = await visitorConversation(server, widgetKey, 'Когда придёт моя посылка?');
    await operator.json<AnswerDraft>('POST', `/api/conversations/${conversation.id}/answer-draft`);
    const prompt = model.requests[0]?.body.messages.map((m) => m.content).join('\n') ?? '';
    expect(prompt).toContain('[1] Сроки доставки');
    expect(prompt).toContain('Customer: Когда придёт моя посылка?');
  });

  it('refuse a conversation the visitor has not written in, or whose words match no article', async () => {
    const silent = (await visitorConversation(server, widgetKey)).conversation.id;
    const unmatched = (await visitorConversation(server, widgetKey, 'xyzzy plugh')).conversation.id;
    const calls = model.requests.length;
    const none = await askDraft(operator, silent);
    expect(none.status).toBe(409);
    expect(await messageOf(none)).toMatch(/not written yet/);
    const nothing = await askDraft(operator, unmatched);
    expect(nothing.status).toBe(409);
    expect(await messageOf(nothing)).toMatch(/No published knowledge article matches/);
    expect(model.requests.length).toBe(calls);
  });

  it('say so clearly when the provider fails, refuses the key or does not answer in time', async () => {
    model.failWith = 500;
    const failed = await askDraft(operator);
    expect(failed.status).toBe(503);
    expect(await messageOf(failed)).toMatch(
      /answered HTTP 500 \(The server had an error.*\); try again later/,
    );
    model.failWith = null;

    await admin.json('PUT', '/api/settings/answer-drafts', settingsFor({ timeoutMs: 1000 }));
    model.delayMs = 4000;
    const started = Date.now();
    const slow = await askDraft(operator);
    model.delayMs = 0;
    expect(slow.status).toBe(503);
    expect(await messageOf(slow)).toMatch(/did not answer within 1000 ms/);
    expect(Date.now() - started).toBeLessThan(3000);

    // Saving without a key keeps the stored one; an empty key removes it.
    await admin.json('PUT', '/api/settings/answer-drafts', settingsFor({ apiKey: undefined }));
    expect((await askDraft(operator)).status).toBe(200);
    const cleared = await admin.json<AnswerDraftSettings>(
      'PUT',
      '/api/settings/answer-drafts',
      settingsFor({ apiKey: '' }),
    );
    expect(cleared.apiKeySet).toBe(false);
    const unauthorised = await askDraft(operator);
    expect(unauthorised.status).toBe(503);
    expect(model.requests.at(-1)?.authorization).toBeUndefined();
    expect(await messageOf(unauthorised)).toMatch(
      /HTTP 401 \(Incorrect API key provided\); ask an admin to check the API key/,
    );

    await admin.json('PUT', '/api/settings/answer-drafts', settingsFor({ baseUrl: 'http://127.0.0.1:9/v1' }));
    const unreachable = await askDraft(operator);
    expect(unreachable.status).toBe(503);
    expect(await messageOf(unreachable)).toMatch(/could not be reached; ask an admin to check its address/);
    await admin.json('PUT', '/api/settings/answer-drafts', settingsFor());
  });

  it('are limited per operator', async () => {
    const second = await login(server, (await createWorkspace(server)).admin);
    expect((await askDraft(second)).status).toBe(404);
    let status = 200;
    let asked = 0;
    while (status === 200 && asked <= DRAFTS_PER_MINUTE + 1) {
      status = (await askDraft(admin)).status;
      asked += 1;
    }
    expect(status).toBe(429);
    expect(asked).toBeLessThanOrEqual(DRAFTS_PER_MINUTE + 1);
    // Another operator of the same workspace still has a budget of their own.
    expect((await askDraft(operator)).status).toBe(200);
  });
});

describe('answer drafts under OUTBOUND_URLS=public-only', () => {
  it('do not call a model on the local network, and say which setting refused it', async () => {
    const guarded = await startTestServer({ LOG_LEVEL: 'error', OUTBOUND_URLS: 'public-only' });
    try {
      const workspace = await createWorkspace(guarded);
      const guardedAdmin = await login(guarded, workspace.admin);
      await guardedAdmin.json('POST', '/api/knowledge/articles', {
        locale: 'en',
        title: 'Delivery times',
        body: 'Parcels arrive within 3 working days.',
      });
      await guardedAdmin.json('PUT', '/api/settings/answer-drafts', settingsFor());
      const { conversation } = await visitorConversation(
        guarded,
        workspace.widgetKey,
        'When will my parcel arrive?',
      );
      const calls = model.requests.length;
      const refused = await askDraft(guardedAdmin, conversation.id);
      expect(refused.status).toBe(503);
      expect(await messageOf(refused)).toMatch(
        /was not called: Refused to connect to 127\.0\.0\.1.*OUTBOUND_URLS=public-only/,
      );
      expect(model.requests.length).toBe(calls);
    } finally {
      await guarded.close();
    }
  });
});
