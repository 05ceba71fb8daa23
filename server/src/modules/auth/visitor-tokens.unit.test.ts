import { describe, expect, it } from 'vitest';
import type { WorkspaceRow } from '../workspaces/repo.js';
import { claimedWorkspaceId, issueVisitorToken, verifyVisitorToken } from './visitor-tokens.js';

const workspace = (id: string, secret: string): WorkspaceRow => ({
  id,
  name: 'w',
  widget_key: 'k',
  visitor_token_secret: secret,
  default_locale: 'ru',
  allowed_origins: '[]',
  settings: '{}',
  created_at: 0,
});

describe('visitor tokens', () => {
  it('name their contact and workspace', async () => {
    const token = await issueVisitorToken(workspace('w1', 's1'), 'contact-1', 60);
    expect(claimedWorkspaceId(token)).toBe('w1');
    await expect(verifyVisitorToken(workspace('w1', 's1'), token)).resolves.toEqual({
      kind: 'visitor',
      workspaceId: 'w1',
      contactId: 'contact-1',
    });
  });

  it('are refused by another workspace, even one with the same secret', async () => {
    const token = await issueVisitorToken(workspace('w1', 'same'), 'contact-1', 60);
    await expect(verifyVisitorToken(workspace('w2', 'same'), token)).rejects.toMatchObject({
      code: 'token_invalid',
    });
    await expect(verifyVisitorToken(workspace('w1', 'other'), token)).rejects.toMatchObject({
      code: 'token_invalid',
    });
  });

  it('expire', async () => {
    const token = await issueVisitorToken(workspace('w1', 's1'), 'contact-1', -10);
    await expect(verifyVisitorToken(workspace('w1', 's1'), token)).rejects.toMatchObject({
      code: 'token_expired',
    });
  });

  it('refuse garbage clearly', () => {
    expect(() => claimedWorkspaceId('not-a-jwt')).toThrow(/not valid/);
  });
});
