// Inbound mail for e-mail channels over SMTP: a listener (smtp-server) that accepts mail only for
// the addresses of connected e-mail channels, turns it into a channel event (mail.ts) and queues
// it through the same path as every other channel. imap.ts is the other way in: a mailbox read.
import type { AddressInfo } from 'node:net';
import type { FastifyBaseLogger } from 'fastify';
import { SMTPServer } from 'smtp-server';
import type { ChannelRepo } from '../core/repo.js';
import type { ChannelService } from '../core/service.js';
import { MAX_MAIL_BYTES, mailToEvent } from './mail.js';

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
    const event = await mailToEvent(raw);
    if (!event) return;
    for (const recipient of new Set(recipients.map((r) => r.toLowerCase()))) {
      const row = await this.accountFor(recipient);
      if (row) await this.service.ingest(row, [event]);
    }
  }
}
