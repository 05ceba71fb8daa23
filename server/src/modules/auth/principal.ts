// Who is making a request: an operator with a session, an integration with an API token, or a
// widget visitor with a visitor token. Every route and socket handler acts on behalf of one.
import type { ApiScope, UserRole } from '@frontline/protocol';

export interface OperatorPrincipal {
  kind: 'operator';
  workspaceId: string;
  userId: string;
  name: string;
  role: UserRole;
  sessionId: string;
  csrfToken: string;
}

export interface ApiPrincipal {
  kind: 'api';
  workspaceId: string;
  tokenId: string;
  name: string;
  scopes: ApiScope[];
}

export interface VisitorPrincipal {
  kind: 'visitor';
  workspaceId: string;
  contactId: string;
}

export type Principal = OperatorPrincipal | ApiPrincipal | VisitorPrincipal;

/** Staff act inside the workspace (operators, or integrations with their token's scopes). */
export type StaffPrincipal = OperatorPrincipal | ApiPrincipal;
