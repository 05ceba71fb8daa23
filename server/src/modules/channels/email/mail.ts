// One inbound mail, whichever way it came in (our SMTP listener or an IMAP mailbox), as the
// channel event every provider produces: parsed by mailparser, quoted history and signature
// trimmed (email-reply-parser), attachments kept, threaded by Message-ID / In-Reply-To /
// References. The Message-ID is the provider id, so the same mail taken in twice (a sender's
// retry, a mailbox read again) is stored once; a mail without one is known by its hash.
import { createHash } from 'node:crypto';
import { simpleParser } from 'mailparser';
import EmailReplyParser from 'email-reply-parser';
import type { InboundMessage } from '../core/adapter.js';
import { INLINE_FILE_PREFIX } from './adapter.js';

/** The largest mail taken in, over SMTP or IMAP. */
export const MAX_MAIL_BYTES = 25 * 1024 * 1024;

/** The channel event of a raw RFC 5322 message, or undefined when it has no sender to answer. */
export async function mailToEvent(raw: Buffer): Promise<InboundMessage | undefined> {
  const mail = await simpleParser(raw);
  const from = mail.from?.value[0];
  if (!from?.address) return undefined;
  const address = from.address.toLowerCase();
  const references = [
    ...(Array.isArray(mail.references) ? mail.references : mail.references ? [mail.references] : []),
    ...(mail.inReplyTo ? [mail.inReplyTo] : []),
  ];
  const messageId = mail.messageId ?? `<${createHash('sha256').update(raw).digest('hex')}@frontline.local>`;
  const body = mail.text ?? '';
  const visible = new EmailReplyParser().parseReply(body).trim();
  return {
    type: 'message',
    providerId: messageId,
    user: { externalId: address, address, name: from.name || null, email: address },
    // A new thread opens with its subject; replies carry only what is new.
    text: [references.length === 0 ? mail.subject : undefined, visible || body.trim()]
      .filter(Boolean)
      .join('\n\n'),
    files: mail.attachments
      .filter((a) => a.contentDisposition !== 'inline' || !a.related)
      .map((a) => ({
        ref: INLINE_FILE_PREFIX + a.content.toString('base64'),
        name: a.filename ?? 'attachment',
        mime: a.contentType,
      })),
    thread: { messageId, references: [...new Set(references)], subject: mail.subject ?? '' },
  };
}
