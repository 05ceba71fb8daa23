// Operators: accounts with a role, a language and an argon2 password hash.
import argon2 from 'argon2';
import type {
  CreateUserRequest,
  OperatorLoad,
  Presence,
  UpdateMeRequest,
  User,
  UserRole,
} from '@frontline/protocol';
import { AppError, notFound } from '../../errors.js';
import { newId } from '../../storage/ids.js';
import type { SlotLedger } from '../conversations/service.js';
import type { OperatorRepo, UserRow } from './repo.js';

type Db = Parameters<SlotLedger['reserve']>[0];

// Verifying against this when the e-mail is unknown keeps the response time the same either way,
// so login timing does not reveal which e-mails have accounts.
const UNKNOWN_USER_HASH = argon2.hash('frontline-timing-equaliser');

export class OperatorService implements SlotLedger {
  constructor(private readonly repo: OperatorRepo) {}

  // ---- capacity and presence (routing reads and changes these) ----

  reserve(
    db: Db,
    workspaceId: string,
    userId: string,
    now: number,
    enforceCapacity: boolean,
  ): Promise<boolean> {
    return enforceCapacity
      ? this.repo.reserveSlot(db, workspaceId, userId, now)
      : this.repo.forceSlot(db, workspaceId, userId, now);
  }

  release(db: Db, workspaceId: string, userId: string): Promise<unknown> {
    return this.repo.releaseSlot(db, workspaceId, userId);
  }

  routingCandidates(workspaceId: string, departmentId: string | null): Promise<UserRow[]> {
    return this.repo.routingCandidates(workspaceId, departmentId);
  }

  /** Online, away or offline, with the reason kept in the presence history ("hours online"). */
  async setPresence(
    workspaceId: string,
    userId: string,
    presence: Presence,
    reason: 'manual' | 'missed_offers' | 'disconnected',
  ): Promise<UserRow> {
    const now = Date.now();
    await this.repo.db.transaction().execute(async (trx) => {
      await this.repo.setPresence(trx, workspaceId, userId, presence, now);
      await this.repo.insertPresenceEvent(trx, {
        id: newId(),
        workspace_id: workspaceId,
        user_id: userId,
        presence,
        reason,
        created_at: now,
      });
    });
    return this.get(workspaceId, userId);
  }

  countMiss(workspaceId: string, userId: string): Promise<number> {
    return this.repo.countMiss(workspaceId, userId);
  }

  resetMisses(workspaceId: string, userId: string): Promise<unknown> {
    return this.repo.resetMisses(workspaceId, userId);
  }

  async setCapacity(workspaceId: string, userId: string, capacity: number): Promise<UserRow> {
    await this.get(workspaceId, userId);
    await this.repo.setCapacity(workspaceId, userId, capacity);
    return this.get(workspaceId, userId);
  }

  async create(workspaceId: string, input: CreateUserRequest): Promise<UserRow> {
    const email = input.email.toLowerCase();
    if (await this.repo.findByEmail(email)) {
      throw new AppError('conflict', 'An account with this e-mail already exists', 'email');
    }
    const id = newId();
    await this.repo.insert({
      id,
      workspace_id: workspaceId,
      email,
      name: input.name,
      password_hash: await argon2.hash(input.password),
      role: input.role,
      locale: input.locale,
      created_at: Date.now(),
      disabled_at: null,
    });
    return this.get(workspaceId, id);
  }

  /** The account for these credentials, or undefined; never says which half was wrong. */
  async verifyCredentials(email: string, password: string): Promise<UserRow | undefined> {
    const row = await this.repo.findByEmail(email.toLowerCase());
    if (!row || row.disabled_at !== null) {
      await argon2.verify(await UNKNOWN_USER_HASH, password);
      return undefined;
    }
    return (await argon2.verify(row.password_hash, password)) ? row : undefined;
  }

  async get(workspaceId: string, id: string): Promise<UserRow> {
    const row = await this.repo.findById(workspaceId, id);
    if (!row) throw notFound('Operator');
    return row;
  }

  list(workspaceId: string): Promise<UserRow[]> {
    return this.repo.list(workspaceId);
  }

  async updateAccount(
    workspaceId: string,
    id: string,
    patch: { name?: string | undefined; role?: UserRole | undefined; disabled?: boolean | undefined },
  ): Promise<UserRow> {
    const current = await this.get(workspaceId, id);
    await this.repo.updateAccount(workspaceId, id, {
      ...(patch.name !== undefined ? { name: patch.name } : {}),
      ...(patch.role !== undefined ? { role: patch.role } : {}),
      ...(patch.disabled !== undefined
        ? { disabled_at: patch.disabled ? (current.disabled_at ?? Date.now()) : null }
        : {}),
    });
    return this.get(workspaceId, id);
  }

  async updateMe(workspaceId: string, id: string, patch: UpdateMeRequest): Promise<UserRow> {
    await this.repo.update(workspaceId, id, {
      ...(patch.name !== undefined ? { name: patch.name } : {}),
      ...(patch.locale !== undefined ? { locale: patch.locale } : {}),
    });
    return this.get(workspaceId, id);
  }
}

export function toUser(row: UserRow): User {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    role: row.role as User['role'],
    locale: row.locale === 'en' ? 'en' : 'ru',
    createdAt: row.created_at,
  };
}

export function toOperatorLoad(row: UserRow): OperatorLoad {
  return {
    id: row.id,
    name: row.name,
    presence: row.presence as Presence,
    capacity: row.capacity,
    active: row.active_count,
    missedInRow: row.missed_in_row,
  };
}
