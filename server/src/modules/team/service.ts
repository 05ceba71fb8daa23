// The team as admins manage it: people with their role, capacity and departments, invited with a
// first password to pass on (Frontline sends no e-mail yet), changed or disabled. Built on the
// operators, departments and routing services; holds no tables of its own.
import { randomBytes } from 'node:crypto';
import type { InviteRequest, Presence, TeamMember, TeamMemberPatch } from '@frontline/protocol';
import { InviteRequest as InviteSchema } from '@frontline/protocol';
import { AppError } from '../../errors.js';
import type { OperatorPrincipal } from '../auth/principal.js';
import type { DepartmentService } from '../departments/service.js';
import type { OperatorService } from '../operators/service.js';
import type { UserRow } from '../operators/repo.js';
import type { RoutingService } from '../routing/service.js';

export class TeamService {
  constructor(
    private readonly operators: OperatorService,
    private readonly departments: DepartmentService,
    private readonly routing: RoutingService,
  ) {}

  async list(workspaceId: string): Promise<TeamMember[]> {
    const [people, departments] = await Promise.all([
      this.operators.list(workspaceId),
      this.departments.list(workspaceId),
    ]);
    return people.map((row) => toTeamMember(row, departments));
  }

  async invite(
    admin: OperatorPrincipal,
    input: InviteRequest,
  ): Promise<{ member: TeamMember; password: string }> {
    const parsed = InviteSchema.parse(input);
    await this.refuseUnknownDepartments(admin.workspaceId, parsed.departmentIds);
    // 12 random bytes: 16 characters, far past the 10 the password rule asks for.
    const password = randomBytes(12).toString('base64url');
    const row = await this.operators.create(admin.workspaceId, { ...parsed, password });
    await this.operators.setCapacity(admin.workspaceId, row.id, parsed.capacity);
    await this.setDepartments(admin.workspaceId, row.id, parsed.departmentIds);
    return { member: await this.member(admin.workspaceId, row.id), password };
  }

  async update(admin: OperatorPrincipal, id: string, patch: TeamMemberPatch): Promise<TeamMember> {
    const { workspaceId } = admin;
    const self = id === admin.userId;
    if (self && (patch.disabled === true || (patch.role !== undefined && patch.role !== 'admin')))
      throw new AppError(
        'conflict',
        'You cannot disable yourself or give up your own admin role; ask another admin',
        patch.disabled === true ? 'disabled' : 'role',
      );
    if (patch.departmentIds) await this.refuseUnknownDepartments(workspaceId, patch.departmentIds);
    const row = await this.operators.updateAccount(workspaceId, id, patch);
    if (patch.capacity !== undefined) {
      await this.operators.setCapacity(workspaceId, id, patch.capacity);
      this.routing.trigger(workspaceId);
    }
    if (patch.departmentIds) await this.setDepartments(workspaceId, id, patch.departmentIds);
    // A disabled account takes no more conversations.
    if (patch.disabled && row.presence !== 'offline')
      await this.routing.setPresence(workspaceId, id, 'offline');
    return this.member(workspaceId, id);
  }

  private async member(workspaceId: string, id: string): Promise<TeamMember> {
    const [row, departments] = await Promise.all([
      this.operators.get(workspaceId, id),
      this.departments.list(workspaceId),
    ]);
    return toTeamMember(row, departments);
  }

  /** Membership lives with the departments: each one that gains or loses the person is changed. */
  private async setDepartments(workspaceId: string, userId: string, departmentIds: string[]): Promise<void> {
    const wanted = new Set(departmentIds);
    for (const department of await this.departments.list(workspaceId)) {
      const member = department.memberIds.includes(userId);
      if (member === wanted.has(department.id)) continue;
      const memberIds = member
        ? department.memberIds.filter((m) => m !== userId)
        : [...department.memberIds, userId];
      await this.departments.update(workspaceId, department.id, { memberIds });
    }
  }

  private async refuseUnknownDepartments(workspaceId: string, departmentIds: string[]): Promise<void> {
    const known = new Set((await this.departments.list(workspaceId)).map((d) => d.id));
    const unknown = departmentIds.find((id) => !known.has(id));
    if (unknown)
      throw new AppError(
        'validation_failed',
        `departmentIds: ${unknown} is no department here`,
        'departmentIds',
      );
  }
}

function toTeamMember(row: UserRow, departments: { id: string; memberIds: string[] }[]): TeamMember {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    role: row.role as TeamMember['role'],
    locale: row.locale === 'en' ? 'en' : 'ru',
    disabled: row.disabled_at !== null,
    capacity: row.capacity,
    presence: row.presence as Presence,
    departmentIds: departments.filter((d) => d.memberIds.includes(row.id)).map((d) => d.id),
    createdAt: row.created_at,
  };
}
