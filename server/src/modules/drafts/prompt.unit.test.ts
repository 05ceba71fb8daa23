import { describe, expect, it } from 'vitest';
import { ARTICLE_CHARS, citationsOf, draftPrompt } from './prompt.js';

const articles = [
  { id: 'a1', title: 'Delivery', body: 'Three days.' },
  { id: 'a2', title: 'Refunds', body: 'Ten days.' },
  { id: 'a3', title: 'Returns', body: 'x'.repeat(ARTICLE_CHARS + 50) },
];

describe('the draft prompt', () => {
  it('numbers the articles, cuts long ones and gives the conversation as a transcript', () => {
    const [system, user] = draftPrompt(articles, [
      { from: 'visitor', text: 'Where is it?' },
      { from: 'operator', text: 'Checking.' },
    ]);
    expect(system?.role).toBe('system');
    expect(system?.content).toContain('[1] Delivery\nThree days.\n\n[2] Refunds\nTen days.');
    expect(system?.content).toContain(`[3] Returns\n${'x'.repeat(ARTICLE_CHARS)}…`);
    expect(user).toEqual({
      role: 'user',
      content: expect.stringContaining('Customer: Where is it?\nOperator: Checking.') as string,
    });
  });
});

describe('citations of a draft', () => {
  it('reads [n], [n, m] and [n][m], each article once, in number order', () => {
    expect(citationsOf('See [2] and [1, 3], again [2][1].', articles).map((c) => c.articleId)).toEqual([
      'a1',
      'a2',
      'a3',
    ]);
  });

  it('ignores numbers no article was sent under, and text that only looks like one', () => {
    expect(citationsOf('Call [0] or [4]; the list [a] and [1.5] too.', articles)).toEqual([]);
  });
});
