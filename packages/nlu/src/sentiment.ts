// Sentiment: how upset a visitor's message reads, for the supervisors' "hot conversations" list.
// The same classifier as intents, trained on a small ru/en set written for this package (the
// only sentiment data we may ship); the shipped model is trained on first use, in well under a
// second, so the package carries no weights.
import { SENTIMENT_EXAMPLES } from './corpora/sentiment-examples.js';
import { stratifiedSplit } from './intents.js';
import {
  DEFAULT_TRAINING_OPTIONS,
  defaultClassifierOptions,
  predictProbabilities,
  trainTextClassifier,
  type LabelledText,
  type TextClassifier,
} from './text-classifier.js';

export type SentimentLabel = 'negative' | 'neutral' | 'positive';

export interface SentimentScore {
  label: string;
  /** Probability that the message is negative; 0 when the model has no negative class. */
  negative: number;
  /** Probability of every label of the model. */
  scores: Record<string, number>;
}

export interface SentimentTrainingOptions {
  /** Share held out to pick the number of epochs; noisy data over-fits after a few. 0 = none. */
  heldOutShare: number;
  seed: number;
  /**
   * Weigh classes inversely to their size. Off by default: on RuSentiTweet it trades two points
   * of accuracy for one of macro-F1, and a mood is asked for far more often than it is rare.
   */
  balanceClasses: boolean;
}

export const DEFAULT_SENTIMENT_OPTIONS: SentimentTrainingOptions = {
  heldOutShare: 0,
  seed: DEFAULT_TRAINING_OPTIONS.seed,
  balanceClasses: false,
};

/** Trains a sentiment classifier on any labels; `negative` is the one `scoreSentiment` reports. */
export function trainSentimentModel(
  examples: LabelledText[],
  options: Partial<SentimentTrainingOptions> = {},
): TextClassifier {
  const { heldOutShare, seed, balanceClasses } = { ...DEFAULT_SENTIMENT_OPTIONS, ...options };
  const defaults = defaultClassifierOptions(examples.length);
  const settings = { ...defaults, balanceClasses, training: { ...defaults.training, seed } };
  if (heldOutShare <= 0) return trainTextClassifier(examples, settings).classifier;
  const split = stratifiedSplit(examples, heldOutShare, seed);
  const trial = trainTextClassifier(split.training, settings, split.heldOut);
  return trainTextClassifier(examples, {
    ...settings,
    training: { ...settings.training, epochs: trial.epochs },
  }).classifier;
}

let shippedModel: TextClassifier | undefined;

/** The model trained on the shipped ru/en examples (negative, neutral, positive). */
export function shippedSentimentModel(): TextClassifier {
  shippedModel ??= trainSentimentModel(SENTIMENT_EXAMPLES);
  return shippedModel;
}

export function scoreSentiment(
  text: string,
  model: TextClassifier = shippedSentimentModel(),
): SentimentScore {
  const probabilities = predictProbabilities(model, text);
  const scores: Record<string, number> = {};
  let label = '';
  let best = -1;
  model.labels.forEach((name, index) => {
    const probability = probabilities[index]!;
    scores[name] = probability;
    if (probability > best) {
      best = probability;
      label = name;
    }
  });
  return { label, negative: scores.negative ?? 0, scores };
}
