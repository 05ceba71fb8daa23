// Departments (queues and lines), operator presence and capacity, and what a queued visitor sees.
import { z } from 'zod';
import { Id, Timestamp } from './common.js';

export const ROUTING_STRATEGIES = ['least_busy', 'round_robin', 'sticky', 'manual'] as const;
export const RoutingStrategy = z.enum(ROUTING_STRATEGIES);
export type RoutingStrategy = z.infer<typeof RoutingStrategy>;

export const PRESENCES = ['online', 'away', 'offline'] as const;
export const Presence = z.enum(PRESENCES);
export type Presence = z.infer<typeof Presence>;

/** normal 0, high 1, urgent 2, vip 3: higher goes first, then longest waiting. */
export const PRIORITIES = ['normal', 'high', 'urgent', 'vip'] as const;
export const Priority = z.enum(PRIORITIES);
export type Priority = z.infer<typeof Priority>;

const HhMm = z.string().regex(/^([01]\d|2[0-4]):[0-5]\d$/, 'Use HH:MM, 24-hour');
export const BusinessHoursSchema = z.object({
  timezone: z.string().min(1).max(64),
  weekly: z.partialRecord(
    z.enum(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun']),
    z.array(z.tuple([HhMm, HhMm])).max(6),
  ),
  holidays: z
    .array(z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'Use YYYY-MM-DD'))
    .max(400)
    .default([]),
});

export const Department = z.object({
  id: Id,
  name: z.string(),
  strategy: RoutingStrategy,
  offerTimeoutSeconds: z.number().int(),
  stickyWaitSeconds: z.number().int(),
  missesBeforeAway: z.number().int(),
  lineLevel: z.number().int(),
  escalatesToId: Id.nullable(),
  businessHours: BusinessHoursSchema.nullable(),
  memberIds: z.array(Id),
  /** A conversation accepted but not answered within this many seconds is a missed chat; 0: off. */
  firstReplyTimeoutSeconds: z.number().int(),
  /** Auto-close after this many idle minutes (0: never); null: the workspace's setting. */
  idleCloseMinutes: z.number().int().nullable(),
  createdAt: Timestamp,
});
export type Department = z.infer<typeof Department>;

export const DepartmentInput = z.object({
  name: z.string().trim().min(1).max(120),
  strategy: RoutingStrategy.default('least_busy'),
  offerTimeoutSeconds: z.number().int().min(1).max(3600).default(30),
  stickyWaitSeconds: z.number().int().min(0).max(3600).default(60),
  missesBeforeAway: z.number().int().min(1).max(100).default(3),
  lineLevel: z.number().int().min(1).max(9).default(1),
  escalatesToId: Id.nullable().default(null),
  businessHours: BusinessHoursSchema.nullable().default(null),
  memberIds: z.array(Id).max(1000).default([]),
  firstReplyTimeoutSeconds: z.number().int().min(0).max(3600).default(0),
  idleCloseMinutes: z.number().int().min(0).max(43200).nullable().default(null),
});
export type DepartmentInput = z.input<typeof DepartmentInput>;
export const DepartmentPatch = DepartmentInput.partial();

export const SetPresenceRequest = z.object({ presence: Presence });
export const SetCapacityRequest = z.object({ capacity: z.number().int().min(0).max(100) });

export const OperatorLoad = z.object({
  id: Id,
  name: z.string(),
  presence: Presence,
  capacity: z.number().int(),
  active: z.number().int(),
  missedInRow: z.number().int(),
});
export type OperatorLoad = z.infer<typeof OperatorLoad>;

/** What the widget shows while the visitor waits; null fields mean "do not show". */
export interface QueueNotice {
  conversationId: string;
  position: number | null;
  waitMinutes: { min: number; max: number } | null;
}

/** Workspace-wide routing lifecycle settings (a department may override the idle time). */
export const RoutingSettings = z.object({
  /** Auto-close a conversation after this many minutes without messages while the visitor is not waiting; 0: never. */
  idleCloseMinutes: z.number().int().min(0).max(43200),
  /** A visitor writing within this many minutes after the close reopens it; later starts a new conversation. */
  reopenWindowMinutes: z.number().int().min(0).max(43200),
});
export type RoutingSettings = z.infer<typeof RoutingSettings>;

/** One line of the supervisor's view: a department's queue (departmentId null: conversations without one). */
export const QueueLoad = z.object({
  departmentId: Id.nullable(),
  name: z.string().nullable(),
  lineLevel: z.number().int().nullable(),
  waiting: z.number().int(),
  /** When the longest-waiting conversation of this queue was queued. */
  oldestQueuedAt: Timestamp.nullable(),
  /** Operators who can take this queue's conversations and are online, and their free slots. */
  online: z.number().int(),
  freeSlots: z.number().int(),
});
export type QueueLoad = z.infer<typeof QueueLoad>;
