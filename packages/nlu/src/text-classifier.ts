// A text classifier: features, their space and a softmax model, trained together. Intents and
// sentiment are both this one machine with different labels.
import {
  DEFAULT_FEATURE_OPTIONS,
  buildFeatureSpace,
  extractFeatures,
  vectorize,
  type FeatureOptions,
  type FeatureSpace,
} from './features.js';
import {
  computeProbabilities,
  trainSoftmax,
  type LinearModel,
  type SoftmaxTrainingOptions,
} from './linear.js';

export interface LabelledText {
  text: string;
  label: string;
}

export interface TextClassifier {
  labels: string[];
  space: FeatureSpace;
  linear: LinearModel;
}

export interface TextClassifierOptions {
  features: FeatureOptions;
  /** `epochs` is the most that will be run; with a validation set the best of them is kept. */
  training: SoftmaxTrainingOptions;
  /** Weigh classes inversely to their size, so that a large class does not swallow small ones. */
  balanceClasses: boolean;
}

export const DEFAULT_TRAINING_OPTIONS: Omit<SoftmaxTrainingOptions, 'epochs'> = {
  learningRate: 0.1,
  l2: 0.001,
  featureDropout: 0.4,
  seed: 1,
};

/**
 * Epochs for a training set of this size: the number of example updates is what matters, so
 * small sets get more passes (30 up to 4,000 examples), large ones fewer (12 from 10,000).
 */
export function epochsFor(examples: number): number {
  return Math.min(30, Math.max(12, Math.ceil(120_000 / Math.max(1, examples))));
}

export function defaultClassifierOptions(examples: number): TextClassifierOptions {
  return {
    features: DEFAULT_FEATURE_OPTIONS,
    training: { ...DEFAULT_TRAINING_OPTIONS, epochs: epochsFor(examples) },
    balanceClasses: true,
  };
}

export interface TrainedTextClassifier {
  classifier: TextClassifier;
  epochs: number;
}

/** Trains on `examples`; labels absent from them cannot be predicted, so `validation` may not use them. */
export function trainTextClassifier(
  examples: LabelledText[],
  options: TextClassifierOptions,
  validation?: LabelledText[],
): TrainedTextClassifier {
  const labels = [...new Set(examples.map((example) => example.label))].sort();
  const labelIndex = new Map(labels.map((label, index) => [label, index]));
  const extracted = examples.map((example) => extractFeatures(example.text, options.features));
  const space = buildFeatureSpace(extracted, options.features);
  const labelIds = Int32Array.from(examples, (example) => labelIndex.get(example.label) ?? 0);
  const validationSet = validation && {
    vectors: validation.map((example) => vectorize(space, extractFeatures(example.text, options.features))),
    labels: Int32Array.from(validation, (example) => {
      const id = labelIndex.get(example.label);
      if (id === undefined) throw new Error(`validation label "${example.label}" has no training examples`);
      return id;
    }),
  };
  const trained = trainSoftmax(
    {
      vectors: extracted.map((features) => vectorize(space, features)),
      labels: labelIds,
      classWeights: classWeights(labelIds, labels.length, options.balanceClasses),
      rows: space.hashes.length,
      classes: labels.length,
    },
    options.training,
    validationSet,
  );
  return { classifier: { labels, space, linear: trained.model }, epochs: trained.epochs };
}

function classWeights(labels: Int32Array, classes: number, balance: boolean): Float32Array {
  const weights = new Float32Array(classes).fill(1);
  if (!balance) return weights;
  const counts = new Float64Array(classes);
  for (const label of labels) counts[label]! += 1;
  for (let k = 0; k < classes; k++) weights[k] = labels.length / (classes * Math.max(1, counts[k]!));
  return weights;
}

/** Probability of each of `classifier.labels`, in that order. */
export function predictProbabilities(classifier: TextClassifier, text: string): Float64Array {
  const vector = vectorize(classifier.space, extractFeatures(text, classifier.space.options));
  return computeProbabilities(classifier.linear, vector, new Float64Array(classifier.labels.length));
}
