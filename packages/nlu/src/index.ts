// @frontline/nlu: language understanding that runs in-process on CPU, with no downloaded
// weights. Pure functions and plain data: the server trains, stores and loads models.
export { normalizeText, MASK } from './normalize.js';
export { tokenize, stemWord } from './tokenize.js';
export { DEFAULT_FEATURE_OPTIONS, type FeatureOptions } from './features.js';
export { evaluatePredictions, type Evaluation, type LabelFigures, type Confusion } from './evaluation.js';
export type { LabelledText, TextClassifier } from './text-classifier.js';
export {
  OUT_OF_SCOPE,
  DEFAULT_INTENT_OPTIONS,
  trainIntentModel,
  classify,
  stratifiedSplit,
  type IntentExample,
  type IntentModel,
  type IntentModelReport,
  type IntentPrediction,
  type IntentTrainingOptions,
  type RankedIntent,
  type TrainedIntentModel,
} from './intents.js';
export {
  DEFAULT_SENTIMENT_OPTIONS,
  scoreSentiment,
  shippedSentimentModel,
  trainSentimentModel,
  type SentimentLabel,
  type SentimentScore,
  type SentimentTrainingOptions,
} from './sentiment.js';
export {
  DEFAULT_RETRIEVER_OPTIONS,
  KnowledgeRetriever,
  type KnowledgeDocument,
  type KnowledgeMatch,
  type RetrieverOptions,
} from './retrieval.js';
export {
  serializeIntentModel,
  deserializeIntentModel,
  serializeTextClassifier,
  deserializeTextClassifier,
  type SerializedIntentModel,
  type SerializedTextClassifier,
} from './serialize.js';
