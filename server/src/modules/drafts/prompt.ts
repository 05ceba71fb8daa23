// What the model is asked and what is taken from its answer, without I/O: the knowledge articles
// numbered [1], [2]..., the conversation's last turns, and the citations read back from the draft.
import type { DraftCitation } from '@frontline/protocol';

/** Long articles and messages are cut: the prompt stays within small models' context windows. */
export const ARTICLE_CHARS = 2000;
export const TURN_CHARS = 1000;

export interface SourceArticle {
  id: string;
  title: string;
  body: string;
}

export interface Turn {
  from: 'visitor' | 'operator';
  text: string;
}

/** A message of the chat completions API (https://platform.openai.com/docs/api-reference/chat/create). */
export interface ChatMessage {
  role: 'system' | 'user';
  content: string;
}

const INSTRUCTIONS = [
  'You help a support operator answer a customer in a chat.',
  'Write the reply the operator could send next, answering the customer’s latest question.',
  'Use only the knowledge base articles below. Cite the articles you use by their numbers in square brackets, like [1] or [2].',
  'If the articles do not answer the question, say briefly that you will check and get back, without making anything up.',
  'Reply in the language the customer writes in. Be short and polite. Output only the reply text.',
].join('\n');

const cut = (text: string, chars: number) =>
  text.length > chars ? `${text.slice(0, chars).trimEnd()}…` : text;

export function draftPrompt(articles: SourceArticle[], turns: Turn[]): ChatMessage[] {
  const knowledge = articles
    .map((article, index) => `[${index + 1}] ${article.title}\n${cut(article.body, ARTICLE_CHARS)}`)
    .join('\n\n');
  const transcript = turns
    .map((turn) => `${turn.from === 'visitor' ? 'Customer' : 'Operator'}: ${cut(turn.text, TURN_CHARS)}`)
    .join('\n');
  return [
    { role: 'system', content: `${INSTRUCTIONS}\n\nKnowledge base articles:\n\n${knowledge}` },
    { role: 'user', content: `The conversation so far:\n\n${transcript}\n\nWrite the operator’s reply.` },
  ];
}

/** The articles the draft cites as [n], each once, by number; numbers with no article are ignored. */
export function citationsOf(draft: string, articles: SourceArticle[]): DraftCitation[] {
  const numbers = new Set<number>();
  // "[1]", and lists the models also write: "[1, 2]", "[1][3]".
  for (const group of draft.matchAll(/\[(\d+(?:\s*,\s*\d+)*)\]/g))
    for (const n of (group[1] ?? '').split(',')) numbers.add(Number(n.trim()));
  return [...numbers]
    .sort((a, b) => a - b)
    .flatMap((n) => {
      const article = articles[n - 1];
      return article ? [{ n, articleId: article.id, title: article.title }] : [];
    });
}
