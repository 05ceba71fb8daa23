// Figures that describe a classifier on labelled data: used for the report shown before an
// intent model is switched on, and by the benchmark.

export interface LabelFigures {
  label: string;
  precision: number;
  recall: number;
  f1: number;
  /** Examples whose true label this is. */
  support: number;
}

export interface Confusion {
  expected: string;
  predicted: string;
  count: number;
}

export interface Evaluation {
  accuracy: number;
  macroF1: number;
  perLabel: LabelFigures[];
  /** Most frequent mistakes first. */
  confusions: Confusion[];
}

/** Compares predicted with expected labels, pairwise. */
export function evaluatePredictions(expected: string[], predicted: string[]): Evaluation {
  if (expected.length !== predicted.length) {
    throw new Error(`${expected.length} expected labels but ${predicted.length} predictions`);
  }
  const labels = [...new Set([...expected, ...predicted])].sort();
  const truePositives = new Map<string, number>();
  const predictedCount = new Map<string, number>();
  const expectedCount = new Map<string, number>();
  const confusionCount = new Map<string, Confusion>();
  let correct = 0;
  expected.forEach((truth, i) => {
    const guess = predicted[i] as string;
    increment(expectedCount, truth);
    increment(predictedCount, guess);
    if (guess === truth) {
      correct++;
      increment(truePositives, truth);
      return;
    }
    const key = JSON.stringify([truth, guess]);
    const confusion = confusionCount.get(key) ?? { expected: truth, predicted: guess, count: 0 };
    confusion.count++;
    confusionCount.set(key, confusion);
  });
  const perLabel = labels
    .filter((label) => (expectedCount.get(label) ?? 0) > 0)
    .map((label) => labelFigures(label, truePositives, predictedCount, expectedCount));
  return {
    accuracy: correct / Math.max(1, expected.length),
    macroF1: perLabel.reduce((sum, figures) => sum + figures.f1, 0) / Math.max(1, perLabel.length),
    perLabel,
    confusions: [...confusionCount.values()].sort((a, b) => b.count - a.count),
  };
}

function labelFigures(
  label: string,
  truePositives: Map<string, number>,
  predictedCount: Map<string, number>,
  expectedCount: Map<string, number>,
): LabelFigures {
  const hits = truePositives.get(label) ?? 0;
  const predicted = predictedCount.get(label) ?? 0;
  const support = expectedCount.get(label) ?? 0;
  const precision = predicted === 0 ? 0 : hits / predicted;
  const recall = support === 0 ? 0 : hits / support;
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { label, precision, recall, f1, support };
}

function increment(counts: Map<string, number>, key: string): void {
  counts.set(key, (counts.get(key) ?? 0) + 1);
}
