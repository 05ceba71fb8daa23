// Intent models: which of a workspace's intents a visitor's message is, or none of them. "None"
// comes two ways: an explicit out-of-scope class, trained on general chatter shipped with this
// package plus any examples the workspace marks out of scope; and a confidence threshold, chosen
// on held-out examples so that it costs at most a set share of in-scope accuracy.
import { BACKGROUND_OUT_OF_SCOPE } from './corpora/background-out-of-scope.js';
import { evaluatePredictions, type Confusion, type LabelFigures } from './evaluation.js';
import { DEFAULT_FEATURE_OPTIONS, type FeatureOptions } from './features.js';
import { argmax } from './linear.js';
import { seededRandom, shuffleInPlace } from './random.js';
import {
  DEFAULT_TRAINING_OPTIONS,
  epochsFor,
  predictProbabilities,
  trainTextClassifier,
  type LabelledText,
  type TextClassifier,
  type TextClassifierOptions,
} from './text-classifier.js';

/** The intent name of examples that belong to none of the workspace's intents. */
export const OUT_OF_SCOPE = '_out_of_scope_';

export interface IntentExample {
  text: string;
  /** An intent name, or `OUT_OF_SCOPE`. */
  intent: string;
}

export interface IntentTrainingOptions {
  /** Seed of the held-out split and of the training order; equal inputs give equal models. */
  seed: number;
  /** Share of each intent's examples held out to tune the threshold and write the report. */
  heldOutShare: number;
  /**
   * A held-out set given instead of the split. The model trained on `examples` is then the final
   * one; with the split, the final model is retrained on all examples.
   */
  validation?: IntentExample[];
  /** In-scope accuracy, on held-out examples, the threshold may give up to reject more. */
  maxAccuracyLoss: number;
  /** Add the shipped general out-of-scope examples (ru and en) to the out-of-scope class. */
  includeBackground: boolean;
  features: FeatureOptions;
  learningRate: number;
  l2: number;
  featureDropout: number;
}

export const DEFAULT_INTENT_OPTIONS: IntentTrainingOptions = {
  seed: 1,
  heldOutShare: 0.2,
  maxAccuracyLoss: 0.005,
  includeBackground: true,
  features: DEFAULT_FEATURE_OPTIONS,
  learningRate: DEFAULT_TRAINING_OPTIONS.learningRate,
  l2: DEFAULT_TRAINING_OPTIONS.l2,
  featureDropout: DEFAULT_TRAINING_OPTIONS.featureDropout,
};

export interface IntentModel {
  classifier: TextClassifier;
  /** A message whose best intent is less likely than this is out of scope. */
  threshold: number;
}

export interface IntentModelReport {
  trainingExamples: number;
  heldOutExamples: number;
  epochs: number;
  threshold: number;
  /** Held-out in-scope examples whose best intent is right, whatever its confidence. */
  topIntentAccuracy: number;
  /** Held-out in-scope examples classified right and above the threshold. */
  accuracy: number;
  /** Held-out out-of-scope examples rejected; null when there were none. */
  outOfScopeRecall: number | null;
  /** Per intent, with out of scope as one more label. */
  perIntent: LabelFigures[];
  confusions: Confusion[];
}

export interface TrainedIntentModel {
  model: IntentModel;
  report: IntentModelReport;
}

export interface RankedIntent {
  intent: string;
  confidence: number;
}

export interface IntentPrediction {
  /** The intent, or null when the message is out of scope. */
  intent: string | null;
  /** Probability of the best in-scope intent. */
  confidence: number;
  /** In-scope intents, most likely first. */
  ranked: RankedIntent[];
}

export function trainIntentModel(
  examples: IntentExample[],
  options: Partial<IntentTrainingOptions> = {},
): TrainedIntentModel {
  const settings = { ...DEFAULT_INTENT_OPTIONS, ...options };
  const all = withBackground(examples.map(toLabelledText), settings.includeBackground);
  const intents = new Set(all.map((example) => example.label));
  intents.delete(OUT_OF_SCOPE);
  if (intents.size < 2) throw new Error('an intent model needs examples of at least two intents');
  const split = settings.validation
    ? { training: all, heldOut: settings.validation.map(toLabelledText) }
    : stratifiedSplit(all, settings.heldOutShare, settings.seed);
  const trial = trainTextClassifier(
    split.training,
    classifierOptions(settings, split.training.length),
    split.heldOut.length > 0 ? split.heldOut : undefined,
  );
  const outcomes = split.heldOut.map((example) => outcome(trial.classifier, example));
  const threshold = tuneThreshold(outcomes, settings.maxAccuracyLoss);
  const report = writeReport(outcomes, threshold, split.training.length, trial.epochs);
  // With a given validation set, or nothing held out, the trial model already saw every example.
  if (settings.validation || split.heldOut.length === 0) {
    return { model: { classifier: trial.classifier, threshold }, report };
  }
  const finalOptions = classifierOptions(settings, all.length);
  const final = trainTextClassifier(all, {
    ...finalOptions,
    training: { ...finalOptions.training, epochs: trial.epochs },
  });
  return { model: { classifier: final.classifier, threshold }, report };
}

export function classify(model: IntentModel, text: string): IntentPrediction {
  const { labels } = model.classifier;
  const probabilities = predictProbabilities(model.classifier, text);
  const ranked = labels
    .map((intent, index) => ({ intent, confidence: probabilities[index]! }))
    .filter((entry) => entry.intent !== OUT_OF_SCOPE)
    .sort((a, b) => b.confidence - a.confidence);
  const best = ranked[0];
  const outOfScopeWins = labels[argmax(probabilities)] === OUT_OF_SCOPE;
  const confident = best !== undefined && best.confidence >= model.threshold;
  return {
    intent: best && confident && !outOfScopeWins ? best.intent : null,
    confidence: best?.confidence ?? 0,
    ranked,
  };
}

function toLabelledText(example: IntentExample): LabelledText {
  return { text: example.text, label: example.intent };
}

function withBackground(examples: LabelledText[], include: boolean): LabelledText[] {
  if (!include) return examples;
  return [...examples, ...BACKGROUND_OUT_OF_SCOPE.map((text) => ({ text, label: OUT_OF_SCOPE }))];
}

function classifierOptions(settings: IntentTrainingOptions, examples: number): TextClassifierOptions {
  return {
    features: settings.features,
    training: {
      epochs: epochsFor(examples),
      learningRate: settings.learningRate,
      l2: settings.l2,
      featureDropout: settings.featureDropout,
      seed: settings.seed,
    },
    balanceClasses: true,
  };
}

/** Holds out the same share of every label, at least one example of labels that have two or more. */
export function stratifiedSplit<T extends LabelledText>(
  examples: T[],
  heldOutShare: number,
  seed: number,
): { training: T[]; heldOut: T[] } {
  const byLabel = new Map<string, T[]>();
  for (const example of examples) {
    const group = byLabel.get(example.label) ?? [];
    group.push(example);
    byLabel.set(example.label, group);
  }
  const random = seededRandom(seed);
  const training: T[] = [];
  const heldOut: T[] = [];
  for (const label of [...byLabel.keys()].sort()) {
    const group = shuffleInPlace([...(byLabel.get(label) ?? [])], random);
    const count =
      group.length < 2 || heldOutShare <= 0 ? 0 : Math.max(1, Math.round(group.length * heldOutShare));
    heldOut.push(...group.slice(0, count));
    training.push(...group.slice(count));
  }
  return { training, heldOut };
}

export interface HeldOutOutcome {
  expected: string;
  /** Best label overall, out of scope included. */
  predicted: string;
  /** Best in-scope intent and its probability. */
  bestIntent: string;
  confidence: number;
}

function outcome(classifier: TextClassifier, example: LabelledText): HeldOutOutcome {
  const probabilities = predictProbabilities(classifier, example.text);
  let bestIntent = '';
  let confidence = -1;
  classifier.labels.forEach((label, index) => {
    if (label !== OUT_OF_SCOPE && probabilities[index]! > confidence) {
      bestIntent = label;
      confidence = probabilities[index]!;
    }
  });
  return {
    expected: example.label,
    predicted: classifier.labels[argmax(probabilities)]!,
    bestIntent,
    confidence,
  };
}

function decide(outcome: HeldOutOutcome, threshold: number): string {
  return outcome.predicted === OUT_OF_SCOPE || outcome.confidence < threshold
    ? OUT_OF_SCOPE
    : outcome.predicted;
}

/**
 * The highest threshold that rejects at most `maxAccuracyLoss` of the held-out in-scope examples
 * that would otherwise be right: those right with the lowest confidence are the ones given up.
 */
export function tuneThreshold(outcomes: HeldOutOutcome[], maxAccuracyLoss: number): number {
  const inScope = outcomes.filter((entry) => entry.expected !== OUT_OF_SCOPE);
  const rightConfidences = inScope
    .filter((entry) => decide(entry, 0) === entry.expected)
    .map((entry) => entry.confidence)
    .sort((a, b) => a - b);
  const affordable = Math.floor(maxAccuracyLoss * inScope.length);
  return rightConfidences[Math.min(affordable, rightConfidences.length - 1)] ?? 0;
}

function writeReport(
  outcomes: HeldOutOutcome[],
  threshold: number,
  trainingExamples: number,
  epochs: number,
): IntentModelReport {
  const inScope = outcomes.filter((entry) => entry.expected !== OUT_OF_SCOPE);
  const outOfScope = outcomes.filter((entry) => entry.expected === OUT_OF_SCOPE);
  const share = (entries: HeldOutOutcome[], test: (entry: HeldOutOutcome) => boolean): number =>
    entries.filter(test).length / Math.max(1, entries.length);
  const evaluation = evaluatePredictions(
    outcomes.map((entry) => entry.expected),
    outcomes.map((entry) => decide(entry, threshold)),
  );
  return {
    trainingExamples,
    heldOutExamples: outcomes.length,
    epochs,
    threshold,
    topIntentAccuracy: share(inScope, (entry) => entry.bestIntent === entry.expected),
    accuracy: share(inScope, (entry) => decide(entry, threshold) === entry.expected),
    outOfScopeRecall:
      outOfScope.length === 0
        ? null
        : share(outOfScope, (entry) => decide(entry, threshold) === OUT_OF_SCOPE),
    perIntent: evaluation.perLabel,
    confusions: evaluation.confusions,
  };
}
