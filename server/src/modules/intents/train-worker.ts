// The worker thread that trains an intent model: CPU-bound for seconds, so it never runs on the
// event loop that delivers messages. Receives the examples, answers with the serialised model and
// its evaluation report, or with the error.
import { parentPort } from 'node:worker_threads';
import { serializeIntentModel, trainIntentModel, type IntentExample } from '@frontline/nlu';

export interface TrainingRequest {
  examples: IntentExample[];
  seed: number;
}

export type TrainingResponse =
  | { ok: true; model: string; report: ReturnType<typeof trainIntentModel>['report']; ms: number }
  | { ok: false; error: string };

parentPort?.once('message', (request: TrainingRequest) => {
  const started = performance.now();
  let response: TrainingResponse;
  try {
    const { model, report } = trainIntentModel(request.examples, { seed: request.seed });
    response = {
      ok: true,
      model: JSON.stringify(serializeIntentModel(model)),
      report,
      ms: Math.round(performance.now() - started),
    };
  } catch (error) {
    response = { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
  parentPort?.postMessage(response);
});
