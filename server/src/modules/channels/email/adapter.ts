// E-mail as a channel. Inbound mail arrives over SMTP (inbound.ts: our own listener, the
// address's MX or a forwarding rule points at it), is parsed by mailparser, loses quoted
// history and signatures (email-reply-parser), keeps its attachments, and is threaded by
// Message-ID / In-Reply-To / References. Only the plain text is kept: HTML is never stored or
// shown, so there is nothing to sanitise. Outbound: nodemailer over the account's SMTP server, with
// a Message-ID of our own and In-Reply-To / References so the customer's mail client threads it.
// Buttons become links or a numbered list, a location a map link.
import nodemailer from 'nodemailer';
import { z } from 'zod';
import { ProviderError, type AccountContext, type ChannelAdapter } from '../core/adapter.js';
import { buttonLines, contactText, joinText, locationText } from '../core/fallback.js';

const Config = z
  .object({
    address: z.email(),
    fromName: z.string().max(100).optional(),
    smtpHost: z.string().min(1),
    smtpPort: z.coerce.number().int().min(1).max(65535),
    smtpSecure: z.boolean().optional(),
    smtpUser: z.string().optional(),
  })
  .strict();
const Secrets = z.record(z.enum(['smtpPassword']), z.string());

/** Files of an inbound mail travel inside the queued event, base64 with this prefix. */
export const INLINE_FILE_PREFIX = 'base64:';

function transport(account: AccountContext) {
  const c = account.config;
  return nodemailer.createTransport({
    host: String(c.smtpHost),
    port: Number(c.smtpPort),
    secure: c.smtpSecure === true,
    ...(c.smtpUser ? { auth: { user: String(c.smtpUser), pass: account.secrets.smtpPassword ?? '' } } : {}),
    connectionTimeout: 15_000,
    greetingTimeout: 15_000,
    socketTimeout: 30_000,
  });
}

/** 4xx SMTP answers and connection trouble are temporary; 5xx are the server's final word. */
function classify(error: unknown): ProviderError {
  const e = error as { responseCode?: number; response?: string; message?: string };
  const reason = e.response ?? e.message ?? String(error);
  const permanent = e.responseCode !== undefined && e.responseCode >= 500;
  return new ProviderError(`The mail server refused the message: ${reason}`, !permanent);
}

export function domainOf(address: string): string {
  return address.split('@')[1] ?? 'localhost';
}

export const emailAdapter: ChannelAdapter = {
  kind: 'email',
  // Mail servers throttle senders that burst; 5 letters a second suits most SMTP relays.
  sendRate: { perSecond: 5, perChatPerSecond: null },
  capabilities: {
    buttons: false,
    maxButtons: 0,
    linkButtons: false,
    attachments: true,
    maxFileBytes: 20 * 1024 * 1024,
    location: false,
    sharedContact: false,
    deliveryStatus: false,
    readStatus: false,
  },
  configSchema: Config,
  secretsSchema: Secrets as unknown as z.ZodType<Record<string, string>>,
  secretNames: ['smtpPassword'],

  // Mail comes in over SMTP, never through the webhook URL.
  verify: () => false,
  parse: () => ({ events: [] }),

  download(_account, file) {
    if (!file.ref.startsWith(INLINE_FILE_PREFIX))
      return Promise.reject(new ProviderError('Unknown mail attachment', false));
    return Promise.resolve({
      bytes: Buffer.from(file.ref.slice(INLINE_FILE_PREFIX.length), 'base64'),
      name: file.name ?? 'attachment',
      mime: file.mime ?? 'application/octet-stream',
    });
  },

  async send(account, target, message) {
    const address = String(account.config.address);
    const messageId = `<${message.id}@${domainOf(address)}>`;
    const subject = target.thread.subject
      ? /^re:/i.test(target.thread.subject)
        ? target.thread.subject
        : `Re: ${target.thread.subject}`
      : 'Re: your message';
    const text = joinText(
      message.text,
      message.buttons.length ? buttonLines(message.buttons).join('\n') : null,
      message.location ? locationText(message.location) : null,
      message.sharedContact ? contactText(message.sharedContact) : null,
    );
    const attachments = await Promise.all(
      message.files.map(async (f) => ({ filename: f.name, contentType: f.mime, content: await f.bytes() })),
    );
    try {
      await transport(account).sendMail({
        from: { name: String(account.config.fromName ?? message.authorName ?? address), address },
        to: target.address,
        subject,
        text: text || ' ',
        messageId,
        ...(target.thread.messageId ? { inReplyTo: target.thread.messageId } : {}),
        ...(target.thread.references?.length ? { references: target.thread.references } : {}),
        attachments,
      });
    } catch (error) {
      throw classify(error);
    }
    return { providerMessageId: messageId };
  },

  async test(account) {
    try {
      await transport(account).verify();
    } catch (error) {
      throw classify(error);
    }
    return `The SMTP server ${String(account.config.smtpHost)}:${String(account.config.smtpPort)} accepts the login; point the MX of ${String(account.config.address)} (or a forwarding rule) at this server's inbound SMTP port`;
  },
};
