// Language understanding over real HTTP and sockets, on both databases: intents kept by admins,
// a model trained in a worker thread with its report, switched on and rolled back; the first
// visitor message routed to its intent's department or, when not for this business, answered
// politely and closed; upset visitors marked live; the knowledge base and reply suggestions.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  ClassifyResult,
  Conversation,
  ConversationInsight,
  Department,
  Intent,
  IntentCandidate,
  IntentModelVersion,
  KnowledgeArticle,
  KnowledgeFeedbackCount,
  KnowledgeHit,
  Message,
  MessagePage,
  NluSettings,
  ReplySuggestions,
} from '@frontline/protocol';
import {
  clientId,
  connected,
  createWorkspace,
  login,
  visitorConversation,
  type StaffClient,
  type TestWorkspace,
} from '../../test/factories.js';
import { botChat } from '../../test/bot-chat.js';
import { startTestServer, type TestServer } from '../../test/harness.js';

let server: TestServer;
let workspace: TestWorkspace;
let admin: StaffClient;
let operator: StaffClient;
let billing: Department;
let installation: Department;

/** The Russian support-intent evaluation set of packages/nlu: realistic phrasing, 38-40 per intent. */
const EVAL_SET = readFileSync(
  new URL('../../../../packages/nlu/eval/ru-support-intents.tsv', import.meta.url),
  'utf8',
)
  .split('\n')
  .slice(1)
  .filter((line) => line.includes('\t'))
  .map((line) => line.split('\t') as [string, string]);
const phrases = (intent: string) => EVAL_SET.filter(([name]) => name === intent).map(([, text]) => text);
const NON_TARGET_EN = [
  'do you sell laminate flooring',
  'how much is a kitchen renovation',
  'I need a plumber for my bathroom',
  'are your tomatoes fresh',
  'price of a keychain',
  'how much does linoleum cost',
];
const EXPLANATION = {
  ru: 'Вы написали в поддержку сервиса онлайн-чатов. Мы не продаём отделочные материалы — вернитесь на сайт магазина.',
  en: 'This is the support of an online chat service. We do not sell building materials; please go back to the store.',
};

const examples = (texts: string[]) =>
  texts.map((text) => ({ locale: /[а-я]/i.test(text) ? ('ru' as const) : ('en' as const), text }));

async function waitFor<T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline)
      throw new Error(`condition not met in ${timeoutMs} ms: ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const visitorWrites = (text: string) => visitorConversation(server, workspace.widgetKey, text);
const botMessages = async (conversationId: string) =>
  (await admin.json<MessagePage>('GET', `/api/conversations/${conversationId}/messages`)).items.filter(
    (m) => m.author.type === 'bot',
  );

const eventsOf = (conversationId: string) =>
  server.app.storage.db
    .selectFrom('conversation_events')
    .select(['type', 'actor_type', 'data'])
    .where('conversation_id', '=', conversationId)
    .orderBy('created_at')
    .execute();

let activeModel: IntentModelVersion;

beforeAll(async () => {
  server = await startTestServer();
  workspace = await createWorkspace(server);
  admin = await login(server, workspace.admin);
  operator = await login(server, workspace.operator);
  billing = await admin.json<Department>('POST', '/api/departments', { name: 'Billing' });
  installation = await admin.json<Department>('POST', '/api/departments', { name: 'Installation' });
});
afterAll(() => server.close());

describe('intents', () => {
  it('refuse bad input with a clear 400 and are for admins only', async () => {
    const noDepartment = await admin.request('POST', '/api/intents', { name: 'refund', action: 'route' });
    expect(noDepartment.status).toBe(400);
    expect(await noDepartment.text()).toContain('department');
    const unknownDepartment = await admin.request('POST', '/api/intents', {
      name: 'refund',
      action: 'route',
      departmentId: '00000000-0000-4000-8000-000000000000',
    });
    expect(unknownDepartment.status).toBe(400);
    expect(((await unknownDepartment.json()) as { error: { field: string } }).error.field).toBe(
      'departmentId',
    );
    const silentNonTarget = await admin.request('POST', '/api/intents', {
      name: 'spam',
      action: 'non_target',
    });
    expect(silentNonTarget.status).toBe(400);
    expect(await silentNonTarget.text()).toContain('explanation');
    const badAction = await admin.request('POST', '/api/intents', { name: 'x', action: 'dance' });
    expect(badAction.status).toBe(400);
    const emptyExample = await admin.request('POST', '/api/intents', {
      name: 'x',
      action: 'none',
      examples: [{ locale: 'ru', text: '  ' }],
    });
    expect(emptyExample.status).toBe(400);
    expect((await operator.request('POST', '/api/intents', { name: 'x', action: 'none' })).status).toBe(403);
    expect((await admin.request('POST', '/api/intents/models')).status).toBe(400);
  });

  it('are created, renamed only to free names, and trained in the background into a model with a report', async () => {
    const refund = await admin.json<Intent>('POST', '/api/intents', {
      name: 'billing',
      action: 'route',
      departmentId: billing.id,
      examples: examples(phrases('billing_payment')),
    });
    expect(refund.examples).toHaveLength(phrases('billing_payment').length);
    await admin.json<Intent>('POST', '/api/intents', {
      name: 'installation',
      action: 'route',
      departmentId: installation.id,
      examples: examples(phrases('widget_install')),
    });
    await admin.json<Intent>('POST', '/api/intents', {
      name: 'not our business',
      action: 'non_target',
      reply: EXPLANATION,
      examples: examples([...phrases('nontarget_goods'), ...NON_TARGET_EN]),
    });
    for (const other of ['account_access', 'operators_team', 'bug_report'])
      await admin.json<Intent>('POST', '/api/intents', {
        name: other,
        action: 'none',
        examples: examples(phrases(other)),
      });
    const taken = await admin.request('PATCH', `/api/intents/${refund.id}`, { name: 'not our business' });
    expect(taken.status).toBe(409);

    const started = await admin.request('POST', '/api/intents/models');
    expect(started.status).toBe(202);
    const version = (await started.json()) as IntentModelVersion;
    expect(version).toMatchObject({ version: 1, status: 'training', report: null });
    expect((await admin.request('POST', '/api/intents/models')).status).toBe(409);

    const [trained] = await waitFor(
      () => admin.json<IntentModelVersion[]>('GET', '/api/intents/models'),
      (models) => models[0]?.status !== 'training',
    );
    expect(trained?.error).toBeNull();
    expect(trained?.status).toBe('ready');
    expect(trained?.report?.perIntent.map((f) => f.label)).toEqual(
      expect.arrayContaining(['billing', 'installation', 'not our business']),
    );
    expect(trained?.report?.heldOutExamples).toBeGreaterThan(0);

    // Nothing is switched on until an admin says so.
    expect((await admin.request('POST', '/api/intents/classify', { text: 'где мой заказ' })).status).toBe(
      409,
    );
    activeModel = await admin.json<IntentModelVersion>('POST', `/api/intents/models/${version.id}/activate`);
    expect(activeModel.status).toBe('active');
    const classified = await admin.json<ClassifyResult>('POST', '/api/intents/classify', {
      text: 'подскажите, куда вставить код чата на сайте',
    });
    expect(classified).toMatchObject({ intent: 'installation', modelVersion: 1 });
    expect((await admin.request('POST', '/api/intents/classify', { text: '' })).status).toBe(400);
  });

  it('a second version can be switched on and rolled back', async () => {
    const second = await admin.json<IntentModelVersion>('POST', '/api/intents/models');
    await waitFor(
      () => admin.json<IntentModelVersion[]>('GET', '/api/intents/models'),
      (models) => models.find((m) => m.id === second.id)?.status === 'ready',
    );
    await admin.json('POST', `/api/intents/models/${second.id}/activate`);
    const back = await admin.json<IntentModelVersion>(
      'POST',
      `/api/intents/models/${activeModel.id}/activate`,
    );
    expect(back.status).toBe('active');
    const models = await admin.json<IntentModelVersion[]>('GET', '/api/intents/models');
    expect(models.map((m) => [m.version, m.status])).toEqual([
      [2, 'ready'],
      [1, 'active'],
    ]);
    expect(
      (await admin.json<ClassifyResult>('POST', '/api/intents/classify', { text: 'как оплатить счёт' }))
        .modelVersion,
    ).toBe(1);
  });
});

describe('the first visitor message', () => {
  it('of a target request puts the conversation in the department of its intent, with intent_detected', async () => {
    const { conversation } = await visitorWrites('Здравствуйте, как оплатить подписку по счёту для юрлица?');
    const routed = await waitFor(
      () => admin.json<Conversation>('GET', `/api/conversations/${conversation.id}`),
      (c) => c.departmentId !== null,
    );
    expect(routed.departmentId).toBe(billing.id);
    expect(routed.status).toBe('queued');
    const detected = (await eventsOf(conversation.id)).find((e) => e.type === 'intent_detected');
    expect(detected?.actor_type).toBe('system');
    expect(JSON.parse(detected?.data ?? '{}')).toMatchObject({ intent: 'billing', action: 'route' });
    expect(JSON.parse(detected?.data ?? '{}').confidence).toBeGreaterThan(0);
  });

  it('not for this business gets the polite explanation in its language, and the conversation closes', async () => {
    const { conversation } = await visitorWrites('Сколько у вас стоит линолеум за квадратный метр?');
    const [reply] = await waitFor(
      () => botMessages(conversation.id),
      (messages) => messages.length > 0,
    );
    expect(reply?.text).toBe(EXPLANATION.ru);
    const closed = await waitFor(
      () => admin.json<Conversation>('GET', `/api/conversations/${conversation.id}`),
      (c) => c.status === 'resolved',
    );
    expect(closed.departmentId).toBeNull();
    // The bot report reads the non-target share and the closing from these.
    const events = await eventsOf(conversation.id);
    const detected = events.find((e) => e.type === 'intent_detected');
    expect(JSON.parse(detected?.data ?? '{}')).toMatchObject({ action: 'non_target' });
    const resolved = events.find((e) => e.type === 'resolved');
    expect(resolved?.actor_type).toBe('system');
    expect(JSON.parse(resolved?.data ?? '{}')).toMatchObject({ by: 'bot' });
  });

  it('not for this business is only answered when the setting says so', async () => {
    const settings = await admin.json<NluSettings>('PATCH', '/api/nlu/settings', { nonTargetMode: 'reply' });
    expect(settings.nonTargetMode).toBe('reply');
    expect((await admin.request('PATCH', '/api/nlu/settings', { sentimentThreshold: 2 })).status).toBe(400);
    const { conversation } = await visitorWrites('do you sell laminate flooring?');
    const [reply] = await waitFor(
      () => botMessages(conversation.id),
      (messages) => messages.length > 0,
    );
    expect(reply?.text).toBe(EXPLANATION.en);
    expect((await admin.json<Conversation>('GET', `/api/conversations/${conversation.id}`)).status).not.toBe(
      'resolved',
    );
    await admin.json('PATCH', '/api/nlu/settings', { nonTargetMode: 'reply_and_close' });
  });
});

describe('upset visitors', () => {
  it('are marked live for supervisors, with a sentiment_negative event and the hot list', async () => {
    const operatorSocket = await connected(operator.socket());
    const insight = new Promise<ConversationInsight>((resolve) =>
      operatorSocket.on('conversation:insight', (notice) => {
        if (notice.upsetAt !== null) resolve(notice);
      }),
    );
    const { conversation } = await visitorWrites(
      'Это ужасно! Третий день не можете решить проблему, я очень зол и буду жаловаться!!!',
    );
    const notice = await insight;
    expect(notice.conversationId).toBe(conversation.id);
    expect(notice.negative).toBeGreaterThanOrEqual(0.6);
    const types = (await eventsOf(conversation.id)).map((e) => e.type);
    expect(types).toContain('sentiment_negative');
    const hot = await admin.json<ConversationInsight[]>('GET', '/api/nlu/hot');
    expect(hot.map((h) => h.conversationId)).toContain(conversation.id);
    expect((await operator.request('GET', '/api/nlu/hot')).status).toBe(403);
    operatorSocket.disconnect();
  });

  it('turn a conversation hot when a later message is angry, scored with that message', async () => {
    const operatorSocket = await connected(operator.socket());
    const { visitor, conversation } = await visitorWrites('Добрый день, подскажите по заказу');
    const insight = new Promise<ConversationInsight>((resolve) =>
      operatorSocket.on('conversation:insight', (notice) => {
        if (notice.conversationId === conversation.id && notice.upsetAt !== null) resolve(notice);
      }),
    );
    const response = await visitor.request('POST', `/api/widget/conversations/${conversation.id}/messages`, {
      clientMsgId: clientId(),
      text: 'Это ужасно, вы опять всё сломали, я очень зол и буду жаловаться!!!',
    });
    expect(response.status).toBe(201);
    const angry = (await response.json()) as { id: string };
    expect((await insight).negative).toBeGreaterThanOrEqual(0.6);
    // The first message's job may tell operators first (it finds the conversation upset already).
    const upset = await waitFor(
      async () => (await eventsOf(conversation.id)).find((e) => e.type === 'sentiment_negative'),
      (event) => event !== undefined,
    );
    expect(JSON.parse(upset?.data ?? '{}')).toMatchObject({ messageId: angry.id });
    operatorSocket.disconnect();
  });

  it('a calm message leaves the conversation off the hot list, and operators hear nothing of it', async () => {
    const operatorSocket = await connected(operator.socket());
    const notices: ConversationInsight[] = [];
    operatorSocket.on('conversation:insight', (notice) => notices.push(notice));
    const { conversation } = await visitorWrites('Спасибо, всё понятно, хорошего дня');
    await waitFor(
      () =>
        server.app.storage.db
          .selectFrom('nlu_conversation_insights')
          .selectAll()
          .where('conversation_id', '=', conversation.id)
          .executeTakeFirst(),
      (row) => row !== undefined,
    );
    const hot = await admin.json<ConversationInsight[]>('GET', '/api/nlu/hot');
    expect(hot.map((h) => h.conversationId)).not.toContain(conversation.id);
    expect(notices.filter((n) => n.conversationId === conversation.id)).toEqual([]);
    operatorSocket.disconnect();
  });
});

describe('knowledge base and reply suggestions', () => {
  it('keeps articles, searches published ones, and refuses bad input', async () => {
    const article = await admin.json<KnowledgeArticle>('POST', '/api/knowledge/articles', {
      locale: 'ru',
      category: 'Оплата',
      title: 'Как вернуть деньги за заказ',
      body: '## Возврат\n\nДеньги возвращаются на карту в течение **5 рабочих дней** после отмены заказа.',
    });
    await admin.json<KnowledgeArticle>('POST', '/api/knowledge/articles', {
      locale: 'ru',
      title: 'Черновик о возврате денег',
      body: 'Не опубликовано',
      published: false,
    });
    await admin.json('POST', '/api/knowledge/articles', {
      locale: 'en',
      title: 'Delivery times',
      body: 'Orders arrive within 3 days.',
    });
    const hits = await operator.json<KnowledgeHit[]>(
      'GET',
      `/api/knowledge/search?q=${encodeURIComponent('возврат денег')}&locale=ru`,
    );
    expect(hits.map((h) => h.id)).toEqual([article.id]);
    expect(hits[0]?.snippet).toContain('5 рабочих дней');
    expect(hits[0]?.snippet).not.toContain('**');

    expect((await operator.request('GET', '/api/knowledge/search?q=')).status).toBe(400);
    expect(
      (await admin.request('POST', '/api/knowledge/articles', { locale: 'de', title: 't', body: 'b' }))
        .status,
    ).toBe(400);
    expect(
      (await operator.request('POST', '/api/knowledge/articles', { locale: 'ru', title: 't', body: 'b' }))
        .status,
    ).toBe(403);
    const changed = await admin.json<KnowledgeArticle>('PATCH', `/api/knowledge/articles/${article.id}`, {
      title: 'Возврат денег',
    });
    expect(changed.title).toBe('Возврат денег');
    const other = await login(server, (await createWorkspace(server)).admin);
    expect(await other.json<KnowledgeArticle[]>('GET', '/api/knowledge/articles')).toEqual([]);
    expect((await other.request('DELETE', `/api/knowledge/articles/${article.id}`)).status).toBe(404);
  });

  it("suggests canned responses and articles for the visitor's last message and records which was used", async () => {
    const canned = await admin.json<{ id: string }>('POST', '/api/canned-responses', {
      locale: 'ru',
      shortcut: 'refund',
      title: 'Возврат',
      text: 'Деньги вернутся на карту в течение пяти рабочих дней.',
    });
    await admin.json('POST', '/api/canned-responses', {
      locale: 'ru',
      shortcut: 'hello',
      title: 'Приветствие',
      text: 'Здравствуйте! Чем могу помочь?',
    });
    const { conversation } = await visitorWrites('когда мне вернут деньги?');
    const suggestions = await operator.json<ReplySuggestions>(
      'GET',
      `/api/conversations/${conversation.id}/suggestions`,
    );
    expect(suggestions.forMessageId).not.toBeNull();
    expect(suggestions.suggestions[0]).toMatchObject({ kind: 'canned', id: canned.id });
    expect(suggestions.suggestions.some((s) => s.kind === 'article')).toBe(true);
    const used = await operator.request('POST', `/api/conversations/${conversation.id}/suggestions/used`, {
      kind: 'canned',
      id: canned.id,
    });
    expect(used.status).toBe(204);
    expect(
      (
        await operator.request('POST', `/api/conversations/${conversation.id}/suggestions/used`, {
          kind: 'x',
        })
      ).status,
    ).toBe(400);
    const uses = await server.app.storage.db.selectFrom('nlu_suggestion_uses').selectAll().execute();
    expect(uses.map((u) => u.item_id)).toContain(canned.id);
  });
});

describe("learning from operators' decisions", () => {
  it('"not a target request" and a transfer become candidates that an admin accepts or dismisses', async () => {
    const intents = await admin.json<Intent[]>('GET', '/api/intents');
    const nonTarget = intents.find((i) => i.action === 'non_target');
    const billingIntent = intents.find((i) => i.name === 'billing');

    await admin.json('PATCH', '/api/nlu/settings', { autoRoute: false });
    const { conversation: first } = await visitorWrites('Продаёте ли вы садовые качели?');
    const marked = await operator.request('POST', `/api/conversations/${first.id}/nlu-feedback`, {
      target: false,
    });
    expect(marked.status).toBe(201);
    expect(await marked.json()).toMatchObject({ intentId: nonTarget?.id, source: 'operator' });
    const noIntent = await operator.request('POST', `/api/conversations/${first.id}/nlu-feedback`, {
      target: true,
    });
    expect(noIntent.status).toBe(400);

    const { conversation: second } = await visitorWrites('Как поменять реквизиты в выставленном счёте?');
    await operator.json('POST', `/api/conversations/${second.id}/transfer`, {
      departmentId: billing.id,
      reason: 'про оплату',
    });
    const candidates = await waitFor(
      () => admin.json<IntentCandidate[]>('GET', '/api/intents/candidates'),
      (list) => list.some((c) => c.conversationId === second.id),
    );
    const fromTransfer = candidates.find((c) => c.conversationId === second.id);
    expect(fromTransfer).toMatchObject({ intentId: billingIntent?.id, source: 'transfer' });
    expect((await operator.request('GET', '/api/intents/candidates')).status).toBe(403);

    const fromOperator = candidates.find((c) => c.conversationId === first.id);
    const accepted = await admin.request('POST', `/api/intents/candidates/${fromOperator?.id}/accept`, {
      intentId: nonTarget?.id,
    });
    expect(accepted.status).toBe(204);
    const updated = await admin.json<Intent[]>('GET', '/api/intents');
    expect(updated.find((i) => i.id === nonTarget?.id)?.examples.map((e) => e.text)).toContain(
      'Продаёте ли вы садовые качели?',
    );
    expect((await admin.request('DELETE', `/api/intents/candidates/${fromTransfer?.id}`)).status).toBe(204);
    expect(await admin.json<IntentCandidate[]>('GET', '/api/intents/candidates')).toEqual([]);
    await admin.json('PATCH', '/api/nlu/settings', { autoRoute: true });
  });
});

describe('bot flows that branch on intents', () => {
  it("take the branch of the visitor's intent by the active model, and 'else' for anything else", async () => {
    const billingIntent = (await admin.json<Intent[]>('GET', '/api/intents')).find(
      (i) => i.name === 'billing',
    );
    if (!billingIntent) throw new Error('no billing intent');
    const at = { x: 0, y: 0 };
    const flow = await admin.json<{ id: string }>('POST', '/api/bot-flows', {
      name: 'Sorter',
      enabled: true,
      triggers: [{ kind: 'conversation_start', channels: [] }],
      graph: {
        startNodeId: 'ask',
        nodes: [
          { id: 'ask', type: 'question', position: at, text: 'Чем помочь?', kind: 'text', variable: 'story' },
          {
            id: 'sort',
            type: 'classify',
            position: at,
            branches: [{ id: 'pay', intentId: billingIntent.id }],
          },
          { id: 'paid', type: 'close', position: at, text: 'Про оплату: счёт в личном кабинете.' },
          { id: 'other', type: 'close', position: at, text: 'Передам ваш вопрос.' },
        ],
        edges: [
          { id: 'e1', source: 'ask', port: 'next', target: 'sort' },
          { id: 'e2', source: 'sort', port: 'pay', target: 'paid' },
          { id: 'e3', source: 'sort', port: 'else', target: 'other' },
        ],
      },
    });
    await admin.json('POST', `/api/bot-flows/${flow.id}/publish`);
    const chat = botChat(() => server);
    for (const [said, reply] of [
      ['Как оплатить подписку банковской картой?', 'Про оплату'],
      ['Добрый день, какая сегодня погода в Казани?', 'Передам ваш вопрос'],
    ] as const) {
      const { visitor, conversation } = await chat.openChat(workspace.widgetKey);
      // The message that opens the conversation is not the answer to the flow's first question.
      await chat.say(visitor, conversation.id, 'Здравствуйте');
      await chat.botSaid(visitor, conversation.id, 'Чем помочь?');
      await chat.say(visitor, conversation.id, said);
      const said_ = await chat.botSaid(visitor, conversation.id, reply);
      expect(said_.filter((m) => m.author.type === 'bot').map((m) => m.text)).toHaveLength(2);
    }
  });

  it('choose the menu option whose intent the typed text is, and refuse to publish an intent that is gone', async () => {
    // This flow is to be the one a new conversation starts.
    const { items: earlier } = await admin.json<{ items: { id: string }[] }>('GET', '/api/bot-flows');
    for (const old of earlier)
      expect((await admin.request('DELETE', `/api/bot-flows/${old.id}`)).status).toBe(204);
    const billingIntent = (await admin.json<Intent[]>('GET', '/api/intents')).find(
      (i) => i.name === 'billing',
    );
    if (!billingIntent) throw new Error('no billing intent');
    const at = { x: 0, y: 0 };
    const menu = (payIntent: string) => ({
      startNodeId: 'menu',
      nodes: [
        {
          id: 'menu',
          type: 'menu',
          position: at,
          text: 'Выберите тему',
          options: [
            { id: 'ship', label: 'Доставка', keywords: ['курьер'] },
            { id: 'pay', label: 'Оплата', intentId: payIntent, tag: 'оплата' },
          ],
        },
        { id: 'paid', type: 'close', position: at, text: 'Про оплату: счёт в личном кабинете.' },
        { id: 'shipped', type: 'close', position: at, text: 'Про доставку: курьер позвонит.' },
      ],
      edges: [
        { id: 'e1', source: 'menu', port: 'pay', target: 'paid' },
        { id: 'e2', source: 'menu', port: 'ship', target: 'shipped' },
      ],
    });
    const gone = '0198a2b0-0000-7000-8000-00000000dead';
    const problems = await admin.json<{ problems: { nodeId: string | null; message: string }[] }>(
      'POST',
      '/api/bot-flows/validate',
      { graph: menu(gone) },
    );
    expect(problems.problems).toEqual([
      {
        nodeId: 'menu',
        message: 'Node "menu": exit "pay" names an intent that no longer exists; pick another',
      },
    ]);
    const stale = await admin.json<{ id: string }>('POST', '/api/bot-flows', {
      name: 'Stale menu',
      enabled: true,
      triggers: [{ kind: 'conversation_start', channels: [] }],
      graph: menu(gone),
    });
    const refused = await admin.request('POST', `/api/bot-flows/${stale.id}/publish`);
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain('names an intent that no longer exists');
    await admin.request('DELETE', `/api/bot-flows/${stale.id}`);

    const flow = await admin.json<{ id: string }>('POST', '/api/bot-flows', {
      name: 'Topics',
      enabled: true,
      triggers: [{ kind: 'conversation_start', channels: [] }],
      graph: menu(billingIntent.id),
    });
    await admin.json('POST', `/api/bot-flows/${flow.id}/publish`);
    const chat = botChat(() => server);
    for (const [said, reply] of [
      ['Как оплатить подписку банковской картой?', 'Про оплату'],
      ['Когда приедет курьером посылка?', 'Про доставку'],
    ] as const) {
      const { visitor, conversation } = await chat.openChat(workspace.widgetKey);
      await chat.say(visitor, conversation.id, 'Здравствуйте');
      await chat.botSaid(visitor, conversation.id, 'Выберите тему');
      await chat.say(visitor, conversation.id, said);
      await chat.botSaid(visitor, conversation.id, reply);
    }
  });

  it('answer from the knowledge base, ask "did this help?", record the answer and follow it', async () => {
    const { items: earlier } = await admin.json<{ items: { id: string }[] }>('GET', '/api/bot-flows');
    for (const old of earlier) await admin.request('DELETE', `/api/bot-flows/${old.id}`);
    const refunds = (await admin.json<KnowledgeArticle[]>('GET', '/api/knowledge/articles')).find(
      (a) => a.title === 'Возврат денег',
    );
    if (!refunds) throw new Error('no refunds article');
    const before = (await admin.json<KnowledgeFeedbackCount[]>('GET', '/api/knowledge/feedback')).find(
      (c) => c.articleId === refunds.id,
    ) ?? { answered: 0, helpful: 0, notHelpful: 0 };
    const at = { x: 0, y: 0 };
    const flow = await admin.json<{ id: string }>('POST', '/api/bot-flows', {
      name: 'Answers',
      enabled: true,
      triggers: [{ kind: 'conversation_start', channels: [] }],
      graph: {
        startNodeId: 'ask',
        nodes: [
          { id: 'ask', type: 'question', position: at, text: 'Ваш вопрос?', kind: 'text', variable: 'q' },
          { id: 'kb', type: 'knowledge', position: at, askIfHelped: true },
          { id: 'glad', type: 'close', position: at, text: 'Рады помочь!' },
          { id: 'person', type: 'handoff', position: at, text: 'Зову оператора.' },
        ],
        edges: [
          { id: 'e1', source: 'ask', port: 'next', target: 'kb' },
          { id: 'e2', source: 'kb', port: 'answered', target: 'glad' },
          { id: 'e3', source: 'kb', port: 'unanswered', target: 'person' },
        ],
      },
    });
    await admin.json('POST', `/api/bot-flows/${flow.id}/publish`);
    const chat = botChat(() => server);
    for (const [label, ending] of [
      ['Помогло', 'Рады помочь!'],
      ['Не помогло', 'Зову оператора.'],
    ] as const) {
      const { visitor, conversation } = await chat.openChat(workspace.widgetKey, 'ru');
      await chat.say(visitor, conversation.id, 'Здравствуйте');
      await chat.botSaid(visitor, conversation.id, 'Ваш вопрос?');
      await chat.say(visitor, conversation.id, 'Как вернуть деньги за заказ?');
      const answer = (await chat.botSaid(visitor, conversation.id, '5 рабочих дней')).find((m) =>
        m.text.includes('5 рабочих дней'),
      ) as Message;
      expect(answer.buttons.map((b) => b.label)).toEqual(['Помогло', 'Не помогло', 'Позвать оператора']);
      await chat.press(visitor, conversation.id, answer, label);
      await chat.botSaid(visitor, conversation.id, ending);
      const recorded = await server.app.storage.db
        .selectFrom('conversation_events')
        .select('data')
        .where('conversation_id', '=', conversation.id)
        .where('type', '=', 'knowledge_feedback')
        .execute();
      expect(recorded.map((e) => JSON.parse(e.data))).toEqual([
        { messageId: answer.id, helpful: label === 'Помогло' },
      ]);
    }
    const after = (await admin.json<KnowledgeFeedbackCount[]>('GET', '/api/knowledge/feedback')).find(
      (c) => c.articleId === refunds.id,
    );
    expect(after).toEqual({
      articleId: refunds.id,
      answered: before.answered + 2,
      helpful: before.helpful + 1,
      notHelpful: before.notHelpful + 1,
    });
  });
});
