// Wiring of the channels module: the adapters, the service, its jobs, routes and the observer
// that queues replies, and inbound mail for e-mail channels (the SMTP listener, the IMAP poller).
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
import { ImapPoller } from './email/imap.js';
import { ImapMailboxRepo } from './email/imap-repo.js';
import { EmailInbound } from './email/inbound.js';
import { messengerAdapter } from './meta/messenger.js';
import { whatsappAdapter } from './meta/whatsapp.js';
import { telegramAdapter } from './telegram/adapter.js';
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
  const { smtpPort, smtpHost, imapLeaseMs, imapRetryMaxMs, retryBaseMs } = config.channels;
  const mailboxes = new ImapPoller(
    { channels: repo, mailboxes: new ImapMailboxRepo(storage.db), service, log: deps.log },
    { leaseMs: imapLeaseMs, retryBaseMs, retryMaxMs: imapRetryMaxMs },
  );
  service.onAccountsChanged(() => mailboxes.wake());
  return {
    service,
    start: async () => {
      mailboxes.start();
      if (smtpPort === undefined) return;
      const port = await mail.start(smtpPort, smtpHost);
      deps.log.info({ port }, 'inbound SMTP for e-mail channels listening');
    },
    stop: async () => {
      await Promise.all([mail.stop(), mailboxes.stop()]);
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
