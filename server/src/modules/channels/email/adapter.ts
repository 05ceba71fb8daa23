// E-mail as a channel. Inbound mail arrives one of two ways, chosen per channel (config `inbound`):
// over SMTP (inbound.ts: our own listener, the address's MX or a forwarding rule points at it), or
// read from an IMAP mailbox (imap.ts: IDLE, or polling where the server has no IDLE). Either way
// mail.ts parses it (mailparser), drops quoted history and signatures (email-reply-parser), keeps
// its attachments, and threads it by Message-ID / In-Reply-To / References. Only the plain text is
// kept: HTML is never stored or shown, so there is nothing to sanitise. Outbound: nodemailer over
// the account's SMTP server, with a Message-ID of our own and In-Reply-To / References so the
// customer's mail client threads it. Buttons become links or a numbered list, a location a map link.
import nodemailer from 'nodemailer';
import { z } from 'zod';
import { ProviderError, type AccountContext, type ChannelAdapter } from '../core/adapter.js';
import { buttonLines, contactText, joinText, locationText } from '../core/fallback.js';
import { allowedAddress, OutboundRefusedError, type OutboundUrlPolicy } from '../../../outbound-http.js';
import { checkImapLogin } from './imap-client.js';

/** How a channel's inbound mail arrives: our SMTP listener, or an IMAP mailbox this server reads. */
export const EMAIL_INBOUND_MODES = ['smtp', 'imap'] as const;
/** How often a mailbox is looked at when its server has no IDLE, unless the channel says. */
export const DEFAULT_IMAP_POLL_SECONDS = 60;

const Config = z
  .object({
    address: z.email(),
    fromName: z.string().max(100).optional(),
    smtpHost: z.string().min(1),
    smtpPort: z.coerce.number().int().min(1).max(65535),
    smtpSecure: z.boolean().optional(),
    smtpUser: z.string().optional(),
    inbound: z.enum(EMAIL_INBOUND_MODES).optional(),
    imapHost: z.string().min(1).max(255).optional(),
    imapPort: z.coerce.number().int().min(1).max(65535).optional(),
    /** TLS from the start (port 993); without it STARTTLS is used when the server offers it. */
    imapSecure: z.boolean().optional(),
    imapUser: z.string().min(1).max(255).optional(),
    imapMailbox: z.string().min(1).max(255).optional(),
    imapPollSeconds: z.coerce.number().int().min(5).max(3600).optional(),
  })
  .strict()
  .superRefine((config, ctx) => {
    if (config.inbound !== 'imap') return;
    for (const field of ['imapHost', 'imapPort', 'imapUser'] as const)
      if (config[field] === undefined)
        ctx.addIssue({
          code: 'custom',
          path: [field],
          message: 'is required when inbound mail is read over IMAP',
        });
  });
// Both optional: an SMTP server may take mail without a login, and only IMAP inbound needs imapPassword.
const Secrets = z.partialRecord(z.enum(['smtpPassword', 'imapPassword']), z.string());

/** The IMAP settings of a channel that reads its mail from a mailbox, or undefined for SMTP inbound. */
export interface ImapSettings {
  host: string;
  port: number;
  secure: boolean;
  user: string;
  password: string;
  mailbox: string;
  pollMs: number;
  /** OUTBOUND_URLS: which addresses of the host may be connected to. */
  policy: OutboundUrlPolicy;
}

export function imapSettings(
  account: Pick<AccountContext, 'config' | 'secrets' | 'http'>,
): ImapSettings | undefined {
  const c = account.config;
  if (c.inbound !== 'imap') return undefined;
  return {
    host: String(c.imapHost),
    port: Number(c.imapPort),
    secure: c.imapSecure === true,
    user: String(c.imapUser),
    password: account.secrets.imapPassword ?? '',
    mailbox: typeof c.imapMailbox === 'string' && c.imapMailbox ? c.imapMailbox : 'INBOX',
    pollMs: Number(c.imapPollSeconds ?? DEFAULT_IMAP_POLL_SECONDS) * 1000,
    policy: account.http.policy,
  };
}

/** Files of an inbound mail travel inside the queued event, base64 with this prefix. */
export const INLINE_FILE_PREFIX = 'base64:';

/** Connects to an address of the SMTP host that OUTBOUND_URLS allows; TLS still checks the host's name. */
async function transport(account: AccountContext) {
  const c = account.config;
  const host = String(c.smtpHost);
  return nodemailer.createTransport({
    host: await allowedAddress(host, account.http.policy),
    tls: { servername: host },
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
  if (error instanceof OutboundRefusedError) return new ProviderError(error.message, false);
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
  secretNames: ['smtpPassword', 'imapPassword'],

  // Mail comes in over SMTP or IMAP, never through the webhook URL.
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
      await (
        await transport(account)
      ).sendMail({
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
      await (await transport(account)).verify();
    } catch (error) {
      throw classify(error);
    }
    const smtp = `The SMTP server ${String(account.config.smtpHost)}:${String(account.config.smtpPort)} accepts the login`;
    const imap = imapSettings(account);
    if (!imap)
      return `${smtp}; point the MX of ${String(account.config.address)} (or a forwarding rule) at this server's inbound SMTP port`;
    return `${smtp}; ${await checkImapLogin(imap)}`;
  },
};
