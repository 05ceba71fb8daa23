// HTTP routes of conversations and their messages, for operators and API tokens.
import { z } from 'zod';
import {
  Conversation,
  ConversationListQuery,
  Id,
  Message,
  MessagePage,
  MessagePageQuery,
  SendMessageBody,
  TransferRequest,
  EscalateRequest,
  SetPriorityRequest,
  pageOf,
  HandoverRequest,
  InboxCounts,
} from '@frontline/protocol';
import { AppError } from '../../errors.js';
import type { HttpApp } from '../../http.js';
import { operatorOf, requireStaff, staffOf } from '../auth/guards.js';
import type { AuthService } from '../auth/service.js';
import type { StaffPrincipal } from '../auth/principal.js';
import type { DepartmentService } from '../departments/service.js';
import type { OperatorService } from '../operators/service.js';
import { toConversation, type ConversationService } from './service.js';

const ById = z.object({ id: Id });
const tags = ['conversations'];

export function conversationRoutes(
  app: HttpApp,
  auth: AuthService,
  service: ConversationService,
  departments: DepartmentService,
  operators: OperatorService,
): void {
  const read = requireStaff(auth, { scope: 'conversations:read' });
  const write = requireStaff(auth, { scope: 'conversations:write' });

  app.get('/api/conversations', {
    schema: {
      tags,
      summary: 'List conversations, newest activity first',
      querystring: ConversationListQuery,
      response: { 200: pageOf(Conversation) },
    },
    preHandler: read,
    handler: async (request) => {
      const staff = staffOf(request);
      const mine = request.query.queue ? await myDepartmentIds(departments, staff) : [];
      return service.list(staff, request.query, mine);
    },
  });

  app.get('/api/inbox/counts', {
    schema: {
      tags,
      summary:
        "The inbox sidebar's counters for me: awaiting reply, mine, offline, common queue, other, recent",
      response: { 200: InboxCounts },
    },
    preHandler: requireStaff(auth),
    handler: async (request) => {
      const operator = operatorOf(request);
      return service.inboxCounts(operator, await myDepartmentIds(departments, operator));
    },
  });

  app.post('/api/conversations/:id/handover', {
    schema: {
      tags,
      summary: 'Hand the conversation to a colleague, with a note only the team sees',
      params: ById,
      body: HandoverRequest,
      response: { 200: Conversation },
    },
    preHandler: write,
    handler: async (request) => {
      const staff = staffOf(request);
      const assignee = await operators.get(staff.workspaceId, request.body.assigneeId);
      if (assignee.disabled_at !== null)
        throw new AppError('conflict', `${assignee.name}'s account is disabled`, 'assigneeId');
      return service.handover(
        staff,
        request.params.id,
        { id: assignee.id, name: assignee.name },
        request.body.note,
      );
    },
  });

  app.get('/api/conversations/:id', {
    schema: { tags, summary: 'One conversation', params: ById, response: { 200: Conversation } },
    preHandler: read,
    handler: async (request) => toConversation(await service.get(staffOf(request), request.params.id)),
  });

  app.post('/api/conversations/:id/take', {
    schema: {
      tags,
      summary: 'Assign the conversation to me (operators only)',
      params: ById,
      response: { 200: Conversation },
    },
    preHandler: requireStaff(auth),
    handler: (request) => service.take(operatorOf(request), request.params.id),
  });

  app.post('/api/conversations/:id/resolve', {
    schema: { tags, summary: 'Resolve the conversation', params: ById, response: { 200: Conversation } },
    preHandler: write,
    handler: (request) => service.resolve(staffOf(request), request.params.id),
  });

  app.post('/api/conversations/:id/transfer', {
    schema: {
      tags,
      summary: 'Transfer (or escalate) to a department: back into its queue, with the reason kept',
      params: ById,
      body: TransferRequest,
      response: { 200: Conversation },
    },
    preHandler: write,
    handler: async (request) => {
      const staff = staffOf(request);
      await departments.get(staff.workspaceId, request.body.departmentId);
      return service.transfer(staff, request.params.id, request.body.departmentId, request.body.reason);
    },
  });

  app.post('/api/conversations/:id/assign', {
    schema: {
      tags,
      summary: 'Hand the conversation to an operator (supervisors and admins)',
      params: ById,
      body: z.object({ assigneeId: Id }),
      response: { 200: Conversation },
    },
    preHandler: requireStaff(auth, { roles: ['admin', 'supervisor'], scope: 'conversations:write' }),
    handler: async (request) => {
      const staff = staffOf(request);
      const assignee = await operators.get(staff.workspaceId, request.body.assigneeId);
      return service.assign(staff, request.params.id, { id: assignee.id, name: assignee.name });
    },
  });

  app.post('/api/conversations/:id/escalate', {
    schema: {
      tags,
      summary: "Escalate to the next line (the department's escalatesToId), with the reason kept",
      params: ById,
      body: EscalateRequest,
      response: { 200: Conversation },
    },
    preHandler: write,
    handler: async (request) => {
      const staff = staffOf(request);
      const current = await service.get(staff, request.params.id);
      const from = current.department_id
        ? await departments.get(staff.workspaceId, current.department_id)
        : null;
      if (!from?.escalatesToId) {
        throw new AppError(
          'conflict',
          "This conversation's department has no next line; set escalatesToId or transfer instead",
        );
      }
      return service.transfer(staff, request.params.id, from.escalatesToId, request.body.reason, 'escalated');
    },
  });

  app.put('/api/conversations/:id/priority', {
    schema: {
      tags,
      summary: 'Set the priority (orders the queue)',
      params: ById,
      body: SetPriorityRequest,
      response: { 200: Conversation },
    },
    preHandler: write,
    handler: (request) => service.setPriority(staffOf(request), request.params.id, request.body.priority),
  });

  app.post('/api/conversations/:id/reopen', {
    schema: {
      tags,
      summary: 'Reopen a resolved conversation',
      params: ById,
      response: { 200: Conversation },
    },
    preHandler: write,
    handler: (request) => service.reopen(staffOf(request), request.params.id),
  });

  app.get('/api/conversations/:id/messages', {
    schema: {
      tags,
      summary: 'Messages in seq order: the newest page, older with beforeSeq, newer with afterSeq',
      params: ById,
      querystring: MessagePageQuery,
      response: { 200: MessagePage },
    },
    preHandler: requireStaff(auth, { scope: 'messages:read' }),
    handler: (request) => service.messages(staffOf(request), request.params.id, request.query),
  });

  app.post('/api/conversations/:id/messages', {
    schema: {
      tags,
      summary: 'Send a message or internal note (idempotent by clientMsgId)',
      description:
        '201 with the new message; 200 with the stored one when this clientMsgId was already sent; 409 when it was sent with other content.',
      params: ById,
      body: SendMessageBody,
      response: { 200: Message, 201: Message },
    },
    preHandler: requireStaff(auth, { scope: 'messages:write' }),
    handler: async (request, reply) => {
      const { message, replayed } = await service.sendMessage(
        staffOf(request),
        request.params.id,
        request.body,
      );
      return reply.code(replayed ? 200 : 201).send(message);
    },
  });
}

/** The departments the caller is a member of: their queues are the caller's common queue. */
async function myDepartmentIds(departments: DepartmentService, staff: StaffPrincipal): Promise<string[]> {
  if (staff.kind !== 'operator') return [];
  const all = await departments.list(staff.workspaceId);
  return all.filter((d) => d.memberIds.includes(staff.userId)).map((d) => d.id);
}
