// The knowledge base's visitor side over real HTTP, on both databases: the widget's public search
// and article view by widget key (published articles only, the visitor's language, safe HTML),
// the help-centre pages, the address's rate limit, and "did this help?" under the assistant's
// knowledge answers: recorded once per answer, counted for admins, a "no" bringing in a person.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  KNOWLEDGE_FEEDBACK_BUTTONS,
  type Conversation,
  type HelpArticle,
  type HelpCategory,
  type IntentModelVersion,
  type KnowledgeArticle,
  type KnowledgeFeedbackCount,
  type KnowledgeHit,
  type Message,
  type MessagePage,
} from '@frontline/protocol';
import {
  clientId,
  createWorkspace,
  login,
  visitorConversation,
  type StaffClient,
  type TestWorkspace,
} from '../../test/factories.js';
import { startTestServer, type TestServer } from '../../test/harness.js';
import { waitFor } from '../../test/webhook-receiver.js';

let server: TestServer;
let workspace: TestWorkspace;
let other: TestWorkspace;
let admin: StaffClient;
let otherAdmin: StaffClient;
let refunds: KnowledgeArticle;
let refundsEn: KnowledgeArticle;
let draft: KnowledgeArticle;
let foreign: KnowledgeArticle;

const get = (route: string) => fetch(server.url + route);
const json = async <T>(route: string): Promise<T> => {
  const response = await get(route);
  expect(response.status, `${route}: ${await response.clone().text()}`).toBe(200);
  return (await response.json()) as T;
};
const search = (key: string, q: string, locale?: string) =>
  json<KnowledgeHit[]>(
    `/api/help/${key}/search?q=${encodeURIComponent(q)}${locale ? `&locale=${locale}` : ''}`,
  );

/** `read` again until `done` says yes (jobs run after commit, within the runner's poll). */
const until = <T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 20_000) =>
  waitFor(async () => {
    const value = await read();
    return done(value) ? value : undefined;
  }, timeoutMs);

beforeAll(async () => {
  server = await startTestServer();
  workspace = await createWorkspace(server);
  other = await createWorkspace(server);
  admin = await login(server, workspace.admin);
  otherAdmin = await login(server, other.admin);
  refunds = await admin.json<KnowledgeArticle>('POST', '/api/knowledge/articles', {
    locale: 'ru',
    category: 'Оплата',
    title: 'Как вернуть деньги за заказ',
    body: 'Возврат денег оформляется в личном кабинете: **Заказы → Вернуть**.\n\n<script>alert(1)</script>\n\n[плохая ссылка](javascript:alert(1)) и [справка](https://example.com/help)',
  });
  refundsEn = await admin.json<KnowledgeArticle>('POST', '/api/knowledge/articles', {
    locale: 'en',
    category: 'Payments',
    title: 'How to get a refund',
    body: 'Refunds are made in your account: Orders, then Refund.',
  });
  draft = await admin.json<KnowledgeArticle>('POST', '/api/knowledge/articles', {
    locale: 'ru',
    category: 'Оплата',
    title: 'Возврат денег: черновик',
    body: 'Возврат денег по новым правилам, ещё не опубликовано.',
    published: false,
  });
  foreign = await otherAdmin.json<KnowledgeArticle>('POST', '/api/knowledge/articles', {
    locale: 'ru',
    category: 'Чужое',
    title: 'Возврат денег в другой компании',
    body: 'Возврат денег в другой компании.',
  });
});
afterAll(() => server.close());

describe('public knowledge base by widget key', () => {
  it('searches only the published articles of this workspace, in the visitor’s language', async () => {
    const hits = await search(workspace.widgetKey, 'возврат денег', 'ru');
    expect(hits.map((h) => h.id)).toEqual([refunds.id]);
    expect(hits[0]?.snippet).toContain('Возврат денег');
    expect((await search(workspace.widgetKey, 'refund', 'en')).map((h) => h.id)).toEqual([refundsEn.id]);
    const anyLanguage = (await search(workspace.widgetKey, 'возврат денег refund')).map((h) => h.id);
    expect(anyLanguage.sort()).toEqual([refunds.id, refundsEn.id].sort());
    expect((await search(other.widgetKey, 'возврат денег', 'ru')).map((h) => h.id)).toEqual([foreign.id]);
  });

  it('reads a published article as safe HTML and nothing else', async () => {
    const article = await json<HelpArticle>(`/api/help/${workspace.widgetKey}/articles/${refunds.id}`);
    expect(article).toMatchObject({ id: refunds.id, title: refunds.title, category: 'Оплата' });
    expect(article.html).toContain('<strong>Заказы → Вернуть</strong>');
    expect(article.html).not.toContain('<script>');
    expect(article.html).toContain('&lt;script&gt;');
    expect(article.html).not.toContain('href="javascript:');
    expect(article.html).toContain(
      'href="https://example.com/help" target="_blank" rel="noopener noreferrer nofollow"',
    );
    for (const id of [draft.id, foreign.id]) {
      const hidden = await get(`/api/help/${workspace.widgetKey}/articles/${id}`);
      expect(hidden.status).toBe(404);
    }
  });

  it('lists categories with their published titles', async () => {
    const ru = await json<HelpCategory[]>(`/api/help/${workspace.widgetKey}/categories?locale=ru`);
    expect(ru).toEqual([{ name: 'Оплата', articles: [{ id: refunds.id, title: refunds.title }] }]);
    const all = await json<HelpCategory[]>(`/api/help/${workspace.widgetKey}/categories`);
    expect(all.map((c) => c.name).sort()).toEqual(['Payments', 'Оплата']);
  });

  it('refuses an unknown key and bad queries with clear errors', async () => {
    const unknown = await get('/api/help/no-such-key/search?q=refund');
    expect(unknown.status).toBe(404);
    expect(await unknown.text()).toContain('widget key');
    const empty = await get(`/api/help/${workspace.widgetKey}/search?q=%20`);
    expect(empty.status).toBe(400);
    expect(await empty.text()).toContain('Type what to search for');
    expect((await get(`/api/help/${workspace.widgetKey}/search?q=x&locale=de`)).status).toBe(400);
    expect((await get(`/api/help/${workspace.widgetKey}/articles/not-an-id`)).status).toBe(400);
  });
});

describe('help-centre pages', () => {
  it('show the categories, search results and linkable articles, in the chosen language', async () => {
    const home = await get(`/help/${workspace.widgetKey}?locale=ru`);
    expect(home.status).toBe(200);
    expect(home.headers.get('content-type')).toContain('text/html');
    expect(home.headers.get('content-security-policy')).toContain("default-src 'none'");
    const page = await home.text();
    expect(page).toContain('<html lang="ru">');
    expect(page).toContain('Справочный центр');
    expect(page).toContain(`/help/${workspace.widgetKey}/articles/${refunds.id}`);
    expect(page).not.toContain(draft.title);
    expect(page).not.toContain(refundsEn.title);

    // The workspace's own language (English here) without a choice.
    const english = await (await get(`/help/${workspace.widgetKey}`)).text();
    expect(english).toContain('Help centre');
    expect(english).toContain(refundsEn.title);

    const results = await (
      await get(`/help/${workspace.widgetKey}?locale=ru&q=${encodeURIComponent('<b>возврат денег')}`)
    ).text();
    expect(results).toContain('Результаты поиска');
    expect(results).toContain(refunds.title);
    expect(results).toContain('value="&lt;b&gt;возврат денег"');
    expect(results).not.toContain(draft.title);

    const article = await get(`/help/${workspace.widgetKey}/articles/${refunds.id}`);
    expect(article.status).toBe(200);
    const body = await article.text();
    expect(body).toContain('<html lang="ru">');
    expect(body).toContain('<strong>Заказы → Вернуть</strong>');
    expect(body).not.toContain('<script>');
    expect((await get(`/help/${workspace.widgetKey}/articles/${draft.id}`)).status).toBe(404);
    expect((await get(`/help/${other.widgetKey}/articles/${refunds.id}`)).status).toBe(404);
  });
});

describe('rate limit', () => {
  it('refuses an address past RATE_LIMIT_HELP_PER_MINUTE with 429 and Retry-After', async () => {
    const limited = await startTestServer({ RATE_LIMIT_HELP_PER_MINUTE: '3' });
    try {
      const key = (await createWorkspace(limited)).widgetKey;
      const routes = [`/api/help/${key}/search?q=refund`, `/api/help/${key}/categories`, `/help/${key}`];
      for (const route of routes) expect((await fetch(limited.url + route)).status).toBe(200);
      const refused = await fetch(`${limited.url}/help/${key}?q=refund`);
      expect(refused.status).toBe(429);
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(await refused.text()).toContain('wait a minute');
    } finally {
      await limited.close();
    }
  });
});

describe('"did this help?" under a knowledge answer', () => {
  const EVAL_SET = readFileSync(
    new URL('../../../../packages/nlu/eval/ru-support-intents.tsv', import.meta.url),
    'utf8',
  )
    .split('\n')
    .filter((line) => line.includes('\t'))
    .map((line) => line.split('\t') as [string, string]);
  const examples = (intent: string) =>
    EVAL_SET.filter(([name]) => name === intent).map(([, text]) => ({ locale: 'ru' as const, text }));
  const QUESTION = 'Как вернуть деньги за заказ?';

  beforeAll(async () => {
    await admin.json('POST', '/api/intents', {
      name: 'billing',
      action: 'knowledge',
      examples: [...examples('billing_payment'), { locale: 'ru', text: QUESTION }],
    });
    await admin.json('POST', '/api/intents', {
      name: 'install',
      action: 'none',
      examples: examples('widget_install'),
    });
    const version = await admin.json<IntentModelVersion>('POST', '/api/intents/models');
    await until(
      () => admin.json<IntentModelVersion[]>('GET', '/api/intents/models'),
      (models) => models.find((m) => m.id === version.id)?.status === 'ready',
    );
    await admin.json('POST', `/api/intents/models/${version.id}/activate`);
  });

  const messages = (visitor: { request: (m: string, r: string) => Promise<Response> }, id: string) =>
    visitor
      .request('GET', `/api/widget/conversations/${id}/messages`)
      .then((r) => r.json() as Promise<MessagePage>)
      .then((page) => page.items);

  async function answered(): Promise<{
    visitor: Awaited<ReturnType<typeof visitorConversation>>['visitor'];
    conversation: Conversation;
    answer: Message;
  }> {
    const { visitor, conversation } = await visitorConversation(server, workspace.widgetKey, QUESTION);
    const items = await until(
      () => messages(visitor, conversation.id),
      (list) => list.some((m) => m.author.type === 'bot'),
    );
    const answer = items.find((m) => m.author.type === 'bot');
    if (!answer) throw new Error('no answer');
    return { visitor, conversation, answer };
  }

  const press = (
    visitor: { request: (m: string, r: string, b?: unknown) => Promise<Response> },
    conversationId: string,
    messageId: string,
    buttonId: string,
    text = '',
  ) =>
    visitor.request('POST', `/api/widget/conversations/${conversationId}/messages`, {
      clientMsgId: clientId(),
      text,
      replyTo: { messageId, buttonId },
    });

  const answerRow = (messageId: string) =>
    server.app.storage.db
      .selectFrom('knowledge_answers')
      .selectAll()
      .where('message_id', '=', messageId)
      .executeTakeFirstOrThrow();

  it('asks under the answer, records a "yes" once, and counts it for admins', async () => {
    const { visitor, conversation, answer } = await answered();
    expect(answer.text).toContain(refunds.title);
    expect(answer.buttons.map((b) => [b.id, b.label])).toEqual([
      [KNOWLEDGE_FEEDBACK_BUTTONS.helpful, 'Помогло'],
      [KNOWLEDGE_FEEDBACK_BUTTONS.notHelpful, 'Не помогло, нужен человек'],
    ]);
    expect(
      (await press(visitor, conversation.id, answer.id, KNOWLEDGE_FEEDBACK_BUTTONS.helpful)).status,
    ).toBe(201);
    await until(
      () => answerRow(answer.id),
      (row) => row.helpful === 1,
    );
    // A second press changes nothing: the first judgement stands.
    await press(visitor, conversation.id, answer.id, KNOWLEDGE_FEEDBACK_BUTTONS.notHelpful);
    await new Promise((r) => setTimeout(r, 500));
    expect((await answerRow(answer.id)).helpful).toBe(1);
    expect((await messages(visitor, conversation.id)).filter((m) => m.author.type === 'bot')).toHaveLength(1);
    const counts = await admin.json<KnowledgeFeedbackCount[]>('GET', '/api/knowledge/feedback');
    expect(counts).toContainEqual({ articleId: refunds.id, answered: 1, helpful: 1, notHelpful: 0 });
    expect(await otherAdmin.json<KnowledgeFeedbackCount[]>('GET', '/api/knowledge/feedback')).toEqual([]);
  });

  it('a "no" is recorded and the conversation waits in the queue for a person, who is told', async () => {
    const { visitor, conversation, answer } = await answered();
    expect(
      (await press(visitor, conversation.id, answer.id, KNOWLEDGE_FEEDBACK_BUTTONS.notHelpful)).status,
    ).toBe(201);
    const items = await until(
      () => messages(visitor, conversation.id),
      (list) => list.filter((m) => m.author.type === 'bot').length === 2,
    );
    expect(items.at(-1)?.text).toContain('Передаю ваш вопрос оператору');
    expect((await answerRow(answer.id)).helpful).toBe(0);
    const events = await server.app.storage.db
      .selectFrom('conversation_events')
      .select(['type', 'data'])
      .where('conversation_id', '=', conversation.id)
      .where('type', '=', 'knowledge_feedback')
      .execute();
    expect(events.map((e) => JSON.parse(e.data) as unknown)).toEqual([
      { messageId: answer.id, helpful: false },
    ]);
    const now = await admin.json<Conversation>('GET', `/api/conversations/${conversation.id}`);
    expect(now.status).toBe('queued');
    const counts = await admin.json<KnowledgeFeedbackCount[]>('GET', '/api/knowledge/feedback');
    expect(counts).toContainEqual({ articleId: refunds.id, answered: 2, helpful: 1, notHelpful: 1 });
  });

  it('ignores a press on a message that was no knowledge answer', async () => {
    const { visitor, conversation, answer } = await answered();
    const visitorMessage = (await messages(visitor, conversation.id)).find(
      (m) => m.author.type === 'visitor',
    );
    if (!visitorMessage) throw new Error('no visitor message');
    // A forged reply to the visitor's own message: no button of that id, nothing recorded.
    const forged = await press(
      visitor,
      conversation.id,
      visitorMessage.id,
      KNOWLEDGE_FEEDBACK_BUTTONS.notHelpful,
      'Не помогло',
    );
    expect(forged.status).toBe(201);
    await new Promise((r) => setTimeout(r, 500));
    expect((await answerRow(answer.id)).helpful).toBeNull();
    expect((await messages(visitor, conversation.id)).filter((m) => m.author.type === 'bot')).toHaveLength(1);
  });
});
