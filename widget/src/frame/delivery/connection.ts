// What the widget does when its socket cannot connect or is closed. Socket.IO hands a handshake
// refusal over as an error whose message is the server's error code (server: socket-auth.ts).

export type ConnectionState = 'connecting' | 'online' | 'lost' | 'refused';

/**
 * renew-session: the visitor token is no longer good; get a new one and connect again.
 * give-up: this site may not use the widget; retrying cannot help, the visitor is told why.
 * reconnect: the server refused for a passing reason, and Socket.IO does not retry refusals.
 * wait: a network failure; Socket.IO is already retrying with its own backoff.
 */
export type ConnectFailureAction = 'renew-session' | 'give-up' | 'reconnect' | 'wait';

const TOKEN_CODES: ReadonlySet<string> = new Set(['token_expired', 'token_invalid', 'unauthorized']);
const FINAL_CODES: ReadonlySet<string> = new Set(['origin_not_allowed', 'forbidden']);

export function actionOnConnectError(code: string, socketWillRetry: boolean): ConnectFailureAction {
  if (TOKEN_CODES.has(code)) return 'renew-session';
  if (FINAL_CODES.has(code)) return 'give-up';
  return socketWillRetry ? 'wait' : 'reconnect';
}

/**
 * Socket.IO reconnects on its own after a lost connection, but not after the server closed the
 * socket, which it does when it restarts or shuts down: then the widget reconnects itself.
 */
export function mustReconnectByHand(disconnectReason: string): boolean {
  return disconnectReason === 'io server disconnect';
}
