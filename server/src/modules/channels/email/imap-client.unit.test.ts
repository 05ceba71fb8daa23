import { describe, expect, it } from 'vitest';
import type { ImapSettings } from './adapter.js';
import { describeImapError } from './imap-client.js';

const settings: ImapSettings = {
  host: 'imap.example.org',
  port: 993,
  secure: true,
  user: 'support@example.org',
  password: 'secret',
  mailbox: 'INBOX',
  pollMs: 60_000,
  policy: 'public-and-private',
};

describe('IMAP errors as the admin reads them', () => {
  it('names the login and what to check when the password is wrong', () => {
    const error = Object.assign(new Error('Authentication failed'), {
      authenticationFailed: true,
      responseText: 'Authentication failed.',
    });
    expect(describeImapError(error, settings)).toBe(
      'IMAP: the server imap.example.org:993 refused the login of "support@example.org": check the IMAP user name and password (the server said: Authentication failed.)',
    );
  });

  it('says the server cannot be reached, with the system error code', () => {
    const error = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    expect(describeImapError(error, settings)).toBe(
      'IMAP: cannot reach imap.example.org:993 (ECONNREFUSED): check the IMAP server and port',
    );
  });

  it('names a missing folder', () => {
    const error = Object.assign(new Error('Mailbox does not exist'), { mailboxMissing: true });
    expect(describeImapError({ ...error }, { ...settings, mailbox: 'Support' })).toContain(
      'there is no mailbox "Support" for "support@example.org"',
    );
  });

  it('never shows the password', () => {
    expect(describeImapError(new Error('boom'), settings)).not.toContain('secret');
  });

  it('says a dropped connection is being re-made', () => {
    const error = Object.assign(new Error('closed'), { code: 'EConnectionClosed' });
    expect(describeImapError(error, settings)).toBe(
      'IMAP: imap.example.org:993 closed the connection; reconnecting',
    );
  });
});
