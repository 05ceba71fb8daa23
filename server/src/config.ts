// Every setting Frontline reads, from environment variables, validated once at start.
// Documented in README.md ("Settings"); no other module reads process.env.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { LIMITS } from '@frontline/protocol';
import { OUTBOUND_URL_POLICIES, type OutboundUrlPolicy } from './outbound-http.js';

const flag = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const EnvSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('0.0.0.0'),
  PUBLIC_URL: z.url().optional(),
  DATA_DIR: z.string().default('./data'),
  DATABASE_URL: z
    .string()
    .regex(
      /^postgres(ql)?:\/\//,
      'DATABASE_URL must start with postgres:// (leave it unset for the embedded SQLite)',
    )
    .optional(),
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, 'REDIS_URL must start with redis:// or rediss://')
    .optional(),
  REDIS_KEY_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9:_.-]{1,64}$/, 'REDIS_KEY_PREFIX may hold letters, digits and : _ . - (at most 64)')
    .default('frontline:'),
  SECRET_KEY: z.string().min(32, 'SECRET_KEY needs at least 32 characters').optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  TRUST_PROXY: flag.default(false),
  SEED_DEMO: flag.default(true),
  FILE_MAX_BYTES: z.coerce.number().int().positive().max(LIMITS.fileMaxBytes).default(LIMITS.fileMaxBytes),
  SESSION_TTL_HOURS: z.coerce
    .number()
    .int()
    .positive()
    .default(24 * 30),
  VISITOR_TOKEN_TTL_DAYS: z.coerce.number().int().positive().default(365),
  RATE_LIMIT_LOGIN_PER_MINUTE: z.coerce.number().int().positive().default(10),
  RATE_LIMIT_MESSAGES_PER_MINUTE: z.coerce.number().int().positive().default(120),
  RATE_LIMIT_CONVERSATIONS_PER_HOUR: z.coerce.number().int().positive().default(30),
  SHUTDOWN_GRACE_MS: z.coerce.number().int().nonnegative().default(10_000),
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\//, 'SMTP_URL must start with smtp:// or smtps://')
    .optional(),
  MAIL_FROM: z.string().min(3).max(200).optional(),
  WIDGET_REPLY_MAIL_DELAY_SECONDS: z.coerce.number().int().nonnegative().default(120),
  RATE_LIMIT_API_PER_MINUTE: z.coerce.number().int().positive().default(600),
  RATE_LIMIT_HELP_PER_MINUTE: z.coerce.number().int().positive().default(120),
  RATE_LIMIT_DRAFTS_PER_MINUTE: z.coerce.number().int().positive().default(6),
  IDEMPOTENCY_TTL_HOURS: z.coerce.number().int().positive().max(720).default(24),
  WEBHOOK_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(50).default(12),
  WEBHOOK_RETRY_BASE_MS: z.coerce.number().int().positive().default(10_000),
  WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(100).max(30_000).default(10_000),
  OUTBOUND_URLS: z.enum(OUTBOUND_URL_POLICIES).default('public-and-private'),
  // Messenger and e-mail channels (docs/channels.md).
  CHANNEL_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(50).default(10),
  CHANNEL_RETRY_BASE_MS: z.coerce.number().int().positive().default(5_000),
  CHANNEL_SMTP_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  CHANNEL_SMTP_HOST: z.string().default('0.0.0.0'),
  CHANNEL_READER_LEASE_MS: z.coerce.number().int().min(1000).max(600_000).default(60_000),
  CHANNEL_READER_RETRY_MAX_MS: z.coerce.number().int().min(1000).default(600_000),
});

export interface Config {
  port: number;
  host: string;
  /** The address people and widgets reach this server at; used for links and the same-origin check. */
  publicUrl: string;
  dataDir: string;
  databaseUrl: string | undefined;
  redisUrl: string | undefined;
  /** Starts every Redis key and stream, so several installs (or test runs) can share one Redis. */
  redisKeyPrefix: string;
  secretKey: string;
  logLevel: z.infer<typeof EnvSchema>['LOG_LEVEL'];
  trustProxy: boolean;
  seedDemo: boolean;
  fileMaxBytes: number;
  sessionTtlMs: number;
  visitorTokenTtlSeconds: number;
  rateLimits: {
    loginPerMinute: number;
    messagesPerMinute: number;
    conversationsPerHour: number;
    apiPerMinute: number;
    helpPerMinute: number;
    draftsPerMinute: number;
  };
  shutdownGraceMs: number;
  /** Outgoing mail (replies to offline requests); undefined when SMTP is not set up. */
  smtp: { url: string; from: string } | undefined;
  widgetReplyMailDelayMs: number;
  /** Messenger and e-mail channels: outbound retries, and the inbound SMTP listener (off when unset). */
  channels: {
    maxAttempts: number;
    retryBaseMs: number;
    smtpPort: number | undefined;
    smtpHost: string;
    /** Pulled inbound (IMAP mailboxes, Telegram polling): how long a node's hold on one lasts unrenewed, and the longest retry wait. */
    readerLeaseMs: number;
    readerRetryMaxMs: number;
  };
  integrations: {
    idempotencyTtlMs: number;
    webhookMaxAttempts: number;
    /** First retry delay; each next one doubles (capped at six hours). */
    webhookRetryBaseMs: number;
    webhookTimeoutMs: number;
  };
  /** Where admin-configured outbound calls (webhooks, CRM lookups, bot actions) may connect. */
  outboundUrls: OutboundUrlPolicy;
}

export class ConfigError extends Error {}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n');
    throw new ConfigError(`Invalid settings (see README, "Settings"):\n${problems}`);
  }
  const e = parsed.data;
  const dataDir = path.resolve(e.DATA_DIR);
  return {
    port: e.PORT,
    host: e.HOST,
    publicUrl: (e.PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/$/, ''),
    dataDir,
    databaseUrl: e.DATABASE_URL,
    redisUrl: e.REDIS_URL,
    redisKeyPrefix: e.REDIS_KEY_PREFIX,
    secretKey: e.SECRET_KEY ?? loadOrCreateSecret(dataDir),
    logLevel: e.LOG_LEVEL,
    trustProxy: e.TRUST_PROXY,
    seedDemo: e.SEED_DEMO,
    fileMaxBytes: e.FILE_MAX_BYTES,
    sessionTtlMs: e.SESSION_TTL_HOURS * 3600_000,
    visitorTokenTtlSeconds: e.VISITOR_TOKEN_TTL_DAYS * 86_400,
    rateLimits: {
      loginPerMinute: e.RATE_LIMIT_LOGIN_PER_MINUTE,
      messagesPerMinute: e.RATE_LIMIT_MESSAGES_PER_MINUTE,
      conversationsPerHour: e.RATE_LIMIT_CONVERSATIONS_PER_HOUR,
      apiPerMinute: e.RATE_LIMIT_API_PER_MINUTE,
      helpPerMinute: e.RATE_LIMIT_HELP_PER_MINUTE,
      draftsPerMinute: e.RATE_LIMIT_DRAFTS_PER_MINUTE,
    },
    shutdownGraceMs: e.SHUTDOWN_GRACE_MS,
    smtp: e.SMTP_URL
      ? { url: e.SMTP_URL, from: e.MAIL_FROM ?? `Frontline <no-reply@${mailDomainOf(e.PUBLIC_URL)}>` }
      : undefined,
    widgetReplyMailDelayMs: e.WIDGET_REPLY_MAIL_DELAY_SECONDS * 1000,
    channels: {
      maxAttempts: e.CHANNEL_MAX_ATTEMPTS,
      retryBaseMs: e.CHANNEL_RETRY_BASE_MS,
      smtpPort: e.CHANNEL_SMTP_PORT,
      smtpHost: e.CHANNEL_SMTP_HOST,
      readerLeaseMs: e.CHANNEL_READER_LEASE_MS,
      readerRetryMaxMs: e.CHANNEL_READER_RETRY_MAX_MS,
    },
    integrations: {
      idempotencyTtlMs: e.IDEMPOTENCY_TTL_HOURS * 3600_000,
      webhookMaxAttempts: e.WEBHOOK_MAX_ATTEMPTS,
      webhookRetryBaseMs: e.WEBHOOK_RETRY_BASE_MS,
      webhookTimeoutMs: e.WEBHOOK_TIMEOUT_MS,
    },
    outboundUrls: e.OUTBOUND_URLS,
  };
}

/** Without SECRET_KEY a single node keeps a generated key in DATA_DIR so signed links survive restarts. */
function loadOrCreateSecret(dataDir: string): string {
  const file = path.join(dataDir, 'secret.key');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(32).toString('hex');
  writeFileSync(file, secret, { mode: 0o600 });
  return secret;
}

/** The sender's domain when MAIL_FROM is unset: the public address's host, else localhost. */
function mailDomainOf(publicUrl: string | undefined): string {
  return publicUrl ? new URL(publicUrl).hostname : 'localhost';
}
