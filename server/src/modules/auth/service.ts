// Authentication: operator sessions (cookie + CSRF token), scoped API tokens, visitor tokens.
import type { ApiScope, ApiToken, CreateApiTokenRequest, CreatedApiToken } from '@frontline/protocol';
import { ApiScope as ApiScopeSchema } from '@frontline/protocol';
import { z } from 'zod';
import { AppError, notFound } from '../../errors.js';
import type { RateLimits } from '../../rate-limits.js';
import { newId } from '../../storage/ids.js';
import { parseJsonColumn } from '../../storage/json.js';
import type { OperatorService } from '../operators/service.js';
import type { UserRow } from '../operators/repo.js';
import type { WorkspaceService } from '../workspaces/service.js';
import type { ApiPrincipal, OperatorPrincipal, VisitorPrincipal } from './principal.js';
import type { ApiTokenRow, AuthRepo } from './repo.js';
import { hashSecret, randomSecret } from './secrets.js';
import { claimedWorkspaceId, issueVisitorToken, verifyVisitorToken } from './visitor-tokens.js';

export const API_TOKEN_PREFIX = 'flt_';
const Scopes = z.array(ApiScopeSchema);

export class AuthService {
  constructor(
    private readonly repo: AuthRepo,
    private readonly operators: OperatorService,
    private readonly workspaces: WorkspaceService,
    private readonly rateLimits: RateLimits,
    private readonly options: { sessionTtlMs: number; visitorTokenTtlSeconds: number },
  ) {}

  /**
   * Checks credentials and opens a session. Every attempt counts against the client address;
   * failures also count against the account, so guessing one password is slow from anywhere.
   */
  async login(
    email: string,
    password: string,
    clientIp: string,
  ): Promise<{ token: string; user: UserRow; csrfToken: string }> {
    await this.rateLimits.consume('loginFromAddress', clientIp);
    await this.rateLimits.assertNotSpent('login', email.toLowerCase());
    const user = await this.operators.verifyCredentials(email, password);
    if (!user) {
      await this.rateLimits.consume('login', email.toLowerCase());
      throw new AppError('unauthorized', 'Wrong e-mail or password');
    }
    const token = randomSecret();
    const csrfToken = randomSecret();
    const now = Date.now();
    await this.repo.insertSession({
      id: newId(),
      workspace_id: user.workspace_id,
      user_id: user.id,
      token_hash: hashSecret(token),
      csrf_token: csrfToken,
      created_at: now,
      expires_at: now + this.options.sessionTtlMs,
    });
    return { token, user, csrfToken };
  }

  async operatorFromSessionToken(token: string): Promise<OperatorPrincipal | undefined> {
    const row = await this.repo.findLiveSession(hashSecret(token), Date.now());
    if (!row) return undefined;
    return {
      kind: 'operator',
      workspaceId: row.workspaceId,
      userId: row.userId,
      name: row.name,
      role: row.role as OperatorPrincipal['role'],
      sessionId: row.sessionId,
      csrfToken: row.csrfToken,
    };
  }

  logout(sessionId: string): Promise<unknown> {
    return this.repo.deleteSession(sessionId);
  }

  async createApiToken(
    workspaceId: string,
    createdBy: string,
    input: CreateApiTokenRequest,
  ): Promise<CreatedApiToken> {
    const token = randomSecret(API_TOKEN_PREFIX);
    const row: ApiTokenRow = {
      id: newId(),
      workspace_id: workspaceId,
      name: input.name,
      token_hash: hashSecret(token),
      scopes: JSON.stringify([...new Set(input.scopes)]),
      created_by: createdBy,
      created_at: Date.now(),
      last_used_at: null,
      revoked_at: null,
    };
    await this.repo.insertApiToken(row);
    return { ...toApiToken(row), token };
  }

  async listApiTokens(workspaceId: string): Promise<ApiToken[]> {
    return (await this.repo.listApiTokens(workspaceId)).map(toApiToken);
  }

  async revokeApiToken(workspaceId: string, id: string): Promise<void> {
    if (!(await this.repo.revokeApiToken(workspaceId, id, Date.now()))) throw notFound('API token');
  }

  async apiFromToken(token: string): Promise<ApiPrincipal | undefined> {
    const row = await this.repo.findLiveApiToken(hashSecret(token));
    if (!row) return undefined;
    const now = Date.now();
    // Write at most once a minute per token: "last used" is for humans, not an audit trail.
    if (row.last_used_at === null || now - row.last_used_at > 60_000)
      await this.repo.touchApiToken(row.id, now);
    return {
      kind: 'api',
      workspaceId: row.workspace_id,
      tokenId: row.id,
      name: row.name,
      scopes: scopesOf(row),
    };
  }

  async visitorFromToken(token: string): Promise<VisitorPrincipal> {
    const workspace = await this.workspaces.get(claimedWorkspaceId(token)).catch(() => {
      throw new AppError('token_invalid', 'The visitor token is not valid; start a new widget session');
    });
    return verifyVisitorToken(workspace, token);
  }

  async issueVisitorToken(workspaceId: string, contactId: string): Promise<string> {
    return issueVisitorToken(
      await this.workspaces.get(workspaceId),
      contactId,
      this.options.visitorTokenTtlSeconds,
    );
  }
}

function scopesOf(row: ApiTokenRow): ApiScope[] {
  return parseJsonColumn(Scopes, row.scopes, []);
}

function toApiToken(row: ApiTokenRow): ApiToken {
  return {
    id: row.id,
    name: row.name,
    scopes: scopesOf(row),
    createdAt: row.created_at,
    lastUsedAt: row.last_used_at,
  };
}
