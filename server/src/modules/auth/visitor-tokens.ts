// Widget visitor tokens: JWTs signed with the workspace's own secret, naming the contact they
// stand for. A token of one workspace can never be used in another.
import { SignJWT, errors, jwtVerify } from 'jose';
import { AppError } from '../../errors.js';
import type { WorkspaceRow } from '../workspaces/repo.js';
import type { VisitorPrincipal } from './principal.js';

const ALGORITHM = 'HS256';

const keyOf = (workspace: WorkspaceRow) => new TextEncoder().encode(workspace.visitor_token_secret);

export async function issueVisitorToken(
  workspace: WorkspaceRow,
  contactId: string,
  ttlSeconds: number,
): Promise<string> {
  return new SignJWT({ wid: workspace.id })
    .setProtectedHeader({ alg: ALGORITHM })
    .setSubject(contactId)
    .setIssuedAt()
    .setExpirationTime(Math.floor(Date.now() / 1000) + ttlSeconds)
    .sign(keyOf(workspace));
}

/** The workspace id a token claims, read before verification only to pick the key to verify with. */
export function claimedWorkspaceId(token: string): string {
  const payload = token.split('.')[1];
  if (!payload) throw invalidToken();
  try {
    const claims: unknown = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    if (claims && typeof claims === 'object' && 'wid' in claims && typeof claims.wid === 'string')
      return claims.wid;
  } catch {
    // Falls through to the same error as any other malformed token.
  }
  throw invalidToken();
}

export async function verifyVisitorToken(workspace: WorkspaceRow, token: string): Promise<VisitorPrincipal> {
  try {
    const { payload } = await jwtVerify(token, keyOf(workspace), { algorithms: [ALGORITHM] });
    if (payload.wid !== workspace.id || typeof payload.sub !== 'string') throw invalidToken();
    return { kind: 'visitor', workspaceId: workspace.id, contactId: payload.sub };
  } catch (error) {
    if (error instanceof errors.JWTExpired) {
      throw new AppError('token_expired', 'The visitor token has expired; start a new widget session');
    }
    if (error instanceof AppError) throw error;
    throw invalidToken();
  }
}

const invalidToken = () =>
  new AppError('token_invalid', 'The visitor token is not valid; start a new widget session');
