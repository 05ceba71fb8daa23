import { describe, expect, it } from 'vitest';
import { CHANNEL_FIELDS, settingsOf, valuesOf, visibleFields } from './fields.js';

describe('e-mail channel form', () => {
  const names = (values: Record<string, string>) =>
    visibleFields(CHANNEL_FIELDS.email, values).map((f) => f.name);

  it('asks for the IMAP mailbox only when inbound mail is read over IMAP', () => {
    expect(names({ inbound: 'smtp' })).not.toContain('imapHost');
    expect(names({ inbound: 'imap' })).toEqual(
      expect.arrayContaining([
        'imapHost',
        'imapPort',
        'imapSecure',
        'imapUser',
        'imapPassword',
        'imapMailbox',
      ]),
    );
  });

  it('keeps the IMAP password a write-only secret', () => {
    expect(CHANNEL_FIELDS.email.find((f) => f.name === 'imapPassword')?.secret).toBe(true);
  });
});

describe('Telegram channel form', () => {
  it('offers a webhook first and long polling as the other way, under a label of its own', () => {
    const inbound = CHANNEL_FIELDS.telegram.find((f) => f.name === 'inbound');
    expect(inbound).toMatchObject({
      type: 'select',
      options: ['webhook', 'polling'],
      label: 'telegramInbound',
    });
  });
});

describe('editing a connected channel', () => {
  const fields = CHANNEL_FIELDS.email;

  it('starts from the stored settings and leaves every secret blank', () => {
    const values = valuesOf(fields, { address: 'help@shop.example', smtpPort: 587, smtpSecure: true });
    expect(values).toEqual({ address: 'help@shop.example', smtpPort: '587', smtpSecure: 'true' });
    expect(values).not.toHaveProperty('smtpPassword');
  });

  it('sends settings by type and only the secrets typed anew', () => {
    const sent = settingsOf(visibleFields(fields, { inbound: 'imap' }), {
      address: 'help@shop.example',
      smtpPort: '587',
      smtpSecure: 'false',
      inbound: 'imap',
      imapPassword: '',
      smtpPassword: 'new password',
    });
    expect(sent.config).toEqual({ address: 'help@shop.example', smtpPort: 587, inbound: 'imap' });
    expect(sent.secrets).toEqual({ smtpPassword: 'new password' });
  });
});
