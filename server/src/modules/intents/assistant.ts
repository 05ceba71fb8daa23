// What language understanding does with each visitor message. Inside the message's transaction:
// the message is scored for sentiment and the conversation's mood kept (a calm message later in a
// conversation costs nothing more). After the commit, a durable job (so a crash loses nothing and
// delivery never waits for a model) handles what is news: a conversation that turned upset is
// marked with an event and supervisors are told live; the conversation's first message has its
// intent classified and acted on: route to the intent's department, answer from the knowledge base,
// or explain politely that the request is not for this business and close.
import { scoreSentiment } from '@frontline/nlu';
import type { ConversationInsight, Locale } from '@frontline/protocol';
import { z } from 'zod';
import type { JobRepo } from '../../jobs/repo.js';
import type { RealtimeHub } from '../../realtime/hub.js';
import { rooms } from '../../realtime/rooms.js';
import type { MessageRow, RecordObserver } from '../conversations/repo.js';
import type { ConversationService } from '../conversations/service.js';
import { feedbackButtons } from '../knowledge/feedback.js';
import type { KnowledgeService } from '../knowledge/service.js';
import type { InsightRow, IntentRepo } from './repo.js';
import { replyIn, type IntentService } from './service.js';

export const NLU_MESSAGE_JOB = 'nlu.visitor_message';
/** Proposes a candidate example after an operator's transfer (candidates.ts). */
export const NLU_TRANSFER_JOB = 'nlu.transfer_candidate';
const Payload = z.object({
  conversationId: z.string(),
  messageId: z.string(),
  /** The conversation's first visitor message: its intent is classified. Absent in jobs queued before scoring moved into the message's transaction. */
  first: z.boolean().optional(),
  /** The score with which this message made the conversation upset. */
  turnedUpset: z.number().optional(),
});
const TransferData = z.object({ departmentId: z.string() });
/** The name the bot's messages carry. */
export const ASSISTANT_NAME = 'Frontline';
/** A knowledge article answers only when its n-gram similarity to the question reaches this. */
export const KNOWLEDGE_MIN_SIMILARITY = 0.2;

/**
 * Enqueues the assistant's job in the transaction that stores a visitor's text message, and the
 * candidate-example job in that of an operator's transfer.
 */
export function assistantObserver(jobs: JobRepo, assistant: Assistant): RecordObserver {
  return async (db, recorded) => {
    if (recorded.kind === 'event') {
      // An operator's transfer says which department the request was for (candidates.ts).
      const event = recorded.row;
      if (event.type !== 'transferred' || (event.actor_type !== 'operator' && event.actor_type !== 'api'))
        return;
      // This runs inside the transfer's transaction: nothing here may fail it.
      const departmentId = TransferData.safeParse(safeJson(event.data)).data?.departmentId;
      if (!departmentId) return;
      await jobs.enqueue(
        {
          workspaceId: event.workspace_id,
          kind: NLU_TRANSFER_JOB,
          payload: { conversationId: event.conversation_id, departmentId },
          runAt: event.created_at,
        },
        db,
      );
      return;
    }
    const row = recorded.row;
    if (row.author_type !== 'visitor' || row.kind !== 'text' || row.text.trim() === '') return;
    const mood = await assistant.scoreMood(db, row);
    if (!mood.first && !mood.upset) return;
    await jobs.enqueue(
      {
        workspaceId: row.workspace_id,
        kind: NLU_MESSAGE_JOB,
        payload: {
          conversationId: row.conversation_id,
          messageId: row.id,
          first: mood.first,
          ...(mood.turnedUpset === null ? {} : { turnedUpset: mood.turnedUpset }),
        },
        runAt: row.created_at,
      },
      db,
    );
  };
}

/** Russian when the text has Cyrillic letters, else English. */
export function localeOf(text: string): Locale {
  return /[\u0400-\u04ff]/u.test(text) ? 'ru' : 'en';
}

export class Assistant {
  constructor(
    private readonly deps: {
      repo: IntentRepo;
      intents: IntentService;
      knowledge: KnowledgeService;
      conversations: ConversationService;
      hub: RealtimeHub;
    },
  ) {}

  /**
   * In the message's transaction: the message's sentiment becomes the conversation's mood. Says
   * whether this is the conversation's first scored message, whether it is upset, and the score
   * with which this message made it so (null when it did not).
   */
  async scoreMood(
    db: Parameters<RecordObserver>[0],
    message: Pick<MessageRow, 'workspace_id' | 'conversation_id' | 'text' | 'created_at'>,
  ): Promise<{ first: boolean; upset: boolean; turnedUpset: number | null }> {
    const { repo } = this.deps;
    const settings = await this.deps.intents.settings(message.workspace_id, db);
    const before = await repo.findInsight(message.workspace_id, message.conversation_id, db);
    const negative = scoreSentiment(message.text).negative;
    const turnedUpset = negative >= settings.sentimentThreshold && !before?.upset_at;
    const insight: InsightRow = {
      conversation_id: message.conversation_id,
      workspace_id: message.workspace_id,
      intent: before?.intent ?? null,
      intent_confidence: before?.intent_confidence ?? null,
      negative,
      upset_at: before?.upset_at ?? (turnedUpset ? message.created_at : null),
      updated_at: message.created_at,
    };
    await repo.saveInsight(insight, db);
    return {
      first: before === undefined,
      upset: insight.upset_at !== null,
      turnedUpset: turnedUpset ? negative : null,
    };
  }

  /** The job's handler: what a scored message means once it is committed. */
  async handle(workspaceId: string, rawPayload: Record<string, unknown>): Promise<void> {
    const { conversationId, messageId, first: given, turnedUpset } = Payload.parse(rawPayload);
    const { repo } = this.deps;
    const message = await repo.visitorMessage(workspaceId, messageId);
    if (!message) return; // erased meanwhile (data protection)
    const settings = await this.deps.intents.settings(workspaceId);
    const insight: InsightRow = (await repo.findInsight(workspaceId, conversationId)) ?? {
      conversation_id: conversationId,
      workspace_id: workspaceId,
      intent: null,
      intent_confidence: null,
      negative: 0,
      upset_at: null,
      updated_at: Date.now(),
    };
    const first = given ?? !(await repo.visitorWroteBefore(workspaceId, conversationId, message.seq));
    const classification =
      first && settings.autoRoute ? await this.deps.intents.classify(workspaceId, message.text) : null;
    if (classification?.intentRow) {
      insight.intent = classification.intentRow.name;
      insight.intent_confidence = classification.confidence;
      insight.updated_at = Date.now();
      await repo.saveIntent(insight);
    }
    if (turnedUpset !== undefined)
      await this.deps.conversations.recordSystemEvent(workspaceId, conversationId, 'sentiment_negative', {
        negative: round(turnedUpset),
        messageId,
      });
    // Operators' tabs show upset conversations only: a calm message is news to nobody.
    if (insight.upset_at !== null) this.announce(insight);

    const intent = classification?.intentRow;
    if (!classification || !intent) return;
    await this.deps.conversations.recordSystemEvent(workspaceId, conversationId, 'intent_detected', {
      intent: intent.name,
      intentId: intent.id,
      confidence: round(classification.confidence),
      modelVersion: classification.modelVersion,
      // What the intent meant when detected: the bot report's non-target share reads it from here.
      action: intent.action,
    });
    // A bot flow holding the conversation answers it: it can branch on the intent itself.
    if ((await this.deps.conversations.statusOf(workspaceId, conversationId)) === 'bot') return;
    const locale = localeOf(message.text);
    switch (intent.action) {
      case 'route':
        if (intent.department_id)
          await this.deps.conversations.routeToDepartment(
            workspaceId,
            conversationId,
            intent.department_id,
            `intent: ${intent.name}`,
          );
        return;
      case 'non_target': {
        if (settings.nonTargetMode === 'off') return;
        const reply = replyIn(intent, locale);
        if (reply) await this.deps.conversations.botReply(workspaceId, conversationId, reply, ASSISTANT_NAME);
        if (settings.nonTargetMode === 'reply_and_close')
          await this.deps.conversations.resolveBySystem(workspaceId, conversationId);
        return;
      }
      case 'knowledge': {
        if (!settings.knowledgeAnswers) return;
        const answer = await this.deps.knowledge.bestAnswer(
          workspaceId,
          message.text,
          locale,
          KNOWLEDGE_MIN_SIMILARITY,
        );
        if (!answer) {
          const reply = replyIn(intent, locale);
          if (reply)
            await this.deps.conversations.botReply(workspaceId, conversationId, reply, ASSISTANT_NAME);
          return;
        }
        const sent = await this.deps.conversations.botReply(
          workspaceId,
          conversationId,
          `${answer.title}\n\n${answer.body}`,
          ASSISTANT_NAME,
          feedbackButtons(locale),
        );
        await this.deps.knowledge.recordAnswer(workspaceId, conversationId, sent.id, answer.id);
        return;
      }
      case 'none':
        return;
    }
  }

  private announce(row: InsightRow): void {
    this.deps.hub.operators
      .to(rooms.workspaceOperators(row.workspace_id))
      .emit('conversation:insight', toInsight(row));
  }
}

export function toInsight(row: InsightRow): ConversationInsight {
  return {
    conversationId: row.conversation_id,
    intent: row.intent,
    intentConfidence: row.intent_confidence,
    negative: row.negative,
    upsetAt: row.upset_at,
    updatedAt: row.updated_at,
  };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
