import { describe, expect, it } from 'vitest';
import { KnowledgeRetriever, type KnowledgeDocument } from './retrieval.js';

const ARTICLES: KnowledgeDocument[] = [
  {
    id: 'install',
    title: 'Как установить виджет на сайт',
    body: 'Скопируйте код виджета в настройках канала и вставьте его перед закрывающим тегом body.',
  },
  {
    id: 'billing',
    title: 'Оплата подписки',
    body: 'Подписку можно оплатить банковской картой или по счёту для юридических лиц.',
  },
  {
    id: 'telegram',
    title: 'Подключение Telegram',
    body: 'Создайте бота, скопируйте токен и вставьте его в настройках канала Telegram.',
  },
  {
    id: 'password',
    title: 'Reset your password',
    body: 'On the sign-in page choose "Forgot password"; we e-mail you a link to set a new one.',
  },
];

describe('KnowledgeRetriever', () => {
  const retriever = new KnowledgeRetriever(ARTICLES);

  it('finds an article from other word forms of its words', () => {
    expect(retriever.search('установка виджетов')[0]?.id).toBe('install');
    expect(retriever.search('оплатить картой')[0]?.id).toBe('billing');
  });

  it('matches word forms that neither prefix nor typo tolerance would join', () => {
    const cards = new KnowledgeRetriever([
      { id: 'card', title: 'Банковская карта', body: 'Выпуск и блокировка.' },
      { id: 'app', title: 'Мобильное приложение', body: 'Установка и вход.' },
    ]);
    expect(cards.search('картами')[0]?.id).toBe('card');
  });

  it('finds an article despite a misspelling', () => {
    expect(retriever.search('forgot my pasword')[0]?.id).toBe('password');
  });

  it('returns nothing for a query that shares no word with any article', () => {
    expect(retriever.search('рецепт борща')).toEqual([]);
  });

  it('ranks by the blend and keeps its parts between 0 and 1', () => {
    const matches = retriever.search('скопируйте токен бота в настройках канала');
    expect(matches[0]?.id).toBe('telegram');
    for (const match of matches) {
      expect(match.similarity).toBeGreaterThanOrEqual(0);
      expect(match.similarity).toBeLessThanOrEqual(1);
      expect(match.bm25).toBeLessThanOrEqual(1);
    }
    const scores = matches.map((match) => match.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
  });

  it('returns at most the limit', () => {
    expect(retriever.search('настройках канала', 1)).toHaveLength(1);
  });
});
