import { describe, expect, it } from 'vitest';
import { classify, trainIntentModel } from './intents.js';
import { deserializeIntentModel, serializeIntentModel } from './serialize.js';

const EXAMPLES = [
  ...[
    'where is my parcel',
    'my order has not arrived',
    'track my delivery',
    'courier is late',
    'when will it arrive',
  ].map((text) => ({ text, intent: 'delivery' })),
  ...[
    'i want my money back',
    'refund my order',
    'how do i get a refund',
    'return the payment',
    'refund please',
  ].map((text) => ({ text, intent: 'refund' })),
];

describe('model serialisation', () => {
  it('gives identical predictions after a JSON round trip', () => {
    const { model } = trainIntentModel(EXAMPLES);
    const restored = deserializeIntentModel(JSON.parse(JSON.stringify(serializeIntentModel(model))));
    for (const text of [
      'parcel late',
      'give my money back',
      'what is the weather',
      'доставка задерживается',
    ]) {
      expect(classify(restored, text)).toEqual(classify(model, text));
    }
  });

  it('refuses a stored model whose arrays do not match its labels', () => {
    const stored = serializeIntentModel(trainIntentModel(EXAMPLES).model);
    stored.classifier.labels = stored.classifier.labels.slice(1);
    expect(() => deserializeIntentModel(stored)).toThrow(/inconsistent/);
  });

  it('refuses a stored model of another format version', () => {
    const stored = serializeIntentModel(trainIntentModel(EXAMPLES).model);
    const future = { ...stored, classifier: { ...stored.classifier, version: 2 } };
    expect(() => deserializeIntentModel(future as unknown as typeof stored)).toThrow(/retrain/);
  });
});
