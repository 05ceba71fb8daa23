// Learning from operators: their decisions about a conversation become candidate examples that
// an admin reviews on the Intents page. "Not a target request" proposes the first visitor message
// for the workspace's non-target intent; a transfer by an operator to a department that exactly
// one "route" intent sends to proposes it for that intent. Accepting adds the phrase to the
// intent's examples (the next training uses it); dismissing drops it.
import type { IntentCandidate, NluFeedbackBody } from '@frontline/protocol';
import { z } from 'zod';
import { AppError, notFound } from '../../errors.js';
import { newId } from '../../storage/ids.js';
import { localeOf } from './assistant.js';
import type { CandidateRow, IntentRepo } from './repo.js';
import { toIntent, type IntentService } from './service.js';

const TransferPayload = z.object({ conversationId: z.string(), departmentId: z.string() });

export class CandidateService {
  constructor(
    private readonly repo: IntentRepo,
    private readonly intents: IntentService,
  ) {}

  async list(workspaceId: string): Promise<IntentCandidate[]> {
    return (await this.repo.listCandidates(workspaceId)).map(toCandidate);
  }

  /** An operator's word on the conversation's first visitor message. */
  async feedback(
    workspaceId: string,
    conversationId: string,
    userId: string | null,
    body: NluFeedbackBody,
  ): Promise<IntentCandidate> {
    const intents = await this.repo.listIntents(workspaceId);
    let intentId: string | null;
    if (body.target) {
      if (!body.intentId)
        throw new AppError('validation_failed', 'Say which intent the request is (intentId)', 'intentId');
      if (!intents.some((i) => i.id === body.intentId))
        throw new AppError(
          'validation_failed',
          'This intent does not exist; choose one from the list',
          'intentId',
        );
      intentId = body.intentId;
    } else {
      intentId = intents.find((i) => i.action === 'non_target')?.id ?? null;
    }
    const candidate = await this.propose(workspaceId, conversationId, intentId, 'operator', userId);
    if (!candidate)
      throw new AppError('conflict', 'The visitor has not written anything in this conversation yet');
    return toCandidate(candidate);
  }

  /** Job handler: an operator's transfer to a department one route intent serves. */
  async fromTransfer(workspaceId: string, rawPayload: Record<string, unknown>): Promise<void> {
    const { conversationId, departmentId } = TransferPayload.parse(rawPayload);
    const routes = (await this.repo.listIntents(workspaceId)).filter(
      (i) => i.action === 'route' && i.department_id === departmentId,
    );
    if (routes.length !== 1) return;
    await this.propose(workspaceId, conversationId, routes[0]?.id ?? null, 'transfer', null);
  }

  async accept(workspaceId: string, id: string, intentId: string): Promise<void> {
    const candidate = await this.repo.findCandidate(workspaceId, id);
    if (!candidate) throw notFound('Candidate example');
    const intent = toIntent(await this.intents.get(workspaceId, intentId));
    const example = { locale: localeOf(candidate.text), text: candidate.text.trim().slice(0, 500) };
    await this.intents.update(workspaceId, intentId, { examples: [...intent.examples, example] });
    await this.repo.deleteCandidate(workspaceId, id);
  }

  async dismiss(workspaceId: string, id: string): Promise<void> {
    if (!(await this.repo.deleteCandidate(workspaceId, id))) throw notFound('Candidate example');
  }

  private async propose(
    workspaceId: string,
    conversationId: string,
    intentId: string | null,
    source: IntentCandidate['source'],
    userId: string | null,
  ): Promise<CandidateRow | null> {
    const first = await this.repo.firstVisitorMessage(workspaceId, conversationId);
    if (!first || first.text.trim() === '') return null;
    const row: CandidateRow = {
      id: newId(),
      workspace_id: workspaceId,
      conversation_id: conversationId,
      text: first.text,
      intent_id: intentId,
      source,
      created_by: userId,
      created_at: Date.now(),
    };
    await this.repo.saveCandidate(row);
    return (
      (await this.repo.listCandidates(workspaceId)).find((c) => c.conversation_id === conversationId) ?? row
    );
  }
}

function toCandidate(row: CandidateRow): IntentCandidate {
  return {
    id: row.id,
    conversationId: row.conversation_id,
    text: row.text,
    intentId: row.intent_id,
    source: row.source as IntentCandidate['source'],
    createdAt: row.created_at,
  };
}
