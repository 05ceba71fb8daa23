import { describe, expect, it } from 'vitest';
import {
  OUT_OF_SCOPE,
  classify,
  stratifiedSplit,
  trainIntentModel,
  tuneThreshold,
  type IntentExample,
} from './intents.js';

function examples(intent: string, texts: string[]): IntentExample[] {
  return texts.map((text) => ({ text, intent }));
}

const DELIVERY = examples('delivery', [
  'где мой заказ',
  'когда привезут посылку',
  'курьер не приехал',
  'сколько идет доставка',
  'не пришла посылка',
  'хочу отследить заказ',
  'заказ задерживается',
  'когда доставят мой заказ',
  'курьер опаздывает',
  'где сейчас моя посылка',
  'трек номер посылки не работает',
  'доставка уже неделю',
]);

const REFUND = examples('refund', [
  'верните деньги',
  'хочу вернуть деньги за заказ',
  'как оформить возврат',
  'деньги не вернули',
  'оформите возврат средств',
  'когда вернут деньги',
  'возврат денег на карту',
  'хочу возврат за товар',
  'мне не пришел возврат',
  'отмените оплату и верните деньги',
  'сколько ждать возврата денег',
  'верните оплату',
]);

describe('intent models', () => {
  it('separates two small intents on messages it has not seen', () => {
    const { model } = trainIntentModel([...DELIVERY, ...REFUND]);
    expect(classify(model, 'посылку так и не привезли').intent).toBe('delivery');
    expect(classify(model, 'верните мне деньги пожалуйста').intent).toBe('refund');
  });

  it('ranks every in-scope intent, most likely first, with the best one as the confidence', () => {
    const { model } = trainIntentModel([...DELIVERY, ...REFUND]);
    const prediction = classify(model, 'где мой заказ');
    expect(prediction.ranked.map((entry) => entry.intent)).toEqual(['delivery', 'refund']);
    expect(prediction.confidence).toBe(prediction.ranked[0]?.confidence);
    expect(prediction.ranked.some((entry) => entry.intent === OUT_OF_SCOPE)).toBe(false);
  });

  it('finds no intent for a message unlike any example', () => {
    const { model } = trainIntentModel([...DELIVERY, ...REFUND]);
    for (const text of ['сколько весит взрослый слон', 'what is the tallest building in the world']) {
      expect(classify(model, text).intent).toBeNull();
    }
  });

  it('reports held-out figures per intent and the tuned threshold', () => {
    const { model, report } = trainIntentModel([...DELIVERY, ...REFUND]);
    expect(report.threshold).toBe(model.threshold);
    expect(report.heldOutExamples).toBeGreaterThan(0);
    expect(report.perIntent.map((figures) => figures.label)).toEqual(
      expect.arrayContaining(['delivery', 'refund', OUT_OF_SCOPE]),
    );
    expect(report.accuracy).toBeGreaterThanOrEqual(0);
    expect(report.accuracy).toBeLessThanOrEqual(report.topIntentAccuracy);
    expect(report.outOfScopeRecall).not.toBeNull();
  });

  it('trains the same model from the same examples and seed', () => {
    const first = trainIntentModel([...DELIVERY, ...REFUND], { seed: 7 });
    const second = trainIntentModel([...DELIVERY, ...REFUND], { seed: 7 });
    expect(second.model.classifier.linear.weights).toEqual(first.model.classifier.linear.weights);
    expect(second.report).toEqual(first.report);
  });

  it('refuses to train on a single intent', () => {
    expect(() => trainIntentModel(DELIVERY)).toThrow(/at least two intents/);
  });
});

describe('tuneThreshold', () => {
  const right = (confidence: number) => ({ expected: 'a', predicted: 'a', bestIntent: 'a', confidence });

  it('gives up only the affordable share of right answers, lowest confidence first', () => {
    const outcomes = [0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2, 0.15, 0.1].map(right);
    expect(tuneThreshold(outcomes, 0)).toBe(0.1);
    expect(tuneThreshold(outcomes, 0.2)).toBe(0.2);
  });

  it('ignores out-of-scope examples when counting the cost', () => {
    const outOfScope = { expected: OUT_OF_SCOPE, predicted: 'a', bestIntent: 'a', confidence: 0.95 };
    expect(tuneThreshold([right(0.5), right(0.6), outOfScope], 0)).toBe(0.5);
  });
});

describe('stratifiedSplit', () => {
  it('holds out the same share of every label', () => {
    const data = [...DELIVERY, ...REFUND].map((example) => ({ text: example.text, label: example.intent }));
    const { training, heldOut } = stratifiedSplit(data, 0.25, 1);
    expect(heldOut.filter((example) => example.label === 'delivery')).toHaveLength(3);
    expect(heldOut.filter((example) => example.label === 'refund')).toHaveLength(3);
    expect(training.length + heldOut.length).toBe(data.length);
  });

  it('holds out nothing when the share is zero', () => {
    const data = DELIVERY.map((example) => ({ text: example.text, label: example.intent }));
    expect(stratifiedSplit(data, 0, 1).heldOut).toEqual([]);
  });
});
