// The bot report (docs/analytics.md, "Bot report"): what bot flows and the language assistant did
// with the period's conversations, read from the conversation event log.
import { z } from 'zod';
import { LocalDate, ReportQuery } from './analytics.js';

/** Why a bot run handed a conversation to people (event bot_handed_over). */
export const BOT_HANDOFF_REASONS = [
  'flow',
  'asked_for_person',
  'question_failed',
  'action_failed',
  'not_understood',
  'no_answer',
  'loop',
] as const;
export const BotHandoffReason = z.enum(BOT_HANDOFF_REASONS);
export type BotHandoffReason = z.infer<typeof BotHandoffReason>;

/** The bot report is sliced by department and channel only (operators and tags do not apply). */
export const BotReportQuery = ReportQuery.pick({
  from: true,
  to: true,
  departmentId: true,
  channel: true,
}).strict();
export type BotReportQuery = z.infer<typeof BotReportQuery>;

const Count = z.number().int().nonnegative();

/** One local day's figures, or the period's totals (day null). Shares are left to the reader. */
export const BotReportRow = z.object({
  day: LocalDate.nullable(),
  /** Conversations created in the period. */
  requests: Count,
  /** Of them, those a bot flow started on. */
  botStarted: Count,
  /** The bot's run ended by closing the conversation, no person involved. */
  contained: Count,
  /** The run's first end was a hand-off to people. */
  handedOver: Count,
  handedOverByReason: z.record(BotHandoffReason, Count),
  /** An operator was assigned while the run was still going. */
  takenOver: Count,
  /** Closed by the flow or handed over by the flow's own hand-off node. */
  completed: Count,
  /** Handed over because the visitor asked for a person. */
  askedForPerson: Count,
  /** The bot tagged the conversation (a menu option's or a tag node's tag). */
  choseOption: Count,
  /** Conversations with a detected intent. */
  intentDetected: Count,
  /** Of them, those whose intent's action was non_target when it was detected. */
  nonTarget: Count,
  /** Closed by the assistant's non-target reply-and-close. */
  nonTargetClosed: Count,
});
export type BotReportRow = z.infer<typeof BotReportRow>;

export const BotReport = z.object({
  timezone: z.string(),
  rows: z.array(BotReportRow),
  totals: BotReportRow,
});
export type BotReport = z.infer<typeof BotReport>;
