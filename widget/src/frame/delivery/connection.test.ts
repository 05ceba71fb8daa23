import { describe, expect, it } from 'vitest';
import { actionOnConnectError, mustReconnectByHand } from './connection.js';

describe('connection failures', () => {
  it('gets a new visitor token when the old one is refused', () => {
    expect(actionOnConnectError('token_expired', false)).toBe('renew-session');
    expect(actionOnConnectError('token_invalid', false)).toBe('renew-session');
  });

  it('stops on a site the workspace does not allow, since retrying cannot help', () => {
    expect(actionOnConnectError('origin_not_allowed', false)).toBe('give-up');
  });

  it("reconnects itself after a passing refusal, and leaves network errors to Socket.IO's retries", () => {
    expect(actionOnConnectError('internal', false)).toBe('reconnect');
    expect(actionOnConnectError('websocket error', true)).toBe('wait');
  });

  it('reconnects by hand only when the server closed the socket', () => {
    expect(mustReconnectByHand('io server disconnect')).toBe(true);
    expect(mustReconnectByHand('transport close')).toBe(false);
    expect(mustReconnectByHand('ping timeout')).toBe(false);
  });
});
