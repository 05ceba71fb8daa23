import { describe, expect, it } from 'vitest';
import { FlowGraph } from '@frontline/protocol';
import {
  FlowEngine,
  knowledgeAnswerAwaited,
  type BotEffects,
  type HttpOutcome,
  type RunContext,
  type RunState,
  type VisitorInput,
} from './engine.js';

function recorder(http: HttpOutcome = { ok: true, variables: {} }) {
  const log: string[] = [];
  const visits: string[] = [];
  let n = 0;
  const fx: BotEffects = {
    visit: (nodeId) => void visits.push(nodeId),
    say: async (nodeId, text, buttons, files = []) => {
      log.push(
        `${nodeId}: ${text}${buttons.length ? ` [${buttons.map((b) => b.label).join('|')}]` : ''}${
          files.length ? ` +${files.map((f) => `${f.name} (${f.mime})`).join(', ')}` : ''
        }`,
      );
      return `m${++n}`;
    },
    storedFiles: async (ids) =>
      ids.map((id) => ({ fileId: id, name: `${id}.png`, mime: 'image/png', size: 1 })),
    tag: async (tag) => void log.push(`tag ${tag}`),
    setPriority: async (p) => void log.push(`priority ${p}`),
    saveContactField: async (field, value) => void log.push(`contact ${field}=${value}`),
    callHttp: async () => http,
    knowledge: async (question) =>
      /deliver/i.test(question) ? { articleId: 'article-1', text: 'We deliver in two days.' } : null,
    judgeKnowledge: async ({ messageId, helpful }) => void log.push(`judged ${messageId} ${helpful}`),
    classify: async (text) => (/refund|верн/i.test(text) ? '0198a2b0-0000-7000-8000-000000000001' : null),
    handOver: async ({ reason, variables }) =>
      void log.push(`handover ${reason} ${JSON.stringify(variables)}`),
    close: async () => void log.push('close'),
  };
  return { log, visits, fx, lastPrompt: () => `m${n}` };
}

const ctx: RunContext = {
  language: 'en',
  builtIns: { greeting: 'Good morning' },
  facts: { contactAttributes: { plan: 'gold' }, channel: 'widget', language: 'en', isOpen: () => false },
};

const graph = FlowGraph.parse({
  startNodeId: 'hi',
  nodes: [
    { id: 'hi', type: 'message', text: '{{greeting}}' },
    { id: 'menu', type: 'menu', text: 'Pick', options: [{ id: 'a', label: 'Age', tag: 'age' }] },
    { id: 'age', type: 'question', text: 'Your age?', kind: 'number', variable: 'age', maxAttempts: 2 },
    {
      id: 'gold',
      type: 'condition',
      rules: [
        {
          id: 'vip',
          when: { kind: 'contact_attribute', attribute: 'plan', operator: 'equals', value: 'Gold' },
        },
      ],
    },
    {
      id: 'call',
      type: 'action',
      url: 'http://x/{{age}}',
      responseMap: [{ variable: 'code', path: 'c' }],
      replyText: 'Code {{code}}',
    },
    { id: 'bye', type: 'close', text: 'Bye' },
  ],
  edges: [
    { id: 'e1', source: 'hi', port: 'next', target: 'menu' },
    { id: 'e2', source: 'menu', port: 'a', target: 'age' },
    { id: 'e3', source: 'age', port: 'next', target: 'gold' },
    { id: 'e4', source: 'gold', port: 'vip', target: 'call' },
    { id: 'e5', source: 'gold', port: 'else', target: 'bye' },
    { id: 'e6', source: 'call', port: 'next', target: 'bye' },
  ],
});

const text = (t: string): VisitorInput => ({ kind: 'message', text: t, buttonId: null, messageId: null });

describe('the flow engine', () => {
  it('walks until it must wait, then on the answers to the end', async () => {
    const engine = new FlowEngine(graph);
    const { log, visits, fx, lastPrompt } = recorder({ ok: true, variables: { code: '42' } });
    let run: RunState = await engine.advance(engine.initialState(), null, fx, ctx);
    expect(run).toMatchObject({ nodeId: 'menu', status: 'waiting' });
    run = await engine.advance(
      run,
      { kind: 'message', text: '', buttonId: 'a', messageId: lastPrompt() },
      fx,
      ctx,
    );
    run = await engine.advance(run, text('forty'), fx, ctx);
    expect(run).toMatchObject({ nodeId: 'age', status: 'waiting', attempts: 1 });
    run = await engine.advance(run, text('41'), fx, ctx);
    expect(run).toMatchObject({ status: 'ended', endReason: 'closed', variables: { age: '41', code: '42' } });
    expect(log).toEqual([
      'hi: Good morning',
      'menu: Pick [Age|Talk to a person]',
      'tag age',
      'age: Your age?',
      'age: I could not read that answer. Please try again.',
      'call: Code 42',
      'bye: Bye',
      'close',
    ]);
    // A node asked again (a wrong answer) is not visited again; each node executed is.
    expect(visits).toEqual(['hi', 'menu', 'age', 'gold', 'call', 'bye']);
  });

  it('sends the images and files of a message step with its text', async () => {
    const engine = new FlowEngine(
      FlowGraph.parse({
        startNodeId: 'hi',
        nodes: [
          {
            id: 'hi',
            type: 'message',
            text: 'Our price list',
            files: [{ fileId: '0198a2b0-0000-7000-8000-0000000000f1', name: 'prices.pdf' }],
          },
          { id: 'bye', type: 'close' },
        ],
        edges: [{ id: 'e1', source: 'hi', port: 'next', target: 'bye' }],
      }),
    );
    const { log, fx } = recorder();
    await engine.advance(engine.initialState(), null, fx, ctx);
    // The stored file's own name and type go out, not the builder's label.
    expect(log[0]).toBe('hi: Our price list +0198a2b0-0000-7000-8000-0000000000f1.png (image/png)');
  });

  it('hands over when a question runs out of attempts and has no failed exit', async () => {
    const engine = new FlowEngine(graph);
    const { log, fx } = recorder();
    let run = await engine.advance({ ...engine.initialState(), nodeId: 'age' }, null, fx, ctx);
    run = await engine.advance(run, text('x'), fx, ctx);
    run = await engine.advance(run, text('y'), fx, ctx);
    expect(run.endReason).toBe('handed_over');
    expect(log.at(-1)).toBe('handover question_failed {}');
  });

  it('offers a person with a fallback when the HTTP action fails', async () => {
    const engine = new FlowEngine(graph);
    const { log, fx } = recorder({ ok: false, variables: {} });
    const run = await engine.advance(
      { ...engine.initialState({ age: '30' }), nodeId: 'call' },
      null,
      fx,
      ctx,
    );
    expect(run.endReason).toBe('handed_over');
    expect(log).toEqual([
      'call: I could not get the data. Calling a person to help you.',
      'handover action_failed {"age":"30"}',
    ]);
  });

  it('hands over when the visitor asks for a person in words, and ignores a stale button', async () => {
    const engine = new FlowEngine(graph);
    const { log, fx } = recorder();
    let run = await engine.advance(engine.initialState(), null, fx, ctx);
    run = await engine.advance(run, { kind: 'message', text: '', buttonId: 'a', messageId: 'old' }, fx, ctx);
    expect(run.nodeId).toBe('menu');
    run = await engine.advance(run, text('can I talk to a human please'), fx, ctx);
    expect(run.endReason).toBe('handed_over');
    expect(log.at(-1)).toBe('handover asked_for_person {}');
  });

  it("understands the person button's number typed into a numbered text menu", async () => {
    const engine = new FlowEngine(graph);
    const { log, fx } = recorder();
    let run = await engine.advance(engine.initialState(), null, fx, ctx);
    // The menu as a numbered list: "1. Age", "2. Talk to a person".
    expect(log.at(-1)).toBe('menu: Pick [Age|Talk to a person]');
    run = await engine.advance(run, text(' 2 '), fx, ctx);
    expect(run.endReason).toBe('handed_over');
    expect(log.at(-1)).toBe('handover asked_for_person {}');

    const { fx: other } = recorder();
    run = await engine.advance(engine.initialState(), null, other, ctx);
    run = await engine.advance(run, text('3'), other, ctx);
    expect(run).toMatchObject({ nodeId: 'menu', status: 'waiting' });
    run = await engine.advance(run, text('1'), other, ctx);
    expect(run.nodeId).toBe('age');
  });

  it('understands text typed at a menu: a keyword in another word form, then an intent, else asks again', async () => {
    const menu = FlowGraph.parse({
      startNodeId: 'menu',
      nodes: [
        {
          id: 'menu',
          type: 'menu',
          text: 'How can we help?',
          options: [
            { id: 'delivery', label: 'Delivery', keywords: ['доставка', 'courier'] },
            {
              id: 'money',
              label: 'Payment',
              intentId: '0198a2b0-0000-7000-8000-000000000001',
              tag: 'payment',
            },
          ],
        },
        { id: 'where', type: 'close', text: 'Your parcel is on its way.' },
        { id: 'refunds', type: 'close', text: 'Refunds take five days.' },
      ],
      edges: [
        { id: 'e1', source: 'menu', port: 'delivery', target: 'where' },
        { id: 'e2', source: 'menu', port: 'money', target: 'refunds' },
      ],
    });
    const engine = new FlowEngine(menu);
    for (const [said, ending] of [
      ['Где моя доставку?', 'where: Your parcel is on its way.'],
      ['When does the courier come', 'where: Your parcel is on its way.'],
      ['I want my money back, a refund', 'refunds: Refunds take five days.'],
      ['Верните деньги', 'refunds: Refunds take five days.'],
    ] as const) {
      const { log, fx } = recorder();
      const run = await engine.advance(engine.initialState(), null, fx, ctx);
      const after = await engine.advance(run, text(said), fx, ctx);
      expect(after.endReason, said).toBe('closed');
      expect(log, said).toContain(ending);
      if (ending.startsWith('refunds')) expect(log).toContain('tag payment');
    }

    const { log, fx } = recorder();
    let run = await engine.advance(engine.initialState(), null, fx, ctx);
    run = await engine.advance(run, text('What is the weather like?'), fx, ctx);
    expect(run).toMatchObject({ nodeId: 'menu', status: 'waiting', attempts: 1 });
    expect(log.at(-1)).toContain('Please pick one of the options');
  });

  it('asks "did this help?" under a knowledge answer: yes leaves through answered, no through unanswered', async () => {
    const kb = FlowGraph.parse({
      startNodeId: 'ask',
      nodes: [
        { id: 'ask', type: 'question', text: 'Your question?', kind: 'text', variable: 'q' },
        { id: 'kb', type: 'knowledge', askIfHelped: true },
        { id: 'glad', type: 'close', text: 'Glad to help.' },
        { id: 'person', type: 'handoff', text: 'A person will help.' },
      ],
      edges: [
        { id: 'e1', source: 'ask', port: 'next', target: 'kb' },
        { id: 'e2', source: 'kb', port: 'answered', target: 'glad' },
        { id: 'e3', source: 'kb', port: 'unanswered', target: 'person' },
      ],
    });
    const engine = new FlowEngine(kb);
    const asked = { ...ctx, builtIns: { ...ctx.builtIns, last_message: 'When do you deliver?' } };
    for (const [reply, ending] of [
      ['helped', 'glad: Glad to help.'],
      ['not_helped', 'person: A person will help.'],
    ] as const) {
      const { log, fx, lastPrompt } = recorder();
      let run = await engine.advance(engine.initialState(), null, fx, ctx);
      run = await engine.advance(run, text('When do you deliver?'), fx, asked);
      expect(run).toMatchObject({ nodeId: 'kb', status: 'waiting' });
      expect(log.at(-1)).toBe('kb: We deliver in two days. [This helped|It did not help|Talk to a person]');
      expect(knowledgeAnswerAwaited(run)).toEqual({ messageId: lastPrompt(), articleId: 'article-1' });
      const answer = lastPrompt();
      run = await engine.advance(run, text('what?'), fx, asked);
      expect(run).toMatchObject({ nodeId: 'kb', status: 'waiting', attempts: 1 });
      run = await engine.advance(
        run,
        { kind: 'message', text: '', buttonId: reply, messageId: answer },
        fx,
        asked,
      );
      expect(log).toContain(`judged ${answer} ${reply === 'helped'}`);
      expect(log).toContain(ending);
      expect(run.variables).toEqual({ q: 'When do you deliver?' });
    }
  });

  it("branches on the intent of the visitor's last message, and takes 'else' when it is none of them", async () => {
    const routed = FlowGraph.parse({
      startNodeId: 'ask',
      nodes: [
        { id: 'ask', type: 'question', text: 'What happened?', kind: 'text', variable: 'story' },
        {
          id: 'sort',
          type: 'classify',
          branches: [{ id: 'refund', intentId: '0198a2b0-0000-7000-8000-000000000001' }],
        },
        { id: 'money', type: 'close', text: 'Refunds take five days.' },
        { id: 'other', type: 'handoff', text: 'A person will help.' },
      ],
      edges: [
        { id: 'e1', source: 'ask', port: 'next', target: 'sort' },
        { id: 'e2', source: 'sort', port: 'refund', target: 'money' },
        { id: 'e3', source: 'sort', port: 'else', target: 'other' },
      ],
    });
    const engine = new FlowEngine(routed);
    for (const [said, ending] of [
      ['I want a refund', 'money: Refunds take five days.'],
      ['The widget is slow', 'other: A person will help.'],
    ] as const) {
      const { log, fx } = recorder();
      const run = await engine.advance(engine.initialState(), null, fx, ctx);
      const withMessage = { ...ctx, builtIns: { ...ctx.builtIns, last_message: said } };
      await engine.advance(run, text(said), fx, withMessage);
      expect(log).toContain(ending);
    }
  });

  it("waits on an action's list like a menu: the pressed item is saved, a stale button is not", async () => {
    const listed = FlowGraph.parse({
      startNodeId: 'pick',
      nodes: [
        {
          id: 'pick',
          type: 'action',
          url: 'http://x',
          choices: { label: '{{item.name}}', valuePath: 'id', variable: 'who', labelVariable: 'who_name' },
        },
        { id: 'bye', type: 'close', text: 'Bye {{who_name}}' },
      ],
      edges: [{ id: 'e1', source: 'pick', port: 'next', target: 'bye' }],
    });
    const engine = new FlowEngine(listed);
    const { log, fx, lastPrompt } = recorder({
      ok: true,
      variables: {},
      choices: [
        { label: 'Anna', value: 'e1' },
        { label: 'Boris', value: 'e2' },
      ],
    });
    let run = await engine.advance(engine.initialState(), null, fx, ctx);
    expect(run.status).toBe('waiting');
    expect(log).toEqual(['pick: Please choose: [Anna|Boris|Talk to a person]']);
    const prompt = lastPrompt();
    run = await engine.advance(
      run,
      { kind: 'message', text: '', buttonId: 'item0', messageId: 'old' },
      fx,
      ctx,
    );
    expect(run.status).toBe('waiting');
    run = await engine.advance(
      run,
      { kind: 'message', text: '', buttonId: 'item1', messageId: prompt },
      fx,
      ctx,
    );
    expect(run.endReason).toBe('closed');
    expect(run.variables).toEqual({ who: 'e2', who_name: 'Boris' });
    expect(log.at(-2)).toBe('bye: Bye Boris');
  });

  it('offers a person when the list comes back empty and the action has no failed exit', async () => {
    const engine = new FlowEngine(
      FlowGraph.parse({
        startNodeId: 'pick',
        nodes: [
          {
            id: 'pick',
            type: 'action',
            url: 'http://x',
            choices: { label: '{{item}}', valuePath: 'id', variable: 'who' },
          },
          { id: 'bye', type: 'close' },
        ],
        edges: [{ id: 'e1', source: 'pick', port: 'next', target: 'bye' }],
      }),
    );
    const { log, fx } = recorder({ ok: true, variables: {}, choices: [] });
    const run = await engine.advance(engine.initialState(), null, fx, ctx);
    expect(run.handoffReason).toBe('action_failed');
    expect(log[0]).toBe('pick: I found nothing to choose from. Calling a person to help you.');
  });
});
