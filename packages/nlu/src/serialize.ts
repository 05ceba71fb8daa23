// Models as plain JSON-able objects, to be stored (the server keeps one per version) and loaded
// back with identical predictions: weights travel as the exact float32 bytes.
import { base64ToFloat32, base64ToUint32, float32ToBase64, uint32ToBase64 } from './base64.js';
import { restoreFeatureSpace, type FeatureOptions } from './features.js';
import type { IntentModel } from './intents.js';
import type { TextClassifier } from './text-classifier.js';

const FORMAT = 'frontline-nlu/text-classifier';
const VERSION = 1;

export interface SerializedTextClassifier {
  format: typeof FORMAT;
  version: typeof VERSION;
  labels: string[];
  features: FeatureOptions;
  /** Base64 of little-endian uint32 feature hashes, one per weight row. */
  hashes: string;
  /** Base64 of little-endian float32 idf values, one per row. */
  idf: string;
  unseenIdf: number;
  /** Base64 of little-endian float32 weights, rows × labels, row-major. */
  weights: string;
  bias: number[];
}

export interface SerializedIntentModel {
  classifier: SerializedTextClassifier;
  threshold: number;
}

export function serializeTextClassifier(classifier: TextClassifier): SerializedTextClassifier {
  return {
    format: FORMAT,
    version: VERSION,
    labels: [...classifier.labels],
    features: { ...classifier.space.options },
    hashes: uint32ToBase64(classifier.space.hashes),
    idf: float32ToBase64(classifier.space.idf),
    unseenIdf: classifier.space.unseenIdf,
    weights: float32ToBase64(classifier.linear.weights),
    bias: Array.from(classifier.linear.bias),
  };
}

export function deserializeTextClassifier(stored: SerializedTextClassifier): TextClassifier {
  if (stored.format !== FORMAT || stored.version !== VERSION) {
    throw new Error(`unsupported model format ${stored.format} v${stored.version}; retrain the model`);
  }
  const hashes = base64ToUint32(stored.hashes);
  const idf = base64ToFloat32(stored.idf);
  const weights = base64ToFloat32(stored.weights);
  const classes = stored.labels.length;
  if (
    idf.length !== hashes.length ||
    weights.length !== hashes.length * classes ||
    stored.bias.length !== classes
  ) {
    throw new Error('stored model is inconsistent: its arrays do not match its labels and features');
  }
  return {
    labels: [...stored.labels],
    space: restoreFeatureSpace({ ...stored.features }, hashes, idf, stored.unseenIdf),
    linear: { classes, rows: hashes.length, weights, bias: Float32Array.from(stored.bias) },
  };
}

export function serializeIntentModel(model: IntentModel): SerializedIntentModel {
  return { classifier: serializeTextClassifier(model.classifier), threshold: model.threshold };
}

export function deserializeIntentModel(stored: SerializedIntentModel): IntentModel {
  return { classifier: deserializeTextClassifier(stored.classifier), threshold: stored.threshold };
}
