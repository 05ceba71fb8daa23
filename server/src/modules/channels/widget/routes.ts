// The website widget's own endpoints: its configuration, the visitor session (which resumes the
// same contact and conversation from a stored visitor token), starting conversations (chat,
// proactive invitation, offline form), the pre-chat form, ratings, the page trail, identity and
// attributes, and the visitor's REST fallbacks. Admins edit the settings under /api/widget-settings.
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import {
  AdminWidgetSettings,
  Contact,
  Conversation,
  ConversationRating,
  Id,
  IdentifyRequest,
  IdentifyResult,
  Message,
  MessagePage,
  MessagePageQuery,
  OfflineRequestBody,
  OfflineRequestResult,
  PageViewRequest,
  PreChatAnswers,
  RatingRequest,
  RatingState,
  SendMessageBody,
  SetAttributesRequest,
  VISITOR_TOKEN_HEADER,
  WidgetConfig,
  WidgetOpenRequest,
  WidgetSession,
  WidgetSessionRequest,
  WidgetGreeting,
  WidgetSettings,
} from '@frontline/protocol';
import { AppError } from '../../../errors.js';
import type { HttpApp } from '../../../http.js';
import type { RealtimeHub } from '../../../realtime/hub.js';
import { rooms } from '../../../realtime/rooms.js';
import { operatorOf, requireStaff, requireVisitor, visitorOf } from '../../auth/guards.js';
import type { AuthService } from '../../auth/service.js';
import type { ConversationService } from '../../conversations/service.js';
import type { WidgetService } from './service.js';

const tags = ['widget'];
const ByKey = z.object({ key: z.string().min(1).max(100) });
const ById = z.object({ id: Id });

export function widgetRoutes(
  app: HttpApp,
  deps: {
    auth: AuthService;
    widget: WidgetService;
    conversations: ConversationService;
    hub: RealtimeHub;
  },
): void {
  const { auth, widget, conversations, hub } = deps;
  const visitorOnly = requireVisitor(auth);
  // A conversation opened over REST is followed by every socket (tab) of its visitor.
  const followInAllTabs = (contactId: string, conversation: Conversation) =>
    hub.visitors.in(rooms.contact(contactId)).socketsJoin(rooms.conversationVisitor(conversation.id));

  app.get('/api/widget/:key/config', {
    schema: {
      tags,
      summary: 'What the widget shows before the visitor writes',
      description: 'Appearance, forms, invitations, and whether an operator is online now.',
      params: ByKey,
      response: { 200: WidgetConfig },
    },
    handler: (request) => widget.config(request.params.key),
  });

  app.post('/api/widget/:key/session', {
    schema: {
      tags,
      summary: 'Start or resume a visitor session',
      description:
        "A valid visitorToken of this workspace resumes its contact and latest conversation; otherwise a new visitor is made. The metadata's page joins the visitor's page trail.",
      params: ByKey,
      body: WidgetSessionRequest,
      response: { 200: WidgetSession },
    },
    // The address is the server's to say: a visitor cannot claim one.
    handler: (request) =>
      widget.startSession(request.params.key, request.body.visitorToken, {
        ...request.body.metadata,
        ip: request.ip,
      }),
  });

  app.post('/api/widget/conversations', {
    schema: {
      tags,
      summary: "Start the visitor's conversation (or get the open one)",
      description:
        'source proactive names the invitation the visitor answers: its text opens the conversation and the created event carries source proactive.',
      body: WidgetOpenRequest,
      response: { 200: Conversation },
    },
    preHandler: visitorOnly,
    handler: async (request) => {
      const visitor = visitorOf(request);
      const conversation = await widget.open(visitor, request.ip, request.body);
      followInAllTabs(visitor.contactId, conversation);
      return conversation;
    },
  });

  app.post('/api/widget/prechat', {
    schema: {
      tags,
      summary: 'Answer the pre-chat form',
      description: 'Checked against the form set in the widget settings; fills the contact.',
      body: PreChatAnswers,
      response: { 200: Contact },
    },
    preHandler: visitorOnly,
    handler: (request) => widget.submitPreChat(visitorOf(request), request.body),
  });

  app.post('/api/widget/offline-requests', {
    schema: {
      tags,
      summary: 'Leave a request while no operator is online',
      description:
        'Becomes an offline conversation (status offline, event went_offline) answered later, in the widget or by e-mail when one is given.',
      body: OfflineRequestBody,
      response: { 201: OfflineRequestResult },
    },
    preHandler: visitorOnly,
    handler: async (request, reply) => {
      const visitor = visitorOf(request);
      const result = await widget.submitOfflineRequest(visitor, request.ip, request.body);
      followInAllTabs(visitor.contactId, result.conversation);
      return reply.code(201).send(result);
    },
  });

  app.get('/api/widget/conversations/:id/rating', {
    schema: {
      tags,
      summary: "The visitor's rating of the conversation's latest resolution, if any",
      params: ById,
      response: { 200: RatingState },
    },
    preHandler: visitorOnly,
    handler: async (request) => ({ rating: await widget.rating(visitorOf(request), request.params.id) }),
  });

  app.post('/api/widget/conversations/:id/rating', {
    schema: {
      tags,
      summary: 'Rate a resolved conversation (good or bad, with a comment)',
      params: ById,
      body: RatingRequest,
      response: { 201: ConversationRating },
    },
    preHandler: visitorOnly,
    handler: async (request, reply) =>
      reply.code(201).send(await widget.rate(visitorOf(request), request.params.id, request.body)),
  });

  app.post('/api/widget/pages', {
    schema: {
      tags,
      summary: 'The visitor opened another page of a single-page site',
      body: PageViewRequest,
      response: { 204: z.null() },
    },
    preHandler: visitorOnly,
    handler: async (request, reply) => {
      await widget.recordPage(visitorOf(request), request.body.url, request.body.title);
      return reply.code(204).send(null);
    },
  });

  app.post('/api/widget/identify', {
    schema: {
      tags,
      summary: "Name the host site's logged-in user (identity verification)",
      description:
        "With signature (hex HMAC-SHA256 of id with the identity secret) or token (HS256 JWT), the visitor becomes that user's contact, and the visitor token may change. A signature or token that does not check out is refused with 403.",
      body: IdentifyRequest,
      response: { 200: IdentifyResult },
    },
    preHandler: visitorOnly,
    handler: (request) => widget.identify(visitorOf(request), visitorTokenOf(request), request.body),
  });

  app.post('/api/widget/attributes', {
    schema: {
      tags,
      summary: "Set custom attributes on the visitor's contact",
      body: SetAttributesRequest,
      response: { 200: Contact },
    },
    preHandler: visitorOnly,
    handler: (request) => widget.setAttributes(visitorOf(request), request.body),
  });

  app.get('/api/widget/conversations/:id/messages', {
    schema: {
      tags,
      summary: "The visitor's messages (no internal notes)",
      params: ById,
      querystring: MessagePageQuery,
      response: { 200: MessagePage },
    },
    preHandler: visitorOnly,
    handler: (request) => conversations.messages(visitorOf(request), request.params.id, request.query),
  });

  app.post('/api/widget/conversations/:id/messages', {
    schema: {
      tags,
      summary: 'Send as the visitor (REST fallback of the socket event)',
      params: ById,
      body: SendMessageBody,
      response: { 200: Message, 201: Message },
    },
    preHandler: visitorOnly,
    handler: async (request, reply) => {
      if (request.body.kind !== 'text')
        throw new AppError('forbidden', 'Visitors cannot write internal notes', 'kind');
      const { message, replayed } = await conversations.sendMessage(
        visitorOf(request),
        request.params.id,
        request.body,
      );
      return reply.code(replayed ? 200 : 201).send(message);
    },
  });

  const adminOnly = requireStaff(auth, { roles: ['admin'] });

  app.get('/api/widget-settings', {
    schema: {
      tags,
      summary: 'Widget settings, with the widget key and the identity secret (admins)',
      response: { 200: AdminWidgetSettings },
    },
    preHandler: adminOnly,
    handler: (request) => widget.adminSettings(operatorOf(request).workspaceId),
  });

  app.put('/api/widget-settings', {
    schema: {
      tags,
      summary: 'Replace the widget settings (admins)',
      body: WidgetSettings,
      response: { 200: AdminWidgetSettings },
    },
    preHandler: adminOnly,
    handler: (request) => widget.saveSettings(operatorOf(request), request.body),
  });

  const supervisors = requireStaff(auth, { roles: ['admin', 'supervisor'] });

  app.get('/api/widget-settings/greeting', {
    schema: {
      tags,
      summary: "The widget's greeting at the top of an empty chat (supervisors and admins)",
      response: { 200: WidgetGreeting },
    },
    preHandler: supervisors,
    handler: async (request) => ({
      greeting: (await widget.settings(operatorOf(request).workspaceId)).appearance.greeting,
    }),
  });

  app.put('/api/widget-settings/greeting', {
    schema: {
      tags,
      summary:
        'Replace the greeting, e.g. with the current incident; every open widget shows it at once (supervisors and admins)',
      body: WidgetGreeting,
      response: { 200: WidgetGreeting },
    },
    preHandler: supervisors,
    handler: (request) => widget.saveGreeting(operatorOf(request).workspaceId, request.body.greeting),
  });

  app.post('/api/widget-settings/identity-secret', {
    schema: {
      tags,
      summary: 'Replace the identity secret; signatures made with the old one stop working (admins)',
      response: { 200: AdminWidgetSettings },
    },
    preHandler: adminOnly,
    handler: (request) => widget.rotateIdentitySecret(operatorOf(request).workspaceId),
  });
}

function visitorTokenOf(request: FastifyRequest): string {
  const token = request.headers[VISITOR_TOKEN_HEADER];
  return typeof token === 'string' ? token : '';
}
