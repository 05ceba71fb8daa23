// Idle widget connections: visitors who have the widget open and say nothing. Each has a session
// (a contact and a token) of its own, as real visitors do; the figure is what one such connection
// costs the server in resident memory, and whether the server holds them all at once.
import { SETUP_CONCURRENCY, connect, runPool, type ClientSocket, type Target } from './clients.js';
import type { Frontline } from './servers.js';

const RSS = 'frontline_process_resident_memory_bytes';
const VISITOR_SOCKETS = 'frontline_socket_connections{namespace="visitor"}';
/** Handshakes under way at once: enough to be quick, few enough not to time out in the backlog. */
const CONNECT_CONCURRENCY = 200;
/** Lets the server finish work the handshakes left (timers, garbage) before RSS is read. */
const SETTLE_MS = 3_000;

export interface IdleFigures {
  requested: number;
  sessionSeconds: number;
  connectSeconds: number;
  /** Sockets connected at the end, as this generator sees them and as the server counts them. */
  connected: number;
  serverCounted: number;
  failed: number;
  firstFailure: string | undefined;
  rssBeforeBytes: number;
  rssAfterBytes: number;
}

export async function openIdleConnections(
  frontline: Frontline,
  target: Target,
  count: number,
  progress: (line: string) => void,
): Promise<IdleFigures> {
  let started = performance.now();
  const auths = await runPool(count, SETUP_CONCURRENCY, () => target.newVisitorAuth());
  const sessionSeconds = (performance.now() - started) / 1000;
  progress(`${count} visitor sessions created in ${sessionSeconds.toFixed(1)} s; connecting their sockets`);

  await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
  const rssBeforeBytes = await frontline.metric(RSS);
  started = performance.now();
  let failed = 0;
  let firstFailure: string | undefined;
  const sockets = await runPool(count, CONNECT_CONCURRENCY, (i) =>
    connect(frontline, '/visitor', { auth: auths[i] ?? {} }).catch((error: Error) => {
      failed += 1;
      firstFailure ??= error.message;
      return undefined;
    }),
  );
  const connectSeconds = (performance.now() - started) / 1000;
  await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
  const figures: IdleFigures = {
    requested: count,
    sessionSeconds,
    connectSeconds,
    connected: sockets.filter((s) => s?.connected).length,
    serverCounted: await frontline.metric(VISITOR_SOCKETS),
    failed,
    firstFailure,
    rssBeforeBytes,
    rssAfterBytes: await frontline.metric(RSS),
  };
  await closeAll(frontline, sockets);
  return figures;
}

/** Closes the sockets and waits until the server has let them go, so later phases start clean. */
async function closeAll(frontline: Frontline, sockets: (ClientSocket | undefined)[]): Promise<void> {
  for (const socket of sockets) socket?.close();
  const deadline = performance.now() + 30_000;
  while (performance.now() < deadline && (await frontline.metric(VISITOR_SOCKETS)) > 0) {
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
