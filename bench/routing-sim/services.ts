// The real routing service and the services it stands on, wired as the server wires them, on an
// in-memory SQLite database and a virtual clock. Nothing here re-implements routing: offers,
// misses, the queue and the wait estimate all go through server/src (built to server/dist).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pino from 'pino';
import type { Conversation, Presence, QueueNotice } from '@frontline/protocol';
import { JobRepo } from '../../server/dist/jobs/repo.js';
import { JobRunner, DEFAULT_JOB_OPTIONS } from '../../server/dist/jobs/runner.js';
import type { OperatorPrincipal, VisitorPrincipal } from '../../server/dist/modules/auth/principal.js';
import { ConversationRepo } from '../../server/dist/modules/conversations/repo.js';
import { ConversationService } from '../../server/dist/modules/conversations/service.js';
import { DepartmentRepo } from '../../server/dist/modules/departments/repo.js';
import { DepartmentService } from '../../server/dist/modules/departments/service.js';
import { FileRepo } from '../../server/dist/modules/files/repo.js';
import { FileService } from '../../server/dist/modules/files/service.js';
import { DiskFileStore } from '../../server/dist/modules/files/store.js';
import { OperatorRepo } from '../../server/dist/modules/operators/repo.js';
import { OperatorService } from '../../server/dist/modules/operators/service.js';
import {
  OFFER_TIMEOUT_JOB,
  RoutingService,
  type RoutingOptions,
} from '../../server/dist/modules/routing/service.js';
import { RoutingSettingsRepo } from '../../server/dist/modules/routing/settings.js';
import { WorkspaceRepo } from '../../server/dist/modules/workspaces/repo.js';
import { WorkspaceService } from '../../server/dist/modules/workspaces/service.js';
import { openSqlite } from '../../server/dist/storage/database.js';
import { newId } from '../../server/dist/storage/ids.js';
import { migrateToLatest } from '../../server/dist/storage/migrate.js';

export interface Observers {
  conversationChanged(conversation: Conversation): void;
  presenceChanged(userId: string, presence: Presence): void;
  queueChanged(notice: QueueNotice): void;
}

export interface SimWorld {
  clock: { now: number };
  workspaceId: string;
  routing: RoutingService;
  conversations: ConversationService;
  operators: OperatorService;
  jobs: JobRunner;
  operatorIds: string[];
  operatorPrincipal(id: string): OperatorPrincipal;
  /** A new visitor (contact) per arrival. */
  newVisitor(): Promise<VisitorPrincipal>;
  close(): Promise<void>;
}

export async function buildWorld(
  options: { operators: number; capacity: number; startAt: number },
  observers: Observers,
  routingOptions: Omit<RoutingOptions, 'clock'> = {},
): Promise<SimWorld> {
  const storage = openSqlite(':memory:');
  // Bench databases start empty: no stored secrets to seal, so any key will do.
  await migrateToLatest(storage, { secretKey: 'bench-databases-hold-no-secrets' });
  const clock = { now: options.startAt };
  const log = pino({ level: 'silent' });
  const operators = new OperatorService(new OperatorRepo(storage.db));
  const announcer = {
    messageCreated: () => undefined,
    readChanged: () => undefined,
    conversationChanged: (_workspaceId: string, conversation: Conversation) =>
      observers.conversationChanged(conversation),
  };
  const unlimited = {
    consume: async () => ({ limit: Infinity, remaining: Infinity, resetSeconds: 0 }),
    assertNotSpent: async () => undefined,
  };
  const files = new FileService(
    new FileRepo(storage.db),
    new DiskFileStore(mkdtempSync(path.join(tmpdir(), 'routing-sim-'))),
    'routing-sim-secret-routing-sim-secret',
  );
  const conversations = new ConversationService(
    new ConversationRepo(storage.db, storage.commitGroup),
    files,
    announcer,
    unlimited,
    operators,
    () => clock.now,
  );
  const jobs = new JobRepo(storage.db, storage.engine);
  const routing = new RoutingService(
    conversations,
    operators,
    new DepartmentService(new DepartmentRepo(storage.db)),
    jobs,
    new RoutingSettingsRepo(storage.db),
    {
      queueChanged: (notice) => observers.queueChanged(notice),
      operatorPresenceChanged: (_workspaceId, userId, presence) =>
        observers.presenceChanged(userId, presence),
    },
    log,
    { ...routingOptions, clock: () => clock.now },
  );
  const runner = new JobRunner(jobs, log, { ...DEFAULT_JOB_OPTIONS, batchSize: 1000, maxConcurrent: 1000 });
  runner.register(OFFER_TIMEOUT_JOB, (payload, job) => routing.offerTimedOut(job.workspace_id, payload));

  const workspace = await new WorkspaceService(new WorkspaceRepo(storage.db)).create({
    name: 'Routing simulation',
    defaultLocale: 'en',
  });
  // Operators go straight into the table: hashing 400 passwords would only time argon2.
  const operatorIds = Array.from({ length: options.operators }, () => newId());
  for (let i = 0; i < operatorIds.length; i += 100) {
    await storage.db
      .insertInto('users')
      .values(
        operatorIds.slice(i, i + 100).map((id, j) => ({
          id,
          workspace_id: workspace.id,
          email: `op${i + j}@sim.local`,
          name: `Operator ${i + j}`,
          password_hash: '-',
          role: 'operator',
          locale: 'en',
          created_at: clock.now,
          disabled_at: null,
          capacity: options.capacity,
        })),
      )
      .execute();
  }
  for (const id of operatorIds) await operators.setPresence(workspace.id, id, 'online', 'manual');

  return {
    clock,
    workspaceId: workspace.id,
    routing,
    conversations,
    operators,
    jobs: runner,
    operatorIds,
    operatorPrincipal: (id) => ({
      kind: 'operator',
      workspaceId: workspace.id,
      userId: id,
      name: 'Operator',
      role: 'operator',
      sessionId: 'sim',
      csrfToken: 'sim',
    }),
    newVisitor: async () => {
      const id = newId();
      await storage.db
        .insertInto('contacts')
        .values({
          id,
          workspace_id: workspace.id,
          name: null,
          email: null,
          phone: null,
          external_id: null,
          attributes: '{}',
          metadata: '{}',
          search_text: '',
          created_at: clock.now,
          updated_at: clock.now,
        })
        .execute();
      return { kind: 'visitor', workspaceId: workspace.id, contactId: id };
    },
    close: () => storage.close(),
  };
}
