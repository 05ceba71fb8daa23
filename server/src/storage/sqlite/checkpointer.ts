// Copies SQLite's write-ahead log back into the database file on a worker thread. A checkpoint
// ends with fsync; left to SQLite it runs inside whichever commit crosses the threshold, on the
// event loop, stalling every chat for milliseconds. Here the main connection never checkpoints
// (wal_autocheckpoint = 0) and a second connection on its own thread does, without blocking writers.
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

export interface CheckpointerOptions {
  intervalMs: number;
  /** When the log holds more than this, a checkpoint waits for the writer once so it can start over. */
  restartAboveBytes: number;
}

/** Also the WAL file's size limit (journal_size_limit): a log that started over gives the rest back. */
export const WAL_LIMIT_BYTES = 64 * 1024 * 1024;

const DEFAULTS: CheckpointerOptions = { intervalMs: 500, restartAboveBytes: WAL_LIMIT_BYTES };

// Evaluated as a CommonJS script: the same code runs from the built server and under the tests,
// which load TypeScript sources a worker file could not be started from.
// PASSIVE copies what it can without waiting for anyone; once it has copied the whole log, the next
// write starts the log over by itself. Only a long log it could not copy (readers holding old
// pages) needs RESTART, which makes writers wait while it runs: decided by the frames in the log,
// never by the WAL file's size, which stays at its largest until the log starts over.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driverPath);
const db = new Database(workerData.file);
db.pragma('busy_timeout = 2000');
const pageSize = db.pragma('page_size', { simple: true });
const timer = setInterval(() => {
  try {
    const [{ log, checkpointed }] = db.pragma('wal_checkpoint(PASSIVE)');
    if (checkpointed < log && log * pageSize > workerData.restartAboveBytes) db.pragma('wal_checkpoint(RESTART)');
  } catch (error) {
    parentPort.postMessage(String(error));
  }
}, workerData.intervalMs);
parentPort.on('message', () => {
  clearInterval(timer);
  db.close();
  parentPort.close();
});
`;

export class Checkpointer {
  private readonly worker: Worker;
  private readonly exited: Promise<void>;

  constructor(file: string, onError: (message: string) => void, options: CheckpointerOptions = DEFAULTS) {
    const driverPath = createRequire(import.meta.url).resolve('better-sqlite3');
    this.worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { file, driverPath, ...options } });
    this.worker.on('message', (message: string) => onError(message));
    this.worker.on('error', (error) => onError(String(error)));
    this.exited = new Promise((resolve) => this.worker.once('exit', () => resolve()));
    // A process with nothing else to do must still be able to exit.
    this.worker.unref();
  }

  async stop(): Promise<void> {
    this.worker.postMessage('stop');
    await this.exited;
  }
}
