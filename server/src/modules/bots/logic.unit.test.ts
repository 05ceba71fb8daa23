import { describe, expect, it } from 'vitest';
import { FlowGraph } from '@frontline/protocol';
import {
  checkAnswer,
  fillItemTemplate,
  fillTemplate,
  greetingFor,
  jsonStringContent,
  matchesKeyword,
  optionNamedBy,
  redactSecrets,
  valueAtPath,
} from './logic.js';
import { validateFlowGraph } from './validate.js';

describe('typed answers', () => {
  it('accepts and normalises valid answers', () => {
    expect(checkAnswer('email', ' Anna@Example.COM ')).toEqual({ ok: true, value: 'anna@example.com' });
    expect(checkAnswer('phone', '+7 (916) 123-45-67')).toEqual({ ok: true, value: '+79161234567' });
    expect(checkAnswer('number', '12,5')).toEqual({ ok: true, value: '12.5' });
    expect(checkAnswer('date', '31.12.2026')).toEqual({ ok: true, value: '2026-12-31' });
    expect(checkAnswer('choice', 'москва', ['Москва', 'Казань'])).toEqual({ ok: true, value: 'Москва' });
  });
  it('refuses invalid ones', () => {
    expect(checkAnswer('email', 'anna@')).toEqual({ ok: false });
    expect(checkAnswer('phone', '12')).toEqual({ ok: false });
    expect(checkAnswer('number', 'ten')).toEqual({ ok: false });
    expect(checkAnswer('date', '31.02.2026')).toEqual({ ok: false });
    expect(checkAnswer('choice', 'Сочи', ['Москва'])).toEqual({ ok: false });
    expect(checkAnswer('text', '   ')).toEqual({ ok: false });
  });
});

describe('templates, keywords and paths', () => {
  it('fills templates and escapes for JSON', () => {
    expect(fillTemplate('{"q": "{{q}}"}', { q: 'say "hi"' }, jsonStringContent)).toBe(
      '{"q": "say \\"hi\\""}',
    );
    expect(fillTemplate('Hi {{contact.name}}, {{missing}}!', { 'contact.name': 'Ann' })).toBe('Hi Ann, !');
  });
  it('matches Russian and English word forms', () => {
    expect(matchesKeyword('Где моя доставка?', 'доставка')).toBe(true);
    expect(matchesKeyword('сроки доставки', 'доставка')).toBe(true);
    expect(matchesKeyword('was it delivered', 'delivery')).toBe(true);
    expect(matchesKeyword('оплата картой', 'доставка')).toBe(false);
  });
  it('finds an option by its number or label', () => {
    const options = [{ label: 'Vacation' }, { label: 'Salary' }];
    expect(optionNamedBy('2', options)).toBe(options[1]);
    expect(optionNamedBy('vacation', options)).toBe(options[0]);
    expect(optionNamedBy('weather', options)).toBeUndefined();
  });
  it('reads dot paths in JSON', () => {
    expect(valueAtPath({ a: { items: [{ n: 'x' }] } }, 'a.items.0.n')).toBe('x');
    expect(valueAtPath({ a: 1 }, 'a.b')).toBeUndefined();
  });
  it('greets by the time of day in the zone', () => {
    expect(greetingFor(new Date('2026-06-01T06:00:00Z'), 'Europe/Moscow', 'ru')).toBe('Доброе утро');
    expect(greetingFor(new Date('2026-06-01T16:00:00Z'), 'Europe/Moscow', 'en')).toBe('Good evening');
  });
});

describe('flow validation', () => {
  const graph = (nodes: unknown[], edges: unknown[], startNodeId = 'a') =>
    FlowGraph.parse({ startNodeId, nodes, edges });

  it('accepts a sound flow', () => {
    const flow = graph(
      [
        { id: 'a', type: 'message', text: 'Hi {{greeting}}' },
        { id: 'b', type: 'handoff' },
      ],
      [{ id: 'e', source: 'a', port: 'next', target: 'b' }],
    );
    expect(validateFlowGraph(flow)).toEqual([]);
  });

  it('names the node of each problem', () => {
    const flow = graph(
      [
        { id: 'a', type: 'message', text: '{{who}}' },
        { id: 'b', type: 'set' },
        { id: 'c', type: 'set' },
        { id: 'd', type: 'close' },
      ],
      [
        { id: 'e1', source: 'a', port: 'next', target: 'b' },
        { id: 'e2', source: 'b', port: 'next', target: 'c' },
        { id: 'e3', source: 'c', port: 'next', target: 'b' },
        { id: 'e4', source: 'a', port: 'nope', target: 'zzz' },
      ],
    );
    const messages = validateFlowGraph(flow).map((p) => p.message);
    expect(messages).toContain('Node "a" points to "zzz", which does not exist');
    expect(messages).toContain('Node "a" has no exit "nope"');
    expect(messages).toContain('Node "d" cannot be reached from the start');
    expect(messages).toContain('Node "a" uses the unknown variable "who"');
    expect(messages.some((m) => m.includes('"b" → "c" form a loop that never waits'))).toBe(true);
  });

  it('names a classify branch and a menu option whose intent was deleted', () => {
    const kept = '0198a2b0-0000-7000-8000-000000000001';
    const gone = '0198a2b0-0000-7000-8000-000000000002';
    const flow = graph(
      [
        {
          id: 'menu',
          type: 'menu',
          text: 'Pick',
          options: [
            { id: 'pay', label: 'Payment', intentId: gone },
            { id: 'ship', label: 'Delivery', intentId: kept },
          ],
        },
        { id: 'sort', type: 'classify', branches: [{ id: 'refund', intentId: gone }] },
        { id: 'end', type: 'handoff' },
      ],
      [
        { id: 'e1', source: 'menu', port: 'pay', target: 'sort' },
        { id: 'e2', source: 'menu', port: 'ship', target: 'end' },
        { id: 'e3', source: 'sort', port: 'refund', target: 'end' },
        { id: 'e4', source: 'sort', port: 'else', target: 'end' },
      ],
      'menu',
    );
    expect(validateFlowGraph(flow, { intentIds: [kept] }).map((p) => p.message)).toEqual([
      'Node "menu": exit "pay" names an intent that no longer exists; pick another',
      'Node "sort": exit "refund" names an intent that no longer exists; pick another',
    ]);
    // Without the workspace's intents (no language understanding wired), intents are not judged.
    expect(validateFlowGraph(flow)).toEqual([]);
  });
});

describe('answer lists and secrets', () => {
  it('fills a button label from one item of the list', () => {
    const item = { name: 'Anna', dept: { title: 'Sales' } };
    expect(fillItemTemplate('{{item.name}} ({{ item.dept.title }})', item)).toBe('Anna (Sales)');
    expect(fillItemTemplate('{{item}}', 'plain')).toBe('plain');
    expect(fillItemTemplate('{{item.missing}}{{email}}', item)).toBe('');
  });
  it('replaces secret values, raw and URL-encoded, in a text that might be shown or logged', () => {
    const secrets = { TOKEN: 'a b&c' };
    expect(redactSecrets('GET /x?key=a%20b%26c failed: a b&c', secrets)).toBe(
      'GET /x?key=[secret] failed: [secret]',
    );
    expect(redactSecrets('nothing here', { EMPTY: '' })).toBe('nothing here');
  });
});
