// The REST calls the workspace makes, typed by the protocol (docs/api-contract-draft.md).
import type {
  CannedResponse,
  CannedResponseInput,
  Contact,
  Conversation,
  ConversationTags,
  Department,
  DepartmentInput,
  InboxCounts,
  InviteRequest,
  InvitedMember,
  TagUsage,
  TeamMember,
  TeamMemberPatch,
  UpdateContactRequest,
  UpdateWorkspaceRequest,
  WorkspaceInfo,
  FileInfo,
  Locale,
  LoginRequest,
  MessagePage,
  OperatorLoad,
  QueueLoad,
  Presence,
  Session,
  User,
} from '@frontline/protocol';
import { LIMITS } from '@frontline/protocol/client';
import { queryOf, type ListFilter } from '../realtime/conversation-lists.js';
import { ApiError, api } from './http.js';

export interface ConversationPage {
  items: Conversation[];
  nextCursor: string | null;
}

export interface RoutingOverview {
  operators: OperatorLoad[];
  queues: QueueLoad[];
  queue: Conversation[];
  /** Offered or assigned now, for reassignment. */
  held: Conversation[];
}

export type ConversationAction = 'take' | 'resolve' | 'reopen';

/** Pages of history: this many messages, enough to fill a tall window. */
const HISTORY_PAGE_SIZE = 100;
/** A gap fetch asks for as much as the server gives in one page. */
const GAP_PAGE_SIZE = LIMITS.syncMaxMessagesPerConversation;

/** The session, or null when nobody is logged in. */
export async function fetchSession(): Promise<Session | null> {
  try {
    return await api<Session>('GET', '/api/auth/session');
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) return null;
    throw error;
  }
}

export const logIn = (request: LoginRequest) => api<Session>('POST', '/api/auth/login', request);
export const logOut = () => api<void>('POST', '/api/auth/logout');
export const saveLocale = (locale: Locale) => api<User>('PATCH', '/api/me', { locale });

export const fetchConversations = (filter: ListFilter, cursor: string | null) =>
  api<ConversationPage>('GET', `/api/conversations?${queryOf(filter, cursor)}`);
export const fetchConversation = (id: string) => api<Conversation>('GET', `/api/conversations/${id}`);
export const actOn = (id: string, action: ConversationAction) =>
  api<Conversation>('POST', `/api/conversations/${id}/${action}`);
export const assignTo = (id: string, assigneeId: string) =>
  api<Conversation>('POST', `/api/conversations/${id}/assign`, { assigneeId });

export const fetchLatestMessages = (id: string) =>
  api<MessagePage>('GET', `/api/conversations/${id}/messages?limit=${HISTORY_PAGE_SIZE}`);
export const fetchMessagesBefore = (id: string, beforeSeq: number) =>
  api<MessagePage>(
    'GET',
    `/api/conversations/${id}/messages?limit=${HISTORY_PAGE_SIZE}&beforeSeq=${beforeSeq}`,
  );
export const fetchMessagesAfter = (id: string, afterSeq: number) =>
  api<MessagePage>('GET', `/api/conversations/${id}/messages?limit=${GAP_PAGE_SIZE}&afterSeq=${afterSeq}`);

export const fetchContact = (id: string) => api<Contact>('GET', `/api/contacts/${id}`);

export function uploadFile(file: File): Promise<FileInfo> {
  const form = new FormData();
  form.append('file', file, file.name);
  return api<FileInfo>('POST', '/api/files', form);
}

export const fetchPresence = async () => (await api<OperatorLoad>('GET', '/api/me/presence')).presence;
export const savePresence = (presence: Presence) =>
  api<OperatorLoad>('PUT', '/api/me/presence', { presence });
export const fetchRoutingOverview = () => api<RoutingOverview>('GET', '/api/routing/overview');

// ---- the workspace's inbox, tags, canned responses, team and settings ----

export const fetchInboxCounts = () => api<InboxCounts>('GET', '/api/inbox/counts');
export const handOver = (id: string, assigneeId: string, note: string) =>
  api<Conversation>('POST', `/api/conversations/${id}/handover`, { assigneeId, note });
export const transferToDepartment = (id: string, departmentId: string, reason: string) =>
  api<Conversation>('POST', `/api/conversations/${id}/transfer`, { departmentId, reason });
export const fetchContactConversations = (contactId: string) =>
  api<ConversationPage>('GET', `/api/conversations?contactId=${contactId}&limit=20`);
export const searchContacts = (q: string) =>
  api<{ items: Contact[] }>('GET', `/api/contacts?limit=8&q=${encodeURIComponent(q)}`);
export const saveContact = (id: string, patch: UpdateContactRequest) =>
  api<Contact>('PATCH', `/api/contacts/${id}`, patch);

export const fetchTags = async (id: string) =>
  (await api<ConversationTags>('GET', `/api/conversations/${id}/tags`)).tags;
export const addTag = (id: string, tag: string) =>
  api<ConversationTags>('POST', `/api/conversations/${id}/tags`, { tag });
export const removeTag = (id: string, tag: string) =>
  api<ConversationTags>('DELETE', `/api/conversations/${id}/tags/${encodeURIComponent(tag)}`);
export const fetchTagUsage = () => api<TagUsage[]>('GET', '/api/tags');

export const fetchCannedResponses = (q: string) =>
  api<CannedResponse[]>('GET', `/api/canned-responses?limit=200${q ? `&q=${encodeURIComponent(q)}` : ''}`);
export const createCannedResponse = (input: CannedResponseInput) =>
  api<CannedResponse>('POST', '/api/canned-responses', input);
export const updateCannedResponse = (id: string, input: CannedResponseInput) =>
  api<CannedResponse>('PATCH', `/api/canned-responses/${id}`, input);
export const deleteCannedResponse = (id: string) => api<void>('DELETE', `/api/canned-responses/${id}`);

export const fetchDepartments = () => api<Department[]>('GET', '/api/departments');
export const createDepartment = (input: DepartmentInput) =>
  api<Department>('POST', '/api/departments', input);
export const updateDepartment = (id: string, input: Partial<DepartmentInput>) =>
  api<Department>('PATCH', `/api/departments/${id}`, input);
export const fetchUsers = () => api<User[]>('GET', '/api/users');
export const fetchTeam = () => api<TeamMember[]>('GET', '/api/team');
export const inviteMember = (input: InviteRequest) => api<InvitedMember>('POST', '/api/team', input);
export const updateMember = (id: string, patch: TeamMemberPatch) =>
  api<TeamMember>('PATCH', `/api/team/${id}`, patch);
export const fetchWorkspace = () => api<WorkspaceInfo>('GET', '/api/workspace');
export const saveWorkspace = (patch: UpdateWorkspaceRequest) =>
  api<WorkspaceInfo>('PATCH', '/api/workspace', patch);
