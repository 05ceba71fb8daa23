// The team page's API: invite with a first password, change role, capacity and departments,
// disable; admins only, and never locking oneself out.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Department, InvitedMember, TeamMember } from '@frontline/protocol';
import { createWorkspace, login, type StaffClient, type TestWorkspace } from '../../test/factories.js';
import { startTestServer, type TestServer } from '../../test/harness.js';

let server: TestServer;
let workspace: TestWorkspace;
let admin: StaffClient;

beforeAll(async () => {
  server = await startTestServer();
  workspace = await createWorkspace(server);
  admin = await login(server, workspace.admin);
});
afterAll(() => server.close());

describe('the team', () => {
  it('invites a person who can then log in, with capacity and departments', async () => {
    const sales = await admin.json<Department>('POST', '/api/departments', { name: 'Sales' });
    const invited = await admin.json<InvitedMember>('POST', '/api/team', {
      email: 'New.Person@test.local',
      name: 'New Person',
      role: 'supervisor',
      capacity: 7,
      departmentIds: [sales.id],
    });
    expect(invited.member).toMatchObject({
      email: 'new.person@test.local',
      role: 'supervisor',
      capacity: 7,
      departmentIds: [sales.id],
      disabled: false,
    });
    const person = await login(server, { email: 'new.person@test.local', password: invited.password });
    expect(person.session.user.role).toBe('supervisor');
  });

  it('changes role, capacity and departments, and a disabled person can no longer log in', async () => {
    const [support, billing] = [
      await admin.json<Department>('POST', '/api/departments', { name: 'Support' }),
      await admin.json<Department>('POST', '/api/departments', { name: 'Billing' }),
    ];
    const { member, password } = await admin.json<InvitedMember>('POST', '/api/team', {
      email: 'mover@test.local',
      name: 'Mover',
      departmentIds: [support.id],
    });
    const changed = await admin.json<TeamMember>('PATCH', `/api/team/${member.id}`, {
      role: 'admin',
      capacity: 2,
      departmentIds: [billing.id],
    });
    expect(changed).toMatchObject({ role: 'admin', capacity: 2, departmentIds: [billing.id] });
    const departments = await admin.json<Department[]>('GET', '/api/departments');
    expect(departments.find((d) => d.id === support.id)?.memberIds).not.toContain(member.id);

    await admin.json('PATCH', `/api/team/${member.id}`, { disabled: true });
    const refused = await fetch(`${server.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'mover@test.local', password }),
    });
    expect(refused.status).toBe(401);
    const team = await admin.json<TeamMember[]>('GET', '/api/team');
    expect(team.find((m) => m.id === member.id)?.disabled).toBe(true);
  });

  it('does not let an admin disable or demote themselves, nor operators manage the team', async () => {
    const me = admin.session.user.id;
    expect((await admin.request('PATCH', `/api/team/${me}`, { disabled: true })).status).toBe(409);
    expect((await admin.request('PATCH', `/api/team/${me}`, { role: 'operator' })).status).toBe(409);
    const operator = await login(server, workspace.operator);
    expect((await operator.request('GET', '/api/team')).status).toBe(403);
    expect((await operator.request('POST', '/api/team', { email: 'x@test.local', name: 'X' })).status).toBe(
      403,
    );
  });
});
