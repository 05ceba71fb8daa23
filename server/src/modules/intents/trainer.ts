// Runs intent training in a worker thread (train-worker.ts). The built server starts the compiled
// worker beside this file; run from TypeScript source (tests, `tsx`), it starts the source worker
// through tsx with the "source" export condition, so no build is needed first.
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { IntentExample } from '@frontline/nlu';
import type { TrainingRequest, TrainingResponse } from './train-worker.js';

export type TrainingOutcome = Extract<TrainingResponse, { ok: true }>;

/** Trains off the event loop; rejects with the trainer's own message when training fails. */
export function trainInWorker(examples: IntentExample[], seed = 1): Promise<TrainingOutcome> {
  const worker = startWorker();
  return new Promise<TrainingOutcome>((resolve, reject) => {
    worker.once('message', (response: TrainingResponse) => {
      if (response.ok) resolve(response);
      else reject(new Error(response.error));
      void worker.terminate();
    });
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`The training worker stopped (exit code ${code})`)));
    const request: TrainingRequest = { examples, seed };
    worker.postMessage(request);
  });
}

function startWorker(): Worker {
  if (!import.meta.url.endsWith('.ts')) return new Worker(new URL('./train-worker.js', import.meta.url));
  // From source: the thread loads tsx (its ESM loader, found from here), then the worker's TypeScript.
  const tsxPackage = createRequire(import.meta.url).resolve('tsx/package.json');
  const api = pathToFileURL(path.join(path.dirname(tsxPackage), 'dist', 'esm', 'api', 'index.mjs')).href;
  const entry = new URL('./train-worker.ts', import.meta.url).href;
  const bootstrap = `import(${JSON.stringify(api)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(entry)}); })`;
  return new Worker(bootstrap, { eval: true, execArgv: ['--conditions=source'] });
}
