// "Did this help?" under the assistant's knowledge answers. The buttons go out with the answer;
// the visitor's press is a normal message answering one of them (replyTo), noticed inside its
// transaction and handled after commit by a job: the judgement is stored once per answer (the
// first press counts), and a "no" tells the visitor a person will answer. The conversation stays
// where the assistant found it: in the queue (routing started at opening), now marked with a
// knowledge_feedback event so operators see the article did not help.
import { KNOWLEDGE_FEEDBACK_BUTTONS, type Locale, type MessageButton } from '@frontline/protocol';
import { z } from 'zod';
import type { JobRepo } from '../../jobs/repo.js';
import { parseJsonColumn } from '../../storage/json.js';
import type { RecordObserver } from '../conversations/repo.js';
import type { ConversationService } from '../conversations/service.js';
import type { KnowledgeService } from './service.js';

export const KNOWLEDGE_FEEDBACK_JOB = 'knowledge.feedback';
const Payload = z.object({
  conversationId: z.string(),
  answerMessageId: z.string(),
  helpful: z.boolean(),
  locale: z.enum(['ru', 'en']),
});
const StoredReply = z.object({
  replyTo: z.object({ messageId: z.string(), buttonId: z.string() }).optional(),
});

const TEXTS = {
  ru: {
    helpful: 'Помогло',
    notHelpful: 'Не помогло, нужен человек',
    toPerson: 'Жаль, что статья не помогла. Передаю ваш вопрос оператору — он ответит здесь.',
  },
  en: {
    helpful: 'This helped',
    notHelpful: 'No, I need a person',
    toPerson:
      "Sorry the article didn't help. I'm passing your question to an operator, who will answer here.",
  },
} satisfies Record<Locale, Record<string, string>>;

export function feedbackButtons(locale: Locale): MessageButton[] {
  return [
    { id: KNOWLEDGE_FEEDBACK_BUTTONS.helpful, label: TEXTS[locale].helpful, url: null },
    { id: KNOWLEDGE_FEEDBACK_BUTTONS.notHelpful, label: TEXTS[locale].notHelpful, url: null },
  ];
}

/** Enqueues the feedback job in the transaction that stores a press of an answer's buttons. */
export function feedbackObserver(jobs: JobRepo): RecordObserver {
  return async (db, recorded) => {
    if (recorded.kind !== 'message') return;
    const row = recorded.row;
    if (row.author_type !== 'visitor') return;
    const replyTo = parseJsonColumn(StoredReply, row.content, {}).replyTo;
    const helpful = helpfulOf(replyTo?.buttonId);
    if (!replyTo || helpful === null) return;
    await jobs.enqueue(
      {
        workspaceId: row.workspace_id,
        kind: KNOWLEDGE_FEEDBACK_JOB,
        payload: {
          conversationId: row.conversation_id,
          answerMessageId: replyTo.messageId,
          helpful,
          // The button's label is the press's text when the visitor typed nothing: its language.
          locale: /[\u0400-\u04ff]/u.test(row.text) ? 'ru' : 'en',
        },
        runAt: row.created_at,
      },
      db,
    );
  };
}

function helpfulOf(buttonId: string | undefined): boolean | null {
  if (buttonId === KNOWLEDGE_FEEDBACK_BUTTONS.helpful) return true;
  if (buttonId === KNOWLEDGE_FEEDBACK_BUTTONS.notHelpful) return false;
  return null;
}

export class KnowledgeFeedback {
  constructor(
    private readonly deps: {
      knowledge: KnowledgeService;
      conversations: ConversationService;
      assistantName: string;
    },
  ) {}

  /**
   * Stores the visitor's judgement of an answer (the assistant's or a bot flow's) and marks the
   * conversation with it; false for a message that was no knowledge answer, or a second press.
   */
  async record(
    workspaceId: string,
    conversationId: string,
    answerMessageId: string,
    helpful: boolean,
  ): Promise<boolean> {
    const judged = await this.deps.knowledge.judgeAnswer(
      workspaceId,
      conversationId,
      answerMessageId,
      helpful,
    );
    if (judged)
      await this.deps.conversations.recordSystemEvent(workspaceId, conversationId, 'knowledge_feedback', {
        messageId: answerMessageId,
        helpful,
      });
    return judged;
  }

  /** The job's handler. */
  async handle(workspaceId: string, rawPayload: Record<string, unknown>): Promise<void> {
    const { conversationId, answerMessageId, helpful, locale } = Payload.parse(rawPayload);
    const { conversations } = this.deps;
    if (!(await this.record(workspaceId, conversationId, answerMessageId, helpful))) return;
    if (!helpful)
      await conversations.botReply(
        workspaceId,
        conversationId,
        TEXTS[locale].toPerson,
        this.deps.assistantName,
      );
  }
}
