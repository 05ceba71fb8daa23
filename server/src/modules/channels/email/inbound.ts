// Inbound mail for e-mail channels: an SMTP listener (smtp-server) that accepts mail only for
// the addresses of connected e-mail channels, parses it (mailparser), trims quoted history and
// signatures (email-reply-parser), and queues it through the same path as every other channel
// (dedupe by Message-ID, or by a hash of the message when it has none).
import { createHash } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { FastifyBaseLogger } from 'fastify';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import EmailReplyParser from 'email-reply-parser';
import type { InboundMessage } from '../core/adapter.js';
import type { ChannelRepo } from '../core/repo.js';
import type { ChannelService } from '../core/service.js';
import { INLINE_FILE_PREFIX } from './adapter.js';

const MAX_MAIL_BYTES = 25 * 1024 * 1024;

export class EmailInbound {
  private server: SMTPServer | undefined;

  constructor(
    private readonly repo: ChannelRepo,
    private readonly service: ChannelService,
    private readonly log: FastifyBaseLogger,
  ) {}

  async start(port: number, host: string): Promise<number> {
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['AUTH', 'STARTTLS'],
      size: MAX_MAIL_BYTES,
      logger: false,
      onRcptTo: (address, _session, callback) => {
        void this.accountFor(address.address).then(
          (row) =>
            callback(row ? null : Object.assign(new Error('No such mailbox here'), { responseCode: 550 })),
          (error: unknown) => callback(error as Error),
        );
      },
      onData: (stream, session, callback) => {
        const recipients = session.envelope.rcptTo.map((r) => r.address);
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          void this.receive(Buffer.concat(chunks), recipients).then(
            () => callback(),
            (error: unknown) => {
              this.log.error({ err: error }, 'inbound mail not stored');
              callback(Object.assign(new Error('Temporary failure, try again later'), { responseCode: 451 }));
            },
          );
        });
      },
    });
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => resolve());
    });
    server.on('error', (error) => this.log.warn({ err: error }, 'inbound SMTP error'));
    return (server.server.address() as AddressInfo).port;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private async accountFor(address: string) {
    const wanted = address.toLowerCase();
    const rows = await this.repo.enabledAccountsOfKind('email');
    return rows.find((row) => {
      try {
        return (
          String((JSON.parse(row.config) as { address?: string }).address ?? '').toLowerCase() === wanted
        );
      } catch {
        return false;
      }
    });
  }

  private async receive(raw: Buffer, recipients: string[]): Promise<void> {
    const mail = await simpleParser(raw);
    const from = mail.from?.value[0];
    if (!from?.address) return;
    const address = from.address.toLowerCase();
    const references = [
      ...(Array.isArray(mail.references) ? mail.references : mail.references ? [mail.references] : []),
      ...(mail.inReplyTo ? [mail.inReplyTo] : []),
    ];
    const messageId = mail.messageId ?? `<${createHash('sha256').update(raw).digest('hex')}@frontline.local>`;
    const body = mail.text ?? '';
    const visible = new EmailReplyParser().parseReply(body).trim();
    const event: InboundMessage = {
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
    for (const recipient of new Set(recipients.map((r) => r.toLowerCase()))) {
      const row = await this.accountFor(recipient);
      if (row) await this.service.ingest(row, [event]);
    }
  }
}
