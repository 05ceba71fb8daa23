// Language understanding wired into the server: built after the core services, observing their
// messages, with its job and routes (docs/nlu.md).
import type { FastifyBaseLogger } from 'fastify';
import type { HttpApp } from '../../http.js';
import type { JobRepo } from '../../jobs/repo.js';
import type { JobRunner } from '../../jobs/runner.js';
import type { RealtimeHub } from '../../realtime/hub.js';
import type { Storage } from '../../storage/database.js';
import type { AuthService } from '../auth/service.js';
import type { ConversationService } from '../conversations/service.js';
import type { DepartmentService } from '../departments/service.js';
import { KNOWLEDGE_FEEDBACK_JOB, KnowledgeFeedback, feedbackObserver } from '../knowledge/feedback.js';
import { KnowledgeRepo } from '../knowledge/repo.js';
import { knowledgeRoutes } from '../knowledge/routes.js';
import { KnowledgeService } from '../knowledge/service.js';
import {
  ASSISTANT_NAME,
  Assistant,
  NLU_MESSAGE_JOB,
  NLU_TRANSFER_JOB,
  assistantObserver,
} from './assistant.js';
import { CandidateService } from './candidates.js';
import { IntentRepo } from './repo.js';
import { intentRoutes } from './routes.js';
import { IntentService } from './service.js';
import { SuggestionService, type CannedSource } from './suggestions.js';
import type { WorkspaceCaches } from '../../workspace-cache.js';

export type Nlu = ReturnType<typeof createNlu>;

export function createNlu(
  storage: Storage,
  core: {
    conversations: ConversationService;
    departments: DepartmentService;
    cannedResponses: CannedSource;
    jobs: JobRepo;
    hub: RealtimeHub;
    log: FastifyBaseLogger;
    caches: WorkspaceCaches;
  },
) {
  const repo = new IntentRepo(storage.db);
  const intents = new IntentService(repo, core.departments, core.caches);
  const knowledge = new KnowledgeService(new KnowledgeRepo(storage.db));
  const suggestions = new SuggestionService(repo, core.cannedResponses, knowledge);
  const candidates = new CandidateService(repo, intents);
  const assistant = new Assistant({
    repo,
    intents,
    knowledge,
    conversations: core.conversations,
    hub: core.hub,
  });
  const feedback = new KnowledgeFeedback({
    knowledge,
    conversations: core.conversations,
    assistantName: ASSISTANT_NAME,
  });
  core.conversations.onRecorded(assistantObserver(core.jobs, assistant));
  core.conversations.onRecorded(feedbackObserver(core.jobs));
  return { repo, intents, knowledge, suggestions, assistant, candidates, feedback };
}

export function registerNluJobs(runner: JobRunner, nlu: Nlu): void {
  // A message the assistant cannot read after a few tries is left to the operators.
  runner.register(NLU_MESSAGE_JOB, (payload, job) => nlu.assistant.handle(job.workspace_id, payload), {
    maxAttempts: 3,
  });
  runner.register(KNOWLEDGE_FEEDBACK_JOB, (payload, job) => nlu.feedback.handle(job.workspace_id, payload), {
    maxAttempts: 3,
  });
  runner.register(
    NLU_TRANSFER_JOB,
    (payload, job) => nlu.candidates.fromTransfer(job.workspace_id, payload),
    {
      maxAttempts: 3,
    },
  );
}

export function registerNluRoutes(
  http: HttpApp,
  auth: AuthService,
  nlu: Nlu,
  conversations: ConversationService,
): void {
  intentRoutes(http, auth, { ...nlu, conversations });
  knowledgeRoutes(http, auth, nlu.knowledge);
}
