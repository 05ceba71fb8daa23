// The IMAP side of an e-mail channel that reads a mailbox: one imapflow client per mailbox
// session, the login check behind "Test connection", and the words an admin sees when the
// mailbox cannot be read (a wrong password says so, and so does an unreachable server).
import { ImapFlow } from 'imapflow';
import { allowedAddress, OutboundRefusedError } from '../../../outbound-http.js';
import { ProviderError } from '../core/adapter.js';
import type { ImapSettings } from './adapter.js';

/** Every error this side records starts so, and only such errors are cleared by a good session. */
export const IMAP_ERROR_PREFIX = 'IMAP: ';

/** How long after the last command IDLE starts: short, so new mail is announced at once. */
const AUTO_IDLE_DELAY_MS = 1000;

/** Connects to an address of the host that OUTBOUND_URLS allows; TLS still checks the host's name. */
export async function imapClient(settings: ImapSettings): Promise<ImapFlow> {
  return new ImapFlow({
    host: await allowedAddress(settings.host, settings.policy),
    servername: settings.host,
    port: settings.port,
    secure: settings.secure,
    auth: { user: settings.user, pass: settings.password },
    logger: false,
    // IDLE where the server has it; elsewhere imapflow polls (NOOP) at this interval, and with
    // IDLE it restarts IDLE as often, which keeps middleboxes from dropping a quiet connection.
    maxIdleTime: settings.pollMs,
    autoIdleDelay: AUTO_IDLE_DELAY_MS,
    connectionTimeout: 30_000,
    greetingTimeout: 16_000,
    clientInfo: { name: 'Frontline' },
  });
}

interface ImapErrorShape {
  code?: string;
  authenticationFailed?: boolean;
  tlsFailed?: boolean;
  mailboxMissing?: boolean;
  responseText?: string;
  message?: string;
}

/** What went wrong, in words that tell the admin what to check; starts with IMAP_ERROR_PREFIX. */
export function describeImapError(error: unknown, settings: ImapSettings): string {
  const e = (typeof error === 'object' && error !== null ? error : {}) as ImapErrorShape;
  const server = `${settings.host}:${settings.port}`;
  const said = e.responseText ? ` (the server said: ${e.responseText})` : '';
  let text: string;
  if (error instanceof OutboundRefusedError) text = error.message;
  else if (e.authenticationFailed)
    text = `the server ${server} refused the login of "${settings.user}": check the IMAP user name and password${said}`;
  else if (e.mailboxMissing)
    text = `there is no mailbox "${settings.mailbox}" for "${settings.user}" on ${server}: check the mailbox name`;
  else if (e.tlsFailed)
    text = `TLS with ${server} failed: check the port and the TLS setting (${e.message ?? 'TLS error'})`;
  else if (
    e.code &&
    ['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH'].includes(e.code)
  )
    text = `cannot reach ${server} (${e.code}): check the IMAP server and port`;
  else if (e.code === 'EConnectionClosed' || e.code === 'NoConnection')
    text = `${server} closed the connection; reconnecting`;
  else if (e.code && ['CONNECT_TIMEOUT', 'GREETING_TIMEOUT', 'ETIMEDOUT', 'ETIMEOUT'].includes(e.code))
    text = `${server} did not answer in time (${e.code}): check the IMAP server, port and TLS setting`;
  else text = `reading ${server} failed: ${e.message ?? String(error)}${said}`;
  return IMAP_ERROR_PREFIX + text;
}

/** Logs in and opens the mailbox read-only; the admin's "Test connection" for the IMAP side. */
export async function checkImapLogin(settings: ImapSettings): Promise<string> {
  const client = await imapClient(settings).catch((error: unknown) => {
    throw new ProviderError(describeImapError(error, settings), !(error instanceof OutboundRefusedError));
  });
  client.on('error', () => undefined); // the failing command rejects with the same error
  try {
    await client.connect();
    const mailbox = await client.mailboxOpen(settings.mailbox, { readOnly: true });
    const idle = client.capabilities.has('IDLE')
      ? 'new mail is announced at once (IDLE)'
      : `polled every ${Math.round(settings.pollMs / 1000)} s`;
    return `the IMAP mailbox "${settings.mailbox}" of "${settings.user}" on ${settings.host} opens (${mailbox.exists} messages; ${idle})`;
  } catch (error) {
    const e = error as ImapErrorShape;
    throw new ProviderError(describeImapError(error, settings), !e.authenticationFailed);
  } finally {
    await client.logout().catch(() => client.close());
  }
}
