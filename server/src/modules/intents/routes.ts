// HTTP routes of language understanding: intents and their models (admins), the settings, a
// phrase tester, the supervisors' hot list and operators' reply suggestions.
import { z } from 'zod';
import {
  AcceptCandidateBody,
  NoContent,
  ClassifyBody,
  ClassifyResult,
  ConversationInsight,
  Id,
  Intent,
  IntentInput,
  IntentModelVersion,
  IntentCandidate,
  IntentPatch,
  NluFeedbackBody,
  NluSettings,
  NluSettingsPatch,
  ReplySuggestions,
  SuggestionUsedBody,
} from '@frontline/protocol';
import { AppError } from '../../errors.js';
import type { HttpApp } from '../../http.js';
import { operatorOf, requireStaff, staffOf } from '../auth/guards.js';
import type { AuthService } from '../auth/service.js';
import type { ConversationService } from '../conversations/service.js';
import { toInsight } from './assistant.js';
import type { CandidateService } from './candidates.js';
import type { IntentRepo } from './repo.js';
import type { IntentService } from './service.js';
import type { SuggestionService } from './suggestions.js';

const tags = ['language understanding'];
const ById = z.object({ id: Id });
const HotQuery = z.object({ limit: z.coerce.number().int().min(1).max(200).default(50) });

export function intentRoutes(
  app: HttpApp,
  auth: AuthService,
  deps: {
    intents: IntentService;
    repo: IntentRepo;
    suggestions: SuggestionService;
    candidates: CandidateService;
    conversations: ConversationService;
  },
): void {
  const { intents, suggestions, candidates, conversations } = deps;
  const admin = requireStaff(auth, { roles: ['admin'] });
  const supervisors = requireStaff(auth, { roles: ['admin', 'supervisor'] });
  const staff = requireStaff(auth);

  app.get('/api/intents', {
    schema: {
      tags,
      summary: 'Intents with their example phrases (admins)',
      response: { 200: z.array(Intent) },
    },
    preHandler: admin,
    handler: (request) => intents.list(operatorOf(request).workspaceId),
  });

  app.post('/api/intents', {
    schema: { tags, summary: 'Create an intent (admins)', body: IntentInput, response: { 201: Intent } },
    preHandler: admin,
    handler: async (request, reply) =>
      reply.code(201).send(await intents.create(operatorOf(request).workspaceId, request.body)),
  });

  app.patch('/api/intents/:id', {
    schema: {
      tags,
      summary: 'Change an intent (admins)',
      params: ById,
      body: IntentPatch,
      response: { 200: Intent },
    },
    preHandler: admin,
    handler: (request) => intents.update(operatorOf(request).workspaceId, request.params.id, request.body),
  });

  app.delete('/api/intents/:id', {
    schema: {
      tags,
      summary: 'Delete an intent (admins); models trained with it keep it until retrained',
      params: ById,
      response: { 204: NoContent },
    },
    preHandler: admin,
    handler: async (request, reply) => {
      await intents.delete(operatorOf(request).workspaceId, request.params.id);
      return reply.code(204).send(null);
    },
  });

  app.get('/api/intents/models', {
    schema: {
      tags,
      summary: 'Trained intent model versions with their evaluation reports, newest first (admins)',
      response: { 200: z.array(IntentModelVersion) },
    },
    preHandler: admin,
    handler: (request) => intents.models(operatorOf(request).workspaceId),
  });

  app.post('/api/intents/models', {
    schema: {
      tags,
      summary:
        'Train a new model version from the intents (admins); runs in the background, status "training"',
      response: { 202: IntentModelVersion },
    },
    preHandler: admin,
    handler: async (request, reply) =>
      reply.code(202).send(await intents.train(operatorOf(request).workspaceId)),
  });

  app.post('/api/intents/models/:id/activate', {
    schema: {
      tags,
      summary: 'Switch a trained model version on; activating an older one rolls back (admins)',
      params: ById,
      response: { 200: IntentModelVersion },
    },
    preHandler: admin,
    handler: (request) => intents.activate(operatorOf(request).workspaceId, request.params.id),
  });

  app.post('/api/intents/classify', {
    schema: {
      tags,
      summary: 'What the active model makes of a phrase (admins)',
      body: ClassifyBody,
      response: { 200: ClassifyResult },
    },
    preHandler: admin,
    handler: async (request) => {
      const result = await intents.classify(operatorOf(request).workspaceId, request.body.text);
      if (!result)
        throw new AppError('conflict', 'No intent model is switched on; train one and switch it on first');
      const { intentRow: _row, ...answer } = result;
      return answer;
    },
  });

  app.get('/api/nlu/settings', {
    schema: { tags, summary: 'Language understanding settings (admins)', response: { 200: NluSettings } },
    preHandler: admin,
    handler: (request) => intents.settings(operatorOf(request).workspaceId),
  });

  app.patch('/api/nlu/settings', {
    schema: {
      tags,
      summary: 'Change the settings: automatic routing, the non-target filter, the upset threshold (admins)',
      body: NluSettingsPatch,
      response: { 200: NluSettings },
    },
    preHandler: admin,
    handler: (request) => intents.updateSettings(operatorOf(request).workspaceId, request.body),
  });

  app.get('/api/nlu/hot', {
    schema: {
      tags,
      summary: 'Open conversations whose visitor turned upset, most recent first (supervisors)',
      querystring: HotQuery,
      response: { 200: z.array(ConversationInsight) },
    },
    preHandler: supervisors,
    handler: async (request) =>
      (await deps.repo.hot(staffOf(request).workspaceId, request.query.limit)).map(toInsight),
  });

  app.get('/api/conversations/:id/suggestions', {
    schema: {
      tags,
      summary: "Canned responses and knowledge snippets for the visitor's last message",
      params: ById,
      response: { 200: ReplySuggestions },
    },
    preHandler: staff,
    handler: async (request) => {
      const me = operatorOf(request);
      await conversations.get(me, request.params.id);
      return suggestions.forConversation(me.workspaceId, request.params.id);
    },
  });

  app.post('/api/conversations/:id/suggestions/used', {
    schema: {
      tags,
      summary: 'Record that the operator used a suggestion',
      params: ById,
      body: SuggestionUsedBody,
      response: { 204: NoContent },
    },
    preHandler: staff,
    handler: async (request, reply) => {
      const me = operatorOf(request);
      await conversations.get(me, request.params.id);
      await suggestions.recordUse(me.workspaceId, request.params.id, me.userId, request.body);
      return reply.code(204).send(null);
    },
  });

  app.post('/api/conversations/:id/nlu-feedback', {
    schema: {
      tags,
      summary:
        "An operator's word on the first visitor message: not a target request, or a target one of an intent; becomes a candidate example for review",
      params: ById,
      body: NluFeedbackBody,
      response: { 201: IntentCandidate },
    },
    preHandler: staff,
    handler: async (request, reply) => {
      const me = operatorOf(request);
      await conversations.get(me, request.params.id);
      return reply
        .code(201)
        .send(await candidates.feedback(me.workspaceId, request.params.id, me.userId, request.body));
    },
  });

  app.get('/api/intents/candidates', {
    schema: {
      tags,
      summary: "Candidate examples from operators' decisions, newest first (admins)",
      response: { 200: z.array(IntentCandidate) },
    },
    preHandler: admin,
    handler: (request) => candidates.list(operatorOf(request).workspaceId),
  });

  app.post('/api/intents/candidates/:id/accept', {
    schema: {
      tags,
      summary: "Add a candidate to an intent's examples (admins)",
      params: ById,
      body: AcceptCandidateBody,
      response: { 204: NoContent },
    },
    preHandler: admin,
    handler: async (request, reply) => {
      await candidates.accept(operatorOf(request).workspaceId, request.params.id, request.body.intentId);
      return reply.code(204).send(null);
    },
  });

  app.delete('/api/intents/candidates/:id', {
    schema: {
      tags,
      summary: 'Dismiss a candidate example (admins)',
      params: ById,
      response: { 204: NoContent },
    },
    preHandler: admin,
    handler: async (request, reply) => {
      await candidates.dismiss(operatorOf(request).workspaceId, request.params.id);
      return reply.code(204).send(null);
    },
  });
}
