// What the connect form asks for each channel: settings (shown back later) and secrets (write-only).
// A secret marked `generate` is filled with a random value the admin pastes at the provider.
import type { ChannelKind } from '@frontline/protocol';

export interface ChannelField {
  name: string;
  secret: boolean;
  type?: 'text' | 'number' | 'email' | 'url' | 'checkbox' | 'select';
  optional?: boolean;
  generate?: boolean;
  /** A select's values; the first is preselected. */
  options?: readonly string[];
  /** Asked (and sent) only while another field has this value. */
  when?: { field: string; value: string };
  /** The label's key under channels.fields when it is not the field's name (one setting name, two meanings). */
  label?: string;
}

const secret = (name: string, extra: Partial<ChannelField> = {}): ChannelField => ({
  name,
  secret: true,
  ...extra,
});
const setting = (name: string, extra: Partial<ChannelField> = {}): ChannelField => ({
  name,
  secret: false,
  ...extra,
});

const IMAP = { field: 'inbound', value: 'imap' };

export const CHANNEL_FIELDS: Record<ChannelKind, ChannelField[]> = {
  telegram: [
    secret('botToken'),
    setting('inbound', { type: 'select', options: ['webhook', 'polling'], label: 'telegramInbound' }),
    secret('webhookSecret', { generate: true }),
    setting('apiBase', { type: 'url', optional: true }),
  ],
  whatsapp: [
    setting('phoneNumberId'),
    secret('accessToken'),
    secret('appSecret'),
    secret('verifyToken', { generate: true }),
    setting('templateName', { optional: true }),
    setting('templateLanguage', { optional: true }),
  ],
  viber: [setting('senderName'), secret('authToken')],
  vk: [
    setting('groupId'),
    secret('accessToken'),
    secret('secret', { generate: true }),
    secret('confirmation'),
  ],
  messenger: [
    setting('pageId'),
    secret('pageAccessToken'),
    secret('appSecret'),
    secret('verifyToken', { generate: true }),
  ],
  email: [
    setting('address', { type: 'email' }),
    setting('fromName', { optional: true }),
    setting('smtpHost'),
    setting('smtpPort', { type: 'number' }),
    setting('smtpSecure', { type: 'checkbox', optional: true }),
    setting('smtpUser', { optional: true }),
    secret('smtpPassword', { optional: true }),
    setting('inbound', { type: 'select', options: ['smtp', 'imap'] }),
    setting('imapHost', { when: IMAP }),
    setting('imapPort', { type: 'number', when: IMAP }),
    setting('imapSecure', { type: 'checkbox', optional: true, when: IMAP }),
    setting('imapUser', { when: IMAP }),
    secret('imapPassword', { when: IMAP }),
    setting('imapMailbox', { optional: true, when: IMAP }),
    setting('imapPollSeconds', { type: 'number', optional: true, when: IMAP }),
  ],
  api: [setting('webhookUrl', { type: 'url' }), secret('signingSecret', { generate: true })],
};

/** The fields the form asks for now: those whose `when` holds for the values entered so far. */
export function visibleFields(fields: ChannelField[], values: Record<string, string>): ChannelField[] {
  return fields.filter((f) => !f.when || values[f.when.field] === f.when.value);
}

/**
 * What the form's values send: settings by type, secrets only where typed (an empty secret field
 * keeps the stored one), an unchecked box left out.
 */
export function settingsOf(
  fields: ChannelField[],
  values: Record<string, string>,
): { config: Record<string, string | number | boolean>; secrets: Record<string, string> } {
  const config: Record<string, string | number | boolean> = {};
  const secrets: Record<string, string> = {};
  for (const field of fields) {
    const value = values[field.name] ?? '';
    if (field.type === 'checkbox') {
      if (value === 'true') config[field.name] = true;
      continue;
    }
    if (value === '') continue;
    if (field.secret) secrets[field.name] = value;
    else config[field.name] = field.type === 'number' ? Number(value) : value;
  }
  return { config, secrets };
}

/** The edit form's starting values: the stored settings as typed text, secrets blank (never shown). */
export function valuesOf(fields: ChannelField[], config: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(
    fields
      .filter((f) => !f.secret && config[f.name] !== undefined && config[f.name] !== null)
      .map((f) => [f.name, String(config[f.name])]),
  );
}

export function randomToken(): string {
  const bytes = new Uint8Array(24);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
