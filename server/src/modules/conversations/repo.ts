// Conversations, their messages and their event log. Every query is scoped by workspace_id.
import {
  sql,
  type ExpressionBuilder,
  type Insertable,
  type Kysely,
  type Selectable,
  type Transaction,
  type Updateable,
} from 'kysely';
import type { Channel, ConversationStatus, InboxQueue } from '@frontline/protocol';
import type {
  ConversationEventsTable,
  ConversationsTable,
  Database,
  MessagesTable,
} from '../../storage/schema.js';
import type { CommitGroup, GroupedWrite } from '../../storage/commit-group.js';
import { prepare } from '../../storage/prepared.js';
import { contains } from '../../storage/search.js';

export type ConversationRow = Selectable<ConversationsTable> & {
  contact_name: string | null;
  contact_email: string | null;
};
export type MessageRow = Selectable<MessagesTable>;
export type ConversationEventRow = Selectable<ConversationEventsTable>;
type Db = Kysely<Database> | Transaction<Database>;

export interface ConversationFilter {
  status?: ConversationStatus | 'open' | undefined;
  assignee?: { kind: 'none' } | { kind: 'user'; userId: string } | undefined;
  departmentId?: string | undefined;
  contactId?: string | undefined;
  q?: string | undefined;
  channel?: Channel | undefined;
  tag?: string | undefined;
  queue?: QueueScope | undefined;
  after?: { activityAt: number; id: string } | undefined;
  limit: number;
}

/** One inbox queue as seen by one operator (protocol's INBOX_QUEUES says what each holds). */
export interface QueueScope {
  queue: InboxQueue;
  userId: string;
  /** Departments the operator is a member of: their queued conversations are the common queue. */
  departmentIds: string[];
  /** "recent" holds conversations resolved since then. */
  resolvedSince: number;
}

function selectConversations(db: Db) {
  return db
    .selectFrom('conversations')
    .innerJoin('contacts', 'contacts.id', 'conversations.contact_id')
    .selectAll('conversations')
    .select(['contacts.name as contact_name', 'contacts.email as contact_email']);
}

type ConversationQuery = ReturnType<typeof selectConversations>;

// The statements every message runs (see storage/prepared.ts).
const conversationById = prepare((db, v: { workspaceId: string; id: string }) =>
  selectConversations(db)
    .where('conversations.workspace_id', '=', v.workspaceId)
    .where('conversations.id', '=', v.id),
);

const messageByClientId = prepare(
  (db, v: { workspaceId: string; conversationId: string; clientMsgId: string }) =>
    db
      .selectFrom('messages')
      .selectAll()
      .where('workspace_id', '=', v.workspaceId)
      .where('conversation_id', '=', v.conversationId)
      .where('client_msg_id', '=', v.clientMsgId),
);

/** The next seq, with what a new message changes on its conversation; leaving a value out keeps its column. */
const nextSeq = prepare(
  (
    db,
    v: {
      workspaceId: string;
      id: string;
      now: number;
      lastMessageAt?: number;
      preview?: string;
      /** The wait starts at this time unless it already runs. */
      waitStartsAt?: number;
      /** Present (any value): the wait stops. */
      waitStops?: true;
    },
  ) =>
    db
      .updateTable('conversations')
      .set((eb) => ({
        last_seq: eb('last_seq', '+', 1),
        activity_at: v.now,
        updated_at: v.now,
        ...('lastMessageAt' in v ? { last_message_at: v.lastMessageAt } : {}),
        ...('preview' in v ? { last_message_preview: v.preview } : {}),
        ...('waitStartsAt' in v
          ? { waiting_since: eb.fn.coalesce('waiting_since', eb.val(v.waitStartsAt)) }
          : {}),
        ...('waitStops' in v ? { waiting_since: null } : {}),
      }))
      .where('workspace_id', '=', v.workspaceId)
      .where('id', '=', v.id)
      .returningAll(),
);

const insertMessageRow = prepare((db, row: MessageRow) => db.insertInto('messages').values(row));
type Where = Parameters<ConversationQuery['where']>[0];

/** What the row must still look like for a conditional update to apply. */
export interface ExpectedState {
  statusNot?: ConversationStatus;
  statusIn?: ConversationStatus[];
  assigneeIsNull?: boolean;
  assigneeIs?: string | null;
  /** Unassigned, or offered to this operator. */
  takeableBy?: string;
  /** No message was added since the row was read. */
  lastSeqIs?: number;
}

export type ConversationPatch = Partial<
  Pick<
    Updateable<ConversationsTable>,
    | 'status'
    | 'assignee_id'
    | 'department_id'
    | 'resolved_at'
    | 'queued_at'
    | 'offered_to'
    | 'offer_expires_at'
    | 'missed_by'
    | 'priority'
    | 'visitor_last_read_seq'
    | 'operator_last_read_seq'
    | 'waiting_since'
  >
>;

/** What a new message does to the conversation's wait for a reply (docs/workspace.md). */
export type WaitChange = 'start' | 'stop' | 'keep';
/**
 * A row just written, seen inside its transaction (the webhook outbox writes alongside it). A
 * message comes with its conversation as the message's own UPDATE left it, so observers need not
 * read it again.
 */
export type RecordedRow =
  | { kind: 'event'; row: ConversationEventRow }
  | { kind: 'message'; row: MessageRow; conversation: Selectable<ConversationsTable> };
export type RecordObserver = (db: Db, recorded: RecordedRow) => Promise<void>;

export class ConversationRepo {
  constructor(
    readonly db: Kysely<Database>,
    private readonly commitGroup: CommitGroup,
  ) {}

  /** A small write to one conversation that may share its transaction with others arriving at the same time. */
  writeGrouped<T>(conversationId: string, work: GroupedWrite<T>): Promise<T> {
    return this.commitGroup.run(conversationId, work);
  }

  private readonly observers: RecordObserver[] = [];

  /** Every event and message insert calls the observers in the inserting transaction. */
  observe(observer: RecordObserver): void {
    this.observers.push(observer);
  }

  private async recorded(db: Db, recorded: RecordedRow): Promise<void> {
    for (const observer of this.observers) await observer(db, recorded);
  }

  insertConversation(db: Db, row: Insertable<ConversationsTable>): Promise<unknown> {
    return db.insertInto('conversations').values(row).execute();
  }

  async findById(workspaceId: string, id: string, db: Db = this.db): Promise<ConversationRow | undefined> {
    return (await conversationById.execute(db, { workspaceId, id })).rows[0];
  }

  findManyByIds(workspaceId: string, ids: string[]): Promise<ConversationRow[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return selectConversations(this.db)
      .where('conversations.workspace_id', '=', workspaceId)
      .where('conversations.id', 'in', ids)
      .execute();
  }

  findOpenForContact(
    workspaceId: string,
    contactId: string,
    db: Db = this.db,
  ): Promise<ConversationRow | undefined> {
    return selectConversations(db)
      .where('conversations.workspace_id', '=', workspaceId)
      .where('conversations.contact_id', '=', contactId)
      .where('conversations.status', '!=', 'resolved')
      .orderBy('conversations.activity_at', 'desc')
      .executeTakeFirst();
  }

  recentIdsForContact(workspaceId: string, contactId: string, limit: number): Promise<string[]> {
    return this.db
      .selectFrom('conversations')
      .select('id')
      .where('workspace_id', '=', workspaceId)
      .where('contact_id', '=', contactId)
      .orderBy('activity_at', 'desc')
      .limit(limit)
      .execute()
      .then((rows) => rows.map((r) => r.id));
  }

  /** The waiting line of a workspace: highest priority first, then longest waiting. */
  queued(workspaceId: string): Promise<ConversationRow[]> {
    return selectConversations(this.db)
      .where('conversations.workspace_id', '=', workspaceId)
      .where('conversations.status', '=', 'queued')
      .orderBy('conversations.priority', 'desc')
      .orderBy('conversations.queued_at', 'asc')
      .orderBy('conversations.id', 'asc')
      .execute();
  }

  /** Conversations offered to or assigned to someone now (the supervisor's view), by operator. */
  held(workspaceId: string, limit: number): Promise<ConversationRow[]> {
    return selectConversations(this.db)
      .where('conversations.workspace_id', '=', workspaceId)
      .where('conversations.status', 'in', ['offered', 'assigned'])
      .orderBy('conversations.assignee_id')
      .orderBy('conversations.activity_at', 'desc')
      .limit(limit)
      .execute();
  }

  /** Who served this contact last, for sticky routing. */
  async previousAssignee(
    workspaceId: string,
    contactId: string,
    exceptConversationId: string,
  ): Promise<string | null> {
    const row = await this.db
      .selectFrom('conversations')
      .select('assignee_id')
      .where('workspace_id', '=', workspaceId)
      .where('contact_id', '=', contactId)
      .where('id', '!=', exceptConversationId)
      .where('assignee_id', 'is not', null)
      .orderBy('activity_at', 'desc')
      .limit(1)
      .executeTakeFirst();
    return row?.assignee_id ?? null;
  }

  /** Newest activity first; keyset-paged on (activity_at, id). */
  list(workspaceId: string, filter: ConversationFilter): Promise<ConversationRow[]> {
    let query = this.filtered(workspaceId, filter);
    const after = filter.after;
    if (after) {
      query = query.where((eb) =>
        eb.or([
          eb('conversations.activity_at', '<', after.activityAt),
          eb.and([
            eb('conversations.activity_at', '=', after.activityAt),
            eb('conversations.id', '<', after.id),
          ]),
        ]),
      );
    }
    return query
      .orderBy('conversations.activity_at', 'desc')
      .orderBy('conversations.id', 'desc')
      .limit(filter.limit)
      .execute();
  }

  /** How many conversations match the filter (paging fields ignored). */
  async count(workspaceId: string, filter: Omit<ConversationFilter, 'after' | 'limit'>): Promise<number> {
    const row = await this.filtered(workspaceId, { ...filter, limit: 0 })
      .clearSelect()
      .select((eb) => eb.fn.countAll<number | string>().as('count'))
      .executeTakeFirst();
    return Number(row?.count ?? 0);
  }

  private filtered(workspaceId: string, filter: ConversationFilter): ConversationQuery {
    let query = selectConversations(this.db).where('conversations.workspace_id', '=', workspaceId);
    if (filter.status === 'open') query = query.where('conversations.status', '!=', 'resolved');
    else if (filter.status) query = query.where('conversations.status', '=', filter.status);
    if (filter.assignee?.kind === 'none') query = query.where('conversations.assignee_id', 'is', null);
    if (filter.assignee?.kind === 'user')
      query = query.where('conversations.assignee_id', '=', filter.assignee.userId);
    if (filter.departmentId) query = query.where('conversations.department_id', '=', filter.departmentId);
    if (filter.contactId) query = query.where('conversations.contact_id', '=', filter.contactId);
    if (filter.channel) query = query.where('conversations.channel', '=', filter.channel);
    if (filter.queue) query = query.where(queuePredicate(filter.queue));
    const tag = filter.tag;
    if (tag) {
      // A read across to the tags module's table, as the contacts join above: filters need it in SQL.
      query = query.where((eb) =>
        eb.exists(
          eb
            .selectFrom('conversation_tags')
            .select(sql`1`.as('one'))
            .whereRef('conversation_tags.conversation_id', '=', 'conversations.id')
            .where('conversation_tags.workspace_id', '=', workspaceId)
            .where('conversation_tags.tag', '=', tag),
        ),
      );
    }
    if (filter.q) {
      const q = filter.q;
      query = query.where((eb) =>
        eb.or([
          contains('contacts.search_text', q),
          eb.exists(
            eb
              .selectFrom('messages')
              .select(sql`1`.as('one'))
              .whereRef('messages.conversation_id', '=', 'conversations.id')
              .where('messages.workspace_id', '=', workspaceId)
              .where(contains('messages.search_text', q)),
          ),
        ]),
      );
    }
    return query;
  }

  /**
   * Claims the next seq of a conversation. In PostgreSQL the UPDATE row-locks the conversation until
   * the transaction ends, so concurrent senders get consecutive seqs; SQLite serialises writers anyway.
   */
  async claimNextSeq(
    trx: Transaction<Database>,
    workspaceId: string,
    conversationId: string,
    now: number,
    preview: string | null,
    wait: WaitChange = 'keep',
  ) {
    const { rows } = await nextSeq.execute(trx, {
      workspaceId,
      id: conversationId,
      now,
      ...(preview === null ? {} : { lastMessageAt: now, preview }),
      ...(wait === 'start' ? { waitStartsAt: now } : {}),
      ...(wait === 'stop' ? { waitStops: true as const } : {}),
    });
    return rows[0];
  }

  async insertMessage(
    trx: Transaction<Database>,
    row: MessageRow,
    conversation: Selectable<ConversationsTable>,
  ): Promise<unknown> {
    await insertMessageRow.execute(trx, row);
    return this.recorded(trx, { kind: 'message', row, conversation });
  }

  /** The stored content column of one message of the conversation. */
  async findMessageContent(
    workspaceId: string,
    conversationId: string,
    messageId: string,
  ): Promise<string | undefined> {
    const row = await this.db
      .selectFrom('messages')
      .select('content')
      .where('workspace_id', '=', workspaceId)
      .where('conversation_id', '=', conversationId)
      .where('id', '=', messageId)
      .executeTakeFirst();
    return row?.content;
  }

  /** The ids of those of the conversation's messages stored under the given client ids. */
  async messageIdsByClientId(
    db: Db,
    workspaceId: string,
    conversationId: string,
    clientMsgIds: string[],
  ): Promise<Map<string, string>> {
    const rows = await db
      .selectFrom('messages')
      .select(['id', 'client_msg_id'])
      .where('workspace_id', '=', workspaceId)
      .where('conversation_id', '=', conversationId)
      .where('client_msg_id', 'in', clientMsgIds)
      .execute();
    return new Map(rows.map((row) => [row.client_msg_id, row.id]));
  }

  async findMessageByClientId(
    workspaceId: string,
    conversationId: string,
    clientMsgId: string,
  ): Promise<MessageRow | undefined> {
    return (await messageByClientId.execute(this.db, { workspaceId, conversationId, clientMsgId })).rows[0];
  }

  /** Messages in seq order: after `afterSeq` (forwards) or the newest before `beforeSeq` (backwards). */
  async listMessages(
    workspaceId: string,
    conversationId: string,
    page: {
      afterSeq?: number | undefined;
      beforeSeq?: number | undefined;
      limit: number;
      includeNotes: boolean;
    },
  ): Promise<MessageRow[]> {
    let query = this.db
      .selectFrom('messages')
      .selectAll()
      .where('workspace_id', '=', workspaceId)
      .where('conversation_id', '=', conversationId);
    if (!page.includeNotes) query = query.where('kind', '!=', 'note');
    if (page.afterSeq !== undefined) {
      return query.where('seq', '>', page.afterSeq).orderBy('seq', 'asc').limit(page.limit).execute();
    }
    if (page.beforeSeq !== undefined) query = query.where('seq', '<', page.beforeSeq);
    const newestFirst = await query.orderBy('seq', 'desc').limit(page.limit).execute();
    return newestFirst.reverse();
  }

  /** Changes state only if the row still matches `expected`: concurrent actions cannot both win. */
  async updateConversation(
    db: Db,
    workspaceId: string,
    id: string,
    patch: ConversationPatch,
    expected: ExpectedState = {},
  ): Promise<boolean> {
    const result = await this.conditionalUpdate(db, workspaceId, id, patch, expected).executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  /**
   * The same conditional update, giving back the row as this statement left it (undefined if it
   * lost): one round trip where a hot path would otherwise read the row again after the write.
   */
  updateConversationReturning(
    db: Db,
    workspaceId: string,
    id: string,
    patch: ConversationPatch,
    expected: ExpectedState,
  ): Promise<ConversationRow | undefined> {
    const contact = (eb: ExpressionBuilder<Database, 'conversations'>) =>
      eb.selectFrom('contacts').whereRef('contacts.id', '=', 'conversations.contact_id');
    return this.conditionalUpdate(db, workspaceId, id, patch, expected)
      .returningAll()
      .returning((eb) => [
        contact(eb).select('contacts.name').as('contact_name'),
        contact(eb).select('contacts.email').as('contact_email'),
      ])
      .executeTakeFirst();
  }

  private conditionalUpdate(
    db: Db,
    workspaceId: string,
    id: string,
    patch: ConversationPatch,
    expected: ExpectedState,
  ) {
    let query = db
      .updateTable('conversations')
      .set({ ...patch, updated_at: Date.now() })
      .where('workspace_id', '=', workspaceId)
      .where('id', '=', id);
    if (expected.statusNot) query = query.where('status', '!=', expected.statusNot);
    if (expected.statusIn) query = query.where('status', 'in', expected.statusIn);
    if (expected.assigneeIsNull) query = query.where('assignee_id', 'is', null);
    if (expected.assigneeIs !== undefined) {
      const assignee = expected.assigneeIs;
      query =
        assignee === null
          ? query.where('assignee_id', 'is', null)
          : query.where('assignee_id', '=', assignee);
    }
    if (expected.takeableBy) {
      const userId = expected.takeableBy;
      query = query.where((eb) =>
        eb.or([
          eb('assignee_id', 'is', null),
          eb.and([eb('status', '=', 'offered'), eb('assignee_id', '=', userId)]),
        ]),
      );
    }
    if (expected.lastSeqIs !== undefined) query = query.where('last_seq', '=', expected.lastSeqIs);
    return query;
  }

  /** Whether the team (an operator or a bot) wrote a text message in the conversation since a time. */
  async teamRepliedSince(workspaceId: string, conversationId: string, since: number): Promise<boolean> {
    const row = await this.db
      .selectFrom('messages')
      .select('id')
      .where('workspace_id', '=', workspaceId)
      .where('conversation_id', '=', conversationId)
      .where('kind', '=', 'text')
      .where('author_type', 'in', ['operator', 'bot'])
      .where('created_at', '>=', since)
      .limit(1)
      .executeTakeFirst();
    return row !== undefined;
  }

  /** Read marks only move forward and never past the last message. */
  async advanceReadSeq(
    workspaceId: string,
    id: string,
    by: 'visitor' | 'operator',
    seq: number,
    /** A visitor moves only the marks of their own conversations. */
    contactId?: string,
  ): Promise<boolean> {
    const column = by === 'visitor' ? 'visitor_last_read_seq' : 'operator_last_read_seq';
    let query = this.db
      .updateTable('conversations')
      .set({ [column]: seq })
      .where('workspace_id', '=', workspaceId)
      .where('id', '=', id)
      .where(column, '<', seq)
      .where('last_seq', '>=', seq);
    if (contactId !== undefined) query = query.where('contact_id', '=', contactId);
    const result = await query.executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  /** Events of the given types since a time, in time order (routing's handle-time and patience history). */
  eventsSince(
    workspaceId: string,
    types: readonly string[],
    since: number,
  ): Promise<Pick<ConversationEventRow, 'conversation_id' | 'type' | 'data' | 'created_at'>[]> {
    return this.db
      .selectFrom('conversation_events')
      .select(['conversation_id', 'type', 'data', 'created_at'])
      .where('workspace_id', '=', workspaceId)
      .where('type', 'in', [...types])
      .where('created_at', '>=', since)
      .orderBy('created_at')
      .execute();
  }

  /** The source contact's conversations, and what the visitor wrote in them, now belong to the target. */
  async moveToContact(
    db: Db,
    workspaceId: string,
    fromContactId: string,
    toContactId: string,
  ): Promise<string[]> {
    const moved = await db
      .updateTable('conversations')
      .set({ contact_id: toContactId, updated_at: Date.now() })
      .where('workspace_id', '=', workspaceId)
      .where('contact_id', '=', fromContactId)
      .returning('id')
      .execute();
    const ids = moved.map((row) => row.id);
    if (ids.length === 0) return ids;
    await db
      .updateTable('messages')
      .set({ author_id: toContactId })
      .where('workspace_id', '=', workspaceId)
      .where('conversation_id', 'in', ids)
      .where('author_type', '=', 'visitor')
      .where('author_id', '=', fromContactId)
      .execute();
    return ids;
  }

  async insertEvent(db: Db, row: ConversationEventRow): Promise<unknown> {
    await db.insertInto('conversation_events').values(row).execute();
    return this.recorded(db, { kind: 'event', row });
  }

  listEvents(workspaceId: string, conversationId: string): Promise<ConversationEventRow[]> {
    return this.db
      .selectFrom('conversation_events')
      .selectAll()
      .where('workspace_id', '=', workspaceId)
      .where('conversation_id', '=', conversationId)
      .orderBy('created_at')
      .orderBy('id')
      .execute();
  }
}

/** The SQL of each inbox queue; the workspace's list (web/src/realtime/conversation-lists.ts) mirrors it. */
function queuePredicate(scope: QueueScope): Where {
  return (eb) => {
    const common = () =>
      eb.and([
        eb('conversations.status', '=', 'queued'),
        eb('conversations.assignee_id', 'is', null),
        scope.departmentIds.length > 0
          ? eb.or([
              eb('conversations.department_id', 'is', null),
              eb('conversations.department_id', 'in', scope.departmentIds),
            ])
          : eb('conversations.department_id', 'is', null),
      ]);
    switch (scope.queue) {
      case 'awaiting':
        return eb.and([
          eb('conversations.status', 'in', ['offered', 'assigned']),
          eb('conversations.assignee_id', '=', scope.userId),
          eb('conversations.waiting_since', 'is not', null),
        ]);
      case 'mine':
        return eb.and([
          eb('conversations.status', '!=', 'resolved'),
          eb('conversations.assignee_id', '=', scope.userId),
        ]);
      case 'offline':
        return eb('conversations.status', '=', 'offline');
      case 'common':
        return common();
      case 'other':
        return eb.and([
          eb('conversations.status', 'not in', ['resolved', 'offline']),
          eb.or([
            eb('conversations.assignee_id', 'is', null),
            eb('conversations.assignee_id', '!=', scope.userId),
          ]),
          eb.not(common()),
        ]);
      case 'recent':
        return eb.and([
          eb('conversations.status', '=', 'resolved'),
          eb('conversations.resolved_at', '>=', scope.resolvedSince),
        ]);
    }
  };
}
