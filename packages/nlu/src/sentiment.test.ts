import { describe, expect, it } from 'vitest';
import { scoreSentiment, trainSentimentModel } from './sentiment.js';

describe('sentiment', () => {
  it('scores angry messages negative, in Russian and English', () => {
    for (const text of [
      'Да сколько можно ждать, это издевательство! Верните деньги',
      'This is awful, nobody answers me',
    ]) {
      const score = scoreSentiment(text);
      expect(score.label).toBe('negative');
      expect(score.negative).toBeGreaterThan(0.5);
    }
  });

  it('does not flag ordinary questions or thanks as negative', () => {
    for (const text of [
      'Подскажите, как подключить телеграм?',
      'Спасибо большое, все заработало!',
      'thanks, that helped',
    ]) {
      expect(scoreSentiment(text).label).not.toBe('negative');
    }
  });

  it('gives probabilities that sum to one over the model labels', () => {
    const { scores } = scoreSentiment('ok');
    expect(Object.keys(scores).sort()).toEqual(['negative', 'neutral', 'positive']);
    expect(Object.values(scores).reduce((sum, value) => sum + value, 0)).toBeCloseTo(1);
  });

  it('trains on any labels with the same machinery', () => {
    const examples = [
      ...['ура', 'класс', 'отлично', 'супер', 'здорово', 'прекрасно'].map((text) => ({ text, label: 'joy' })),
      ...['грустно', 'печально', 'тоскливо', 'жаль', 'плачу', 'уныло'].map((text) => ({
        text,
        label: 'sadness',
      })),
    ];
    const model = trainSentimentModel(examples);
    expect(scoreSentiment('очень грустно', model).label).toBe('sadness');
    expect(scoreSentiment('очень здорово', model).label).toBe('joy');
    expect(scoreSentiment('очень грустно', model).negative).toBe(0);
  });
});
