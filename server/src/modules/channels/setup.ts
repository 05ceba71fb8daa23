// Wiring of the channels module: the adapters, the service, its jobs, routes and the observer
// that queues replies, and the inbound this server fetches itself: mail for e-mail channels (the
// SMTP listener, IMAP mailboxes) and Telegram long polling, the last two as channel readers.
// app.ts calls these.
import type { FastifyBaseLogger } from 'fastify';
import type { Redis } from 'ioredis';
import type { Config } from '../../config.js';
import type { OutboundHttp } from '../../outbound-http.js';
import type { HttpApp } from '../../http.js';
import type { JobRunner } from '../../jobs/runner.js';
import type { JobRepo } from '../../jobs/repo.js';
import type { RealtimeHub } from '../../realtime/hub.js';
import type { Storage } from '../../storage/database.js';
import type { AuthService } from '../auth/service.js';
import type { ContactService } from '../contacts/service.js';
import type { ConversationService } from '../conversations/service.js';
import type { FileService } from '../files/service.js';
import type { ChannelAdapter } from './core/adapter.js';
import { ChannelRepo } from './core/repo.js';
import { channelRoutes } from './core/routes.js';
import { CHANNEL_INBOUND_JOB, CHANNEL_SEND_JOB, ChannelService } from './core/service.js';
import { SendThrottle } from './core/throttle.js';
import { apiAdapter } from './api/adapter.js';
import { emailAdapter } from './email/adapter.js';
import { ChannelReaders } from './core/readers.js';
import { ReaderLeaseRepo } from './core/reader-repo.js';
import { imapReaderKind } from './email/imap.js';
import { ImapMailboxRepo } from './email/imap-repo.js';
import { EmailInbound } from './email/inbound.js';
import { messengerAdapter } from './meta/messenger.js';
import { whatsappAdapter } from './meta/whatsapp.js';
import { telegramAdapter } from './telegram/adapter.js';
import { telegramReaderKind } from './telegram/polling.js';
import { TelegramPollsRepo } from './telegram/polls-repo.js';
import { viberAdapter } from './viber/adapter.js';
import { vkAdapter } from './vk/adapter.js';

export const CHANNEL_ADAPTERS: ChannelAdapter[] = [
  telegramAdapter,
  whatsappAdapter,
  viberAdapter,
  vkAdapter,
  messengerAdapter,
  emailAdapter,
  apiAdapter,
];

export interface Channels {
  service: ChannelService;
  start(): Promise<void>;
  stop(): Promise<void>;
}

export function createChannels(
  config: Config,
  storage: Storage,
  deps: {
    conversations: ConversationService;
    contacts: ContactService;
    files: FileService;
    jobs: JobRepo;
    hub: RealtimeHub;
    log: FastifyBaseLogger;
    /** Shared send-rate counts across nodes (cluster mode). */
    redis: Redis | undefined;
    outbound: OutboundHttp;
  },
): Channels {
  const repo = new ChannelRepo(storage.db);
  const service = new ChannelService({
    ...deps,
    repo,
    adapters: CHANNEL_ADAPTERS,
    secretKey: config.secretKey,
    http: deps.outbound,
    publicUrl: config.publicUrl,
    fileMaxBytes: config.fileMaxBytes,
    retryBaseMs: config.channels.retryBaseMs,
    maxAttempts: config.channels.maxAttempts,
    throttle: new SendThrottle(deps.redis, config.redisKeyPrefix),
  });
  deps.conversations.onRecorded(service.observer());
  const mail = new EmailInbound(repo, service, deps.log);
  const { smtpPort, smtpHost, readerLeaseMs, readerRetryMaxMs, retryBaseMs } = config.channels;
  const leases = new ReaderLeaseRepo(storage.db);
  const retry = { retryBaseMs, retryMaxMs: readerRetryMaxMs };
  const common = { channels: repo, leases, service, log: deps.log };
  const readers = [
    imapReaderKind({ ...common, mailboxes: new ImapMailboxRepo(storage.db) }, retry),
    telegramReaderKind({ ...common, polls: new TelegramPollsRepo(storage.db) }, retry),
  ].map((kind) => new ChannelReaders(kind, { leases, log: deps.log }, { leaseMs: readerLeaseMs }));
  service.onAccountsChanged(() => readers.forEach((r) => r.wake()));
  return {
    service,
    start: async () => {
      readers.forEach((r) => r.start());
      if (smtpPort === undefined) return;
      const port = await mail.start(smtpPort, smtpHost);
      deps.log.info({ port }, 'inbound SMTP for e-mail channels listening');
    },
    stop: async () => {
      await Promise.all([mail.stop(), ...readers.map((r) => r.stop())]);
    },
  };
}

export function registerChannelJobs(runner: JobRunner, channels: Channels): void {
  const { service } = channels;
  runner.register(CHANNEL_INBOUND_JOB, (payload, job) => service.processInbound(payload, job.attempts), {
    maxAttempts: service.maxAttempts,
    backoffMs: service.retryBackoff,
  });
  runner.register(CHANNEL_SEND_JOB, (payload, job) => service.send(payload, job), {
    maxAttempts: service.maxAttempts,
    backoffMs: service.retryBackoff,
    onDead: (payload, _job, error) => service.sendDied(payload, error),
  });
}

export function registerChannelRoutes(
  http: HttpApp,
  auth: AuthService,
  channels: Channels,
  conversations: ConversationService,
): void {
  channelRoutes(http, auth, channels.service, conversations);
}
