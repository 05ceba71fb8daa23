// Builds and wires the integrations area (public API policy, webhooks, customer cards, contact
// attributes, identity, data protection, audit log) onto the core services, so app.ts adopts all
// of it with a few calls.
import type { FastifyBaseLogger } from 'fastify';
import type { Config } from '../../config.js';
import type { HttpApp } from '../../http.js';
import type { JobRepo } from '../../jobs/repo.js';
import type { JobRunner } from '../../jobs/runner.js';
import type { RateLimits } from '../../rate-limits.js';
import type { OutboundHttp } from '../../outbound-http.js';
import { SecretBox } from '../../secrets.js';
import type { Storage } from '../../storage/database.js';
import { IdempotencyRepo } from '../api/idempotency-repo.js';
import { registerApiPolicy } from '../api/policy.js';
import { publicApiRoutes } from '../api/routes.js';
import { AuditRepo } from '../audit/repo.js';
import { auditRoutes } from '../audit/routes.js';
import { AuditService } from '../audit/service.js';
import type { AuthService } from '../auth/service.js';
import { ContactAttributeRepo } from '../contact-attributes/repo.js';
import { contactAttributeRoutes } from '../contact-attributes/routes.js';
import { ContactAttributeService } from '../contact-attributes/service.js';
import type { ContactService } from '../contacts/service.js';
import { ConversationRecords } from '../conversations/records.js';
import { ConversationRecordsRepo } from '../conversations/records-repo.js';
import { ConversationRepo } from '../conversations/repo.js';
import type { ConversationService } from '../conversations/service.js';
import { CustomerCardRepo } from '../customer-cards/repo.js';
import { customerCardRoutes } from '../customer-cards/routes.js';
import { CARD_LOOKUP_JOB, CustomerCardService } from '../customer-cards/service.js';
import type { FileService } from '../files/service.js';
import { identityRoutes } from '../identity/routes.js';
import { IdentityService } from '../identity/service.js';
import type { OperatorService } from '../operators/service.js';
import { RetentionRepo } from '../privacy/repo.js';
import { privacyRoutes } from '../privacy/routes.js';
import { PrivacyService, RETENTION_JOB } from '../privacy/service.js';
import type { RoutingService } from '../routing/service.js';
import { WebhookRepo } from '../webhooks/repo.js';
import { webhookRoutes } from '../webhooks/routes.js';
import { WEBHOOK_DELIVERY_JOB, WebhookService } from '../webhooks/service.js';
import { integrationObserver } from './conversation-events.js';
import type { WorkspaceCaches } from '../../workspace-cache.js';

export type Integrations = ReturnType<typeof createIntegrations>;

export function createIntegrations(
  config: Config,
  storage: Storage,
  core: {
    contacts: ContactService;
    conversations: ConversationService;
    files: FileService;
    jobs: JobRepo;
    rateLimits: RateLimits;
    log: FastifyBaseLogger;
    outbound: OutboundHttp;
    caches: WorkspaceCaches;
  },
) {
  const { db } = storage;
  const webhooks = new WebhookService(new WebhookRepo(db), core.jobs, {
    maxAttempts: config.integrations.webhookMaxAttempts,
    retryBaseMs: config.integrations.webhookRetryBaseMs,
    timeoutMs: config.integrations.webhookTimeoutMs,
    secrets: new SecretBox(config.secretKey, 'webhooks'),
    http: core.outbound,
    caches: core.caches,
  });
  const records = new ConversationRecords(
    new ConversationRepo(db, storage.commitGroup),
    new ConversationRecordsRepo(db),
    core.conversations,
  );
  const cards = new CustomerCardService(new CustomerCardRepo(db), core.contacts, core.jobs, {
    secrets: new SecretBox(config.secretKey, 'customer-cards'),
    http: core.outbound,
  });
  const attributes = new ContactAttributeService(new ContactAttributeRepo(db));
  const identity = new IdentityService(db, core.contacts, records, webhooks, cards);
  const audit = new AuditService(new AuditRepo(db));
  const privacy = new PrivacyService(
    db,
    core.contacts,
    records,
    core.files,
    webhooks,
    cards,
    new RetentionRepo(db),
    core.jobs,
    audit,
  );

  records.onRecorded(integrationObserver({ records, webhooks, cards, publicUrl: config.publicUrl }));
  core.contacts.useAttributeRules(attributes.check);
  core.contacts.onIdentified((workspaceId, contactId) => {
    cards
      .refresh(workspaceId, contactId)
      .catch((error: unknown) => core.log.warn({ err: error, contactId }, 'customer card refresh failed'));
  });

  return {
    webhooks,
    cards,
    attributes,
    identity,
    audit,
    privacy,
    idempotency: new IdempotencyRepo(db),
    rateLimits: core.rateLimits,
    idempotencyTtlMs: config.integrations.idempotencyTtlMs,
  };
}

/** Hooks that apply to every route (API rate limits and idempotency, the audit log): before the routes. */
export function registerIntegrationHooks(http: HttpApp, auth: AuthService, integrations: Integrations): void {
  registerApiPolicy(
    http,
    { auth, rateLimits: integrations.rateLimits, idempotency: integrations.idempotency },
    { idempotencyTtlMs: integrations.idempotencyTtlMs },
  );
  integrations.audit.register(http);
}

export function registerIntegrationRoutes(
  http: HttpApp,
  auth: AuthService,
  integrations: Integrations,
  core: { contacts: ContactService; operators: OperatorService; routing: RoutingService },
): void {
  webhookRoutes(http, auth, integrations.webhooks);
  customerCardRoutes(http, auth, integrations.cards);
  contactAttributeRoutes(http, auth, integrations.attributes);
  identityRoutes(http, auth, integrations.identity, core.contacts);
  privacyRoutes(http, auth, integrations.privacy);
  auditRoutes(http, auth, integrations.audit);
  publicApiRoutes(http, auth, core);
}

export function registerIntegrationJobs(runner: JobRunner, integrations: Integrations): void {
  const { webhooks, cards, privacy } = integrations;
  runner.register(
    WEBHOOK_DELIVERY_JOB,
    (payload, job) => webhooks.deliver(payload, job),
    webhooks.jobOptions(),
  );
  runner.register(CARD_LOOKUP_JOB, (payload, job) => cards.lookup(payload, job), { maxAttempts: 3 });
  runner.register(RETENTION_JOB, (payload, job) => privacy.runRetention(payload, job));
}
