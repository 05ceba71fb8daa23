// Builds a Frontline server from its parts: storage, services, HTTP routes, sockets. main.ts runs
// it; tests build it the same way against their own database.
import fastifyCookie from '@fastify/cookie';
import fastifyMultipart from '@fastify/multipart';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyBaseLogger } from 'fastify';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { Redis } from 'ioredis';
import path from 'node:path';
import type { Config } from './config.js';
import { refuseNul } from './nul-guard.js';
import { handleError } from './error-handler.js';
import { registerFrontends } from './frontends.js';
import type { HttpApp } from './http.js';
import { authRoutes } from './modules/auth/routes.js';
import { AuthRepo } from './modules/auth/repo.js';
import { AuthService } from './modules/auth/service.js';
import { operatorHandshake, visitorHandshake } from './modules/auth/socket-auth.js';
import { widgetRoutes } from './modules/channels/widget/routes.js';
import { helpRoutes } from './modules/knowledge/help-routes.js';
import { WidgetRepo } from './modules/channels/widget/repo.js';
import { smtpMailSender } from './modules/channels/widget/reply-mail.js';
import { OFFLINE_REPLY_MAIL_JOB, WidgetService } from './modules/channels/widget/service.js';
import { ContactRepo } from './modules/contacts/repo.js';
import { contactRoutes } from './modules/contacts/routes.js';
import { ContactService } from './modules/contacts/service.js';
import { ConversationRepo } from './modules/conversations/repo.js';
import { conversationRoutes } from './modules/conversations/routes.js';
import { ConversationService } from './modules/conversations/service.js';
import { handleOperatorConnection, handleVisitorConnection } from './modules/conversations/socket.js';
import { FileRepo } from './modules/files/repo.js';
import { fileRoutes } from './modules/files/routes.js';
import { FileService } from './modules/files/service.js';
import { DiskFileStore } from './modules/files/store.js';
import { createMetrics } from './modules/ops/metrics.js';
import { opsRoutes } from './modules/ops/routes.js';
import { OperatorRepo } from './modules/operators/repo.js';
import { operatorRoutes } from './modules/operators/routes.js';
import { OperatorService } from './modules/operators/service.js';
import { WorkspaceRepo } from './modules/workspaces/repo.js';
import { workspaceRoutes } from './modules/workspaces/routes.js';
import { WorkspaceService } from './modules/workspaces/service.js';
import { JobRepo } from './jobs/repo.js';
import { JobRunner } from './jobs/runner.js';
import { DepartmentRepo } from './modules/departments/repo.js';
import { departmentRoutes } from './modules/departments/routes.js';
import { DepartmentService } from './modules/departments/service.js';
import { routingRoutes } from './modules/routing/routes.js';
import {
  FIRST_REPLY_TIMEOUT_JOB,
  IDLE_CLOSE_JOB,
  OFFER_TIMEOUT_JOB,
  RoutingService,
} from './modules/routing/service.js';
import { RoutingSettingsRepo } from './modules/routing/settings.js';
import { createRateLimits } from './rate-limits.js';
import { SECURITY_SCHEMES, publicApiTransform } from './modules/api/openapi.js';
import {
  createIntegrations,
  type Integrations,
  registerIntegrationHooks,
  registerIntegrationJobs,
  registerIntegrationRoutes,
} from './modules/integrations/setup.js';
import { RealtimeHub } from './realtime/hub.js';
import type { Storage } from './storage/database.js';
import { rooms } from './realtime/rooms.js';
import { TagRepo } from './modules/tags/repo.js';
import { tagRoutes } from './modules/tags/routes.js';
import { TagService } from './modules/tags/service.js';
import { CannedResponseRepo } from './modules/canned-responses/repo.js';
import { cannedResponseRoutes } from './modules/canned-responses/routes.js';
import { CannedResponseService } from './modules/canned-responses/service.js';
import { teamRoutes } from './modules/team/routes.js';
import { TeamService } from './modules/team/service.js';
import { KNOWLEDGE_MIN_SIMILARITY } from './modules/intents/assistant.js';
import { createNlu, type Nlu, registerNluJobs, registerNluRoutes } from './modules/intents/setup.js';
import { DraftRepo } from './modules/drafts/repo.js';
import { draftRoutes } from './modules/drafts/routes.js';
import { DraftService } from './modules/drafts/service.js';
import { setUpAnalytics, type Analytics } from './modules/analytics/setup.js';
import { SecretBox } from './secrets.js';
import { createOutboundHttp } from './outbound-http.js';
import { createChannels, registerChannelJobs, registerChannelRoutes } from './modules/channels/setup.js';
import { BotRepo } from './modules/bots/repo.js';
import { botRoutes } from './modules/bots/routes.js';
import { BOT_JOB_MAX_ATTEMPTS, BOT_STEP_JOB, BOT_TIMEOUT_JOB, BotService } from './modules/bots/service.js';
import { registerBotMetrics } from './modules/bots/metrics.js';
import { WorkspaceCaches } from './workspace-cache.js';

/**
 * JSON bodies stay small; files go through multipart with their own limit. A socket frame over it
 * closes that connection (Socket.IO's maxHttpBufferSize).
 */
export const JSON_BODY_LIMIT = 256 * 1024;

export type Services = ReturnType<typeof createServices>;

export interface FrontlineApp {
  http: HttpApp;
  hub: RealtimeHub;
  services: Services;
  integrations: Integrations;
  nlu: Nlu;
  analytics: Analytics;
  storage: Storage;
  /** Starts listening; resolves to the base URL. */
  listen(): Promise<string>;
  /** Graceful stop: refuse new work, let in-flight writes commit, close sockets, then the database. */
  close(): Promise<void>;
}

function createServices(
  config: Config,
  storage: Storage,
  hub: RealtimeHub,
  redis: Redis | undefined,
  log: FastifyBaseLogger,
) {
  const rateLimits = createRateLimits(config, redis);
  const caches = new WorkspaceCaches(hub.cacheNotices);
  // Every call to an address an admin configured goes out through this (OUTBOUND_URLS).
  const outbound = createOutboundHttp(config.outboundUrls);
  const workspaces = new WorkspaceService(new WorkspaceRepo(storage.db));
  const operators = new OperatorService(new OperatorRepo(storage.db));
  const auth = new AuthService(new AuthRepo(storage.db), operators, workspaces, rateLimits, {
    sessionTtlMs: config.sessionTtlMs,
    visitorTokenTtlSeconds: config.visitorTokenTtlSeconds,
  });
  const contacts = new ContactService(new ContactRepo(storage.db));
  const files = new FileService(
    new FileRepo(storage.db),
    new DiskFileStore(path.join(config.dataDir, 'files')),
    config.secretKey,
  );
  const conversations = new ConversationService(
    new ConversationRepo(storage.db, storage.commitGroup),
    files,
    hub,
    rateLimits,
    operators,
  );
  const departments = new DepartmentService(new DepartmentRepo(storage.db));
  const jobs = new JobRepo(storage.db, storage.engine);
  const routingSettings = new RoutingSettingsRepo(storage.db);
  const routing = new RoutingService(conversations, operators, departments, jobs, routingSettings, hub, log);
  conversations.onRoutingNeeded((workspaceId, retell) => routing.trigger(workspaceId, retell));
  const tags = new TagService(new TagRepo(storage.db), conversations, (workspaceId, changed) =>
    hub.operators.to(rooms.workspaceOperators(workspaceId)).emit('conversation:tags', changed),
  );
  const cannedResponses = new CannedResponseService(new CannedResponseRepo(storage.db));
  const team = new TeamService(operators, departments, routing);
  const widget = new WidgetService({
    repo: new WidgetRepo(storage.db),
    workspaces,
    contacts,
    conversations,
    operators,
    files,
    auth,
    jobs,
    mail: config.smtp ? smtpMailSender(config.smtp) : null,
    replyMailDelayMs: config.widgetReplyMailDelayMs,
    secrets: new SecretBox(config.secretKey, 'widget-identity'),
    hub,
  });
  const bots = new BotService({
    repo: new BotRepo(storage.db, storage.commitGroup),
    conversations,
    contacts,
    tags,
    departments,
    jobs,
    workspaces,
    http: outbound,
    files,
    fileMaxBytes: config.fileMaxBytes,
    secrets: new SecretBox(config.secretKey, 'bot-secrets'),
    log,
    caches,
  });
  conversations.holdForBot(bots.gate);
  routing.holdAfterHoursFor(bots.afterHours);
  conversations.onRecorded(bots.observer);
  return {
    caches,
    rateLimits,
    outbound,
    bots,
    workspaces,
    operators,
    auth,
    contacts,
    files,
    conversations,
    departments,
    jobs,
    routing,
    routingSettings,
    tags,
    cannedResponses,
    team,
    widget,
  };
}

export async function buildApp(config: Config, storage: Storage): Promise<FrontlineApp> {
  const http = Fastify({
    logger: { level: config.logLevel },
    trustProxy: config.trustProxy,
    bodyLimit: JSON_BODY_LIMIT,
    // Shutdown must not wait forever for idle keep-alive connections.
    forceCloseConnections: 'idle',
    // Errors found while matching the route (a broken URL) get the same answer shape as the rest.
    frameworkErrors: handleError,
  }).withTypeProvider<ZodTypeProvider>();
  http.setValidatorCompiler(validatorCompiler);
  http.addHook('preValidation', async (request) => refuseNul(request.body, request.query, request.params));
  http.setSerializerCompiler(serializerCompiler);
  http.setErrorHandler(handleError);

  const metrics = createMetrics();
  const redis = config.redisUrl ? new Redis(config.redisUrl, { maxRetriesPerRequest: 2 }) : undefined;
  // The streams adapter blocks its connection on XREAD, so it gets one of its own.
  const adapterRedis = redis?.duplicate();
  const hub = new RealtimeHub(http.server, metrics, {
    redis: adapterRedis,
    redisKeyPrefix: config.redisKeyPrefix,
    maxMessageBytes: JSON_BODY_LIMIT,
  });
  const services = createServices(config, storage, hub, redis, http.log);
  const integrations = createIntegrations(config, storage, {
    ...services,
    rateLimits: createRateLimits(config, redis),
    log: http.log,
  });
  const jobRunner = new JobRunner(services.jobs, http.log);
  // A visitor's answer to a bot is a step job: run it now, not at the next poll.
  services.conversations.onBotInput(() => jobRunner.wake());
  jobRunner.register(OFFER_TIMEOUT_JOB, (payload, job) =>
    services.routing.offerTimedOut(job.workspace_id, payload),
  );
  jobRunner.register(FIRST_REPLY_TIMEOUT_JOB, (payload, job) =>
    services.routing.firstReplyTimedOut(job.workspace_id, payload),
  );
  jobRunner.register(IDLE_CLOSE_JOB, (payload, job) =>
    services.routing.idleTimedOut(job.workspace_id, payload),
  );
  jobRunner.register(OFFLINE_REPLY_MAIL_JOB, (payload, job) =>
    services.widget.sendReplyMail(job.workspace_id, payload),
  );
  registerIntegrationJobs(jobRunner, integrations);
  // Language understanding (docs/nlu.md): after-commit job per visitor message, intents, knowledge.
  const nlu = createNlu(storage, { ...services, hub, log: http.log });
  registerNluJobs(jobRunner, nlu);
  services.bots.understandWith({
    answer: async (workspaceId, question, language) => {
      const best = await nlu.knowledge.bestAnswer(workspaceId, question, language, KNOWLEDGE_MIN_SIMILARITY);
      return best ? { articleId: best.id, text: best.body } : null;
    },
    answered: async (workspaceId, conversationId, messageId, articleId) =>
      void (await nlu.knowledge.recordAnswer(workspaceId, conversationId, messageId, articleId)),
    judged: async (workspaceId, conversationId, messageId, helpful) =>
      void (await nlu.feedback.record(workspaceId, conversationId, messageId, helpful)),
    classify: async (workspaceId, text) => (await nlu.intents.classify(workspaceId, text))?.intentId ?? null,
    intentIds: async (workspaceId) => (await nlu.intents.list(workspaceId)).map((intent) => intent.id),
  });
  const channels = createChannels(config, storage, { ...services, hub, log: http.log, redis });
  registerChannelJobs(jobRunner, channels);
  registerBotMetrics(metrics.registry, services.bots);
  const botJobs = { maxAttempts: BOT_JOB_MAX_ATTEMPTS };
  jobRunner.register(
    BOT_STEP_JOB,
    (payload, job) => services.bots.runStepJob(job.workspace_id, payload),
    botJobs,
  );
  jobRunner.register(
    BOT_TIMEOUT_JOB,
    (payload, job) => services.bots.runTimeoutJob(job.workspace_id, payload),
    botJobs,
  );
  let shuttingDown = false;

  http.addHook('onRequest', async (_request, reply) => {
    // 'close' fires exactly once per response, whether it finished or the client went away.
    hub.inFlight.begin();
    reply.raw.once('close', () => hub.inFlight.end());
  });
  http.addHook('onResponse', async (request, reply) => {
    metrics.httpDuration.observe(
      { method: request.method, route: request.routeOptions.url ?? 'unmatched', status: reply.statusCode },
      reply.elapsedTime / 1000,
    );
  });

  await http.register(fastifyCookie);
  await http.register(fastifyMultipart, { limits: { fileSize: config.fileMaxBytes, files: 1, fields: 5 } });
  await http.register(fastifySwagger, {
    openapi: {
      info: {
        title: 'Frontline API',
        version: '0.1.0',
        description:
          'Operators use the session cookie plus the X-CSRF-Token header; integrations send Authorization: Bearer flt_...; widget visitors send X-Visitor-Token.',
      },
      components: { securitySchemes: SECURITY_SCHEMES },
    },
    transform: publicApiTransform,
  });
  await http.register(fastifySwaggerUi, { routePrefix: '/api/docs' });

  const { auth, operators, workspaces, contacts, files, conversations, departments, routing } = services;
  registerIntegrationHooks(http, auth, integrations);
  opsRoutes(http, storage, metrics, () => shuttingDown);
  authRoutes(http, auth, operators, workspaces, {
    secureCookies: config.publicUrl.startsWith('https:'),
    sessionTtlMs: config.sessionTtlMs,
  });
  operatorRoutes(http, auth, operators);
  workspaceRoutes(http, auth, workspaces);
  contactRoutes(http, auth, contacts);
  conversationRoutes(http, auth, conversations, departments, operators);
  fileRoutes(http, auth, files, config.fileMaxBytes);
  widgetRoutes(http, { auth, widget: services.widget, conversations, hub });
  departmentRoutes(http, auth, departments);
  routingRoutes(http, auth, { routing, operators, conversations, routingSettings: services.routingSettings });
  tagRoutes(http, auth, services.tags);
  cannedResponseRoutes(http, auth, services.cannedResponses);
  teamRoutes(http, auth, services.team);
  botRoutes(http, auth, services.bots);
  registerIntegrationRoutes(http, auth, integrations, { contacts, operators, routing });
  registerNluRoutes(http, auth, nlu, conversations);
  // Optional answer drafts from an external model (docs/answer-drafts.md); off until an admin sets it up.
  draftRoutes(
    http,
    auth,
    new DraftService({
      repo: new DraftRepo(storage.db),
      knowledge: nlu.knowledge,
      conversations,
      rateLimits: services.rateLimits,
      secrets: new SecretBox(config.secretKey, 'answer-drafts'),
      http: services.outbound,
    }),
  );
  helpRoutes(http, { knowledge: nlu.knowledge, workspaces, rateLimits: services.rateLimits });
  const analytics = setUpAnalytics(http, storage, hub, {
    auth,
    conversations,
    log: http.log,
    webhook: (trx, workspaceId, alert) =>
      integrations.webhooks.emit(trx, workspaceId, 'analytics.alert', () => ({ data: alert })),
  });
  registerChannelRoutes(http, auth, channels, conversations);
  await registerFrontends(http, workspaces, () => workspaces.oldestWidgetKey());

  const socketAuth = {
    publicUrl: config.publicUrl,
    parseCookie: (header: string) => http.parseCookie(header),
  };
  hub.operators.use(operatorHandshake(auth, socketAuth));
  hub.visitors.use(visitorHandshake(auth, workspaces, socketAuth));
  for (const [namespace, name] of [
    [hub.operators, 'operator'],
    [hub.visitors, 'visitor'],
  ] as const) {
    namespace.on('connection', (socket) => {
      metrics.socketConnections.inc({ namespace: name });
      socket.on('disconnect', () => metrics.socketConnections.dec({ namespace: name }));
    });
  }
  hub.operators.on('connection', (socket) => handleOperatorConnection(socket, conversations, hub, http.log));
  hub.visitors.on('connection', (socket) => {
    handleVisitorConnection(socket, conversations, hub, http.log, socket.handshake.address).catch(
      (error: unknown) => {
        http.log.error({ err: error }, 'visitor connection setup failed');
        socket.disconnect(true);
      },
    );
  });

  return {
    http,
    hub,
    services,
    integrations,
    nlu,
    analytics,
    storage,
    listen: async () => {
      const address = await http.listen({ port: config.port, host: config.host });
      jobRunner.start();
      analytics.start();
      await channels.start();
      return address.replace('[::1]', 'localhost').replace('0.0.0.0', 'localhost');
    },
    close: async () => {
      shuttingDown = true;
      // Stop taking work (sockets, new connections; requests on kept-alive connections get 503),
      // let what started finish, then cut the remaining idle keep-alive connections.
      hub.close();
      await jobRunner.stop();
      analytics.stop();
      await channels.stop();
      const closed = http.close();
      await hub.inFlight.drain(config.shutdownGraceMs);
      http.server.closeAllConnections();
      await closed;
      await Promise.all([redis?.quit(), adapterRedis?.quit(), services.outbound.close()]);
      await storage.close();
    },
  };
}
