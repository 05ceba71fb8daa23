// Secrets at rest: what admins hand us to call other systems with (channel tokens, webhook signing
// secrets, CRM lookup headers) and what host sites sign their users with (the widget identity secret) is stored AES-256-GCM encrypted, keyed from the server's SECRET_KEY.
// Each purpose derives a key of its own, so a value sealed for one place cannot be opened in another.
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

/** Where a sealed value is used; part of its key. Never rename one: its stored values depend on it. */
export type SecretPurpose =
  'channels' | 'webhooks' | 'customer-cards' | 'bot-secrets' | 'widget-identity' | 'answer-drafts';

const VERSION = 'v1';

/** A stored secret that cannot be opened: another SECRET_KEY, or a damaged value. */
export class SecretUnreadableError extends Error {
  constructor(readonly purpose: SecretPurpose) {
    super(
      `Stored ${purpose} secrets cannot be decrypted: SECRET_KEY is not the one they were saved with. ` +
        'Start the server with the previous SECRET_KEY, or enter the secrets again.',
    );
    this.name = 'SecretUnreadableError';
  }
}

export class SecretBox {
  private readonly key: Buffer;

  constructor(
    secretKey: string,
    readonly purpose: SecretPurpose,
  ) {
    this.key = createHash('sha256').update(`frontline-${purpose}:${secretKey}`).digest();
  }

  /** `v1:<iv>:<tag>:<ciphertext>`, base64 parts; a fresh IV every time. */
  seal(plaintext: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const data = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return [
      VERSION,
      iv.toString('base64'),
      cipher.getAuthTag().toString('base64'),
      data.toString('base64'),
    ].join(':');
  }

  /** The plaintext; throws SecretUnreadableError when the key is wrong or the value damaged. */
  open(stored: string): string {
    const [version, iv, tag, data, extra] = stored.split(':');
    if (version !== VERSION || !iv || !tag || data === undefined || extra !== undefined)
      throw new SecretUnreadableError(this.purpose);
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64'));
      decipher.setAuthTag(Buffer.from(tag, 'base64'));
      return Buffer.concat([decipher.update(Buffer.from(data, 'base64')), decipher.final()]).toString('utf8');
    } catch {
      throw new SecretUnreadableError(this.purpose);
    }
  }

  sealJson(value: Record<string, string>): string {
    return this.seal(JSON.stringify(value));
  }

  openJson(stored: string): Record<string, string> {
    return JSON.parse(this.open(stored)) as Record<string, string>;
  }
}
