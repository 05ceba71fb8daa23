// Departments: the queues conversations wait in, each with its routing strategy, offer timeout,
// business hours, members, and the line it escalates to.
import { z } from 'zod';
import type { Department, DepartmentInput, RoutingStrategy } from '@frontline/protocol';
import { DepartmentInput as DepartmentInputSchema, DepartmentPatch } from '@frontline/protocol';
import { AppError, notFound } from '../../errors.js';
import { newId } from '../../storage/ids.js';
import { parseJsonColumn } from '../../storage/json.js';
import { BusinessHours } from '../routing/business-hours.js';
import type { DepartmentRepo, DepartmentRow } from './repo.js';

type Parsed = z.output<typeof DepartmentInputSchema>;

export class DepartmentService {
  constructor(private readonly repo: DepartmentRepo) {}

  async create(workspaceId: string, input: DepartmentInput): Promise<Department> {
    const parsed = DepartmentInputSchema.parse(input);
    await this.validate(workspaceId, parsed, undefined);
    const id = newId();
    await this.repo.db.transaction().execute(async (trx) => {
      await this.repo.insert(trx, {
        id,
        workspace_id: workspaceId,
        created_at: Date.now(),
        ...toColumns(parsed),
      });
      await this.repo.replaceMembers(trx, workspaceId, id, parsed.memberIds);
    });
    return this.get(workspaceId, id);
  }

  async update(workspaceId: string, id: string, patch: z.input<typeof DepartmentPatch>): Promise<Department> {
    const current = await this.get(workspaceId, id);
    const merged = DepartmentInputSchema.parse({ ...current, ...DepartmentPatch.parse(patch) });
    await this.validate(workspaceId, merged, id);
    await this.repo.db.transaction().execute(async (trx) => {
      await this.repo.update(trx, workspaceId, id, toColumns(merged));
      await this.repo.replaceMembers(trx, workspaceId, id, merged.memberIds);
    });
    return this.get(workspaceId, id);
  }

  async get(workspaceId: string, id: string): Promise<Department> {
    const row = await this.repo.findById(workspaceId, id);
    if (!row) throw notFound('Department');
    const members = await this.repo.members(workspaceId, [id]);
    return toDepartment(row, members.get(id) ?? []);
  }

  async list(workspaceId: string): Promise<Department[]> {
    const rows = await this.repo.list(workspaceId);
    const members = await this.repo.members(
      workspaceId,
      rows.map((r) => r.id),
    );
    return rows.map((row) => toDepartment(row, members.get(row.id) ?? []));
  }

  private async validate(workspaceId: string, input: Parsed, selfId: string | undefined): Promise<void> {
    if (input.businessHours && !BusinessHours.safeParse(input.businessHours).success) {
      throw new AppError(
        'validation_failed',
        'businessHours.timezone: use an IANA time zone such as Europe/Moscow',
        'businessHours.timezone',
      );
    }
    if (input.escalatesToId) {
      if (input.escalatesToId === selfId)
        throw new AppError('validation_failed', 'A department cannot escalate to itself', 'escalatesToId');
      if (!(await this.repo.findById(workspaceId, input.escalatesToId))) {
        throw new AppError(
          'validation_failed',
          'escalatesToId names no department of this workspace',
          'escalatesToId',
        );
      }
    }
    const known = await this.repo.existingUserIds(workspaceId, input.memberIds);
    const unknown = input.memberIds.find((id) => !known.has(id));
    if (unknown)
      throw new AppError(
        'validation_failed',
        `memberIds: ${unknown} is not a person of this workspace`,
        'memberIds',
      );
  }
}

function toColumns(input: Parsed) {
  return {
    name: input.name,
    strategy: input.strategy,
    offer_timeout_seconds: input.offerTimeoutSeconds,
    sticky_wait_seconds: input.stickyWaitSeconds,
    misses_before_away: input.missesBeforeAway,
    line_level: input.lineLevel,
    escalates_to_id: input.escalatesToId,
    business_hours: input.businessHours ? JSON.stringify(input.businessHours) : null,
    first_reply_timeout_seconds: input.firstReplyTimeoutSeconds,
    idle_close_minutes: input.idleCloseMinutes,
  };
}

export function toDepartment(row: DepartmentRow, memberIds: string[]): Department {
  return {
    id: row.id,
    name: row.name,
    strategy: row.strategy as RoutingStrategy,
    offerTimeoutSeconds: row.offer_timeout_seconds,
    stickyWaitSeconds: row.sticky_wait_seconds,
    missesBeforeAway: row.misses_before_away,
    lineLevel: row.line_level,
    escalatesToId: row.escalates_to_id,
    businessHours: parseJsonColumn(BusinessHours.nullable(), row.business_hours, null),
    memberIds,
    firstReplyTimeoutSeconds: row.first_reply_timeout_seconds,
    idleCloseMinutes: row.idle_close_minutes,
    createdAt: row.created_at,
  };
}
