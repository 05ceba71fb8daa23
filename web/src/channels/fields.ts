// What the connect form asks for each channel: settings (shown back later) and secrets (write-only).
// A secret marked `generate` is filled with a random value the admin pastes at the provider.
import type { ChannelKind } from '@frontline/protocol';

export interface ChannelField {
  name: string;
  secret: boolean;
  type?: 'text' | 'number' | 'email' | 'url' | 'checkbox';
  optional?: boolean;
  generate?: boolean;
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

export const CHANNEL_FIELDS: Record<ChannelKind, ChannelField[]> = {
  telegram: [
    secret('botToken'),
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
  ],
  api: [setting('webhookUrl', { type: 'url' }), secret('signingSecret', { generate: true })],
};

export function randomToken(): string {
  const bytes = new Uint8Array(24);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
