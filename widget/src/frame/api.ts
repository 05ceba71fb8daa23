// The widget's REST calls (docs/api-contract-draft.md, "Widget"). A refusal carries the server's
// message so the visitor sees what went wrong; a network failure carries none.
import { VISITOR_TOKEN_HEADER } from '@frontline/protocol/client';
import type {
  Contact,
  Conversation,
  ConversationRating,
  ErrorBody,
  ErrorCode,
  HelpArticle,
  HelpCategory,
  IdentifyRequest,
  IdentifyResult,
  KnowledgeHit,
  MessagePage,
  MessagePageQuery,
  OfflineRequestBody,
  OfflineRequestResult,
  PreChatAnswers,
  RatingRequest,
  RatingState,
  SetAttributesRequest,
  VisitorMetadata,
  WidgetConfig,
  WidgetOpenRequest,
  WidgetSession,
} from '@frontline/protocol';

/** The server answered with an error; its message is meant for people. */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly code: ErrorCode,
  ) {
    super(message);
  }
}

/** The server's words for a failed call; null when the server was not reached at all. */
export const serverMessageOf = (error: unknown): string | null =>
  error instanceof ApiError ? error.message : null;

async function call<T>(url: string, init: RequestInit = {}): Promise<T> {
  const response = await fetch(url, init);
  if (!response.ok) {
    const body = (await response.json().catch(() => null)) as ErrorBody | null;
    throw new ApiError(body?.error.message ?? `HTTP ${response.status}`, body?.error.code ?? 'internal');
  }
  if (response.status === 204) return undefined as T;
  return (await response.json()) as T;
}

const widgetPath = (key: string) => `/api/widget/${encodeURIComponent(key)}`;

export const fetchConfig = (key: string) => call<WidgetConfig>(`${widgetPath(key)}/config`);

export const startSession = (key: string, visitorToken: string | null, metadata: VisitorMetadata) =>
  call<WidgetSession>(`${widgetPath(key)}/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ ...(visitorToken ? { visitorToken } : {}), metadata }),
  });

export function fetchMessages(
  visitorToken: string,
  conversationId: string,
  page: Partial<MessagePageQuery>,
): Promise<MessagePage> {
  const query = new URLSearchParams(
    Object.entries(page).flatMap(([name, value]) => (value === undefined ? [] : [[name, String(value)]])),
  );
  return asVisitor<MessagePage>(visitorToken, 'GET', `conversations/${conversationId}/messages?${query}`);
}

/** A visitor's own call: their token in the header, a JSON body when there is one. */
function asVisitor<T>(
  visitorToken: string,
  method: 'GET' | 'POST',
  path: string,
  body?: unknown,
): Promise<T> {
  return call<T>(`/api/widget/${path}`, {
    method,
    headers: {
      [VISITOR_TOKEN_HEADER]: visitorToken,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

export const openConversation = (token: string, request: WidgetOpenRequest) =>
  asVisitor<Conversation>(token, 'POST', 'conversations', request);

export const sendPreChat = (token: string, answers: PreChatAnswers) =>
  asVisitor<Contact>(token, 'POST', 'prechat', answers);

export const sendOfflineRequest = (token: string, body: OfflineRequestBody) =>
  asVisitor<OfflineRequestResult>(token, 'POST', 'offline-requests', body);

export const fetchRating = (token: string, conversationId: string) =>
  asVisitor<RatingState>(token, 'GET', `conversations/${conversationId}/rating`);

export const sendRating = (token: string, conversationId: string, rating: RatingRequest) =>
  asVisitor<ConversationRating>(token, 'POST', `conversations/${conversationId}/rating`, rating);

export const reportPageView = (token: string, url: string, title: string) =>
  asVisitor<void>(token, 'POST', 'pages', { url, title });

export const sendIdentity = (token: string, identity: IdentifyRequest) =>
  asVisitor<IdentifyResult>(token, 'POST', 'identify', identity);

export const sendAttributes = (token: string, request: SetAttributesRequest) =>
  asVisitor<Contact>(token, 'POST', 'attributes', request);

// The workspace's published articles (no visitor token: the help centre is public).
const helpPath = (key: string) => `/api/help/${encodeURIComponent(key)}`;

export const searchHelp = (key: string, q: string, locale: string) =>
  call<KnowledgeHit[]>(
    `${helpPath(key)}/search?${new URLSearchParams({ q, locale, limit: '10' }).toString()}`,
  );

export const fetchHelpCategories = (key: string, locale: string) =>
  call<HelpCategory[]>(`${helpPath(key)}/categories?locale=${locale}`);

export const fetchHelpArticle = (key: string, id: string) =>
  call<HelpArticle>(`${helpPath(key)}/articles/${encodeURIComponent(id)}`);
