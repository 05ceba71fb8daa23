// Answer drafts over HTTP: the endpoint's settings (admins), whether drafts are on (every
// operator, for the composer's button) and a draft for a conversation (operators, rate-limited).
import { z } from 'zod';
import {
  AnswerDraft,
  AnswerDraftSettings,
  AnswerDraftSettingsInput,
  AnswerDraftStatus,
  Id,
} from '@frontline/protocol';
import type { HttpApp } from '../../http.js';
import { operatorOf, requireStaff, staffOf } from '../auth/guards.js';
import type { AuthService } from '../auth/service.js';
import type { DraftService } from './service.js';

const tags = ['knowledge base'];

export function draftRoutes(app: HttpApp, auth: AuthService, drafts: DraftService): void {
  const admin = requireStaff(auth, { roles: ['admin'], scope: 'settings:write' });
  const operators = requireStaff(auth);

  app.get('/api/settings/answer-drafts', {
    schema: {
      tags,
      summary: 'The model endpoint that drafts answers (the API key is never shown)',
      response: { 200: AnswerDraftSettings },
    },
    preHandler: admin,
    handler: (request) => drafts.settings(staffOf(request).workspaceId),
  });

  app.put('/api/settings/answer-drafts', {
    schema: {
      tags,
      summary: 'Set up the OpenAI-compatible endpoint that drafts answers (off by default)',
      body: AnswerDraftSettingsInput,
      response: { 200: AnswerDraftSettings },
    },
    preHandler: admin,
    handler: (request) => drafts.saveSettings(staffOf(request).workspaceId, request.body),
  });

  app.get('/api/answer-drafts/status', {
    schema: {
      tags,
      summary: 'Whether operators can ask for answer drafts',
      response: { 200: AnswerDraftStatus },
    },
    preHandler: operators,
    handler: async (request) => ({ enabled: await drafts.enabled(operatorOf(request).workspaceId) }),
  });

  app.post('/api/conversations/:id/answer-draft', {
    schema: {
      tags,
      summary:
        'Draft a reply from the knowledge base with the configured model, citing articles as [1]; 409 when drafts are off',
      params: z.object({ id: Id }),
      response: { 200: AnswerDraft },
    },
    preHandler: operators,
    handler: (request) => drafts.draft(operatorOf(request), request.params.id),
  });
}
