// Routing lifecycle settings of a workspace: auto-close of idle conversations (a department may
// override the time) and the window in which a visitor's message reopens a resolved conversation.
import type { Kysely, Transaction } from 'kysely';
import type { RoutingSettings } from '@frontline/protocol';
import type { Database } from '../../storage/schema.js';

type Db = Kysely<Database> | Transaction<Database>;

export const DEFAULT_ROUTING_SETTINGS: RoutingSettings = { idleCloseMinutes: 0, reopenWindowMinutes: 1440 };
/** Other nodes see a changed setting within this time. */
const CACHE_MS = 30_000;

export class RoutingSettingsRepo {
  private readonly idleCache = new Map<string, { minutes: number | null; at: number }>();

  constructor(private readonly db: Kysely<Database>) {}

  async get(workspaceId: string, db: Db = this.db): Promise<RoutingSettings> {
    const row = await db
      .selectFrom('routing_settings')
      .select(['idle_close_minutes', 'reopen_window_minutes'])
      .where('workspace_id', '=', workspaceId)
      .executeTakeFirst();
    return row
      ? { idleCloseMinutes: row.idle_close_minutes, reopenWindowMinutes: row.reopen_window_minutes }
      : DEFAULT_ROUTING_SETTINGS;
  }

  async put(workspaceId: string, settings: RoutingSettings, now: number): Promise<RoutingSettings> {
    const values = {
      idle_close_minutes: settings.idleCloseMinutes,
      reopen_window_minutes: settings.reopenWindowMinutes,
      updated_at: now,
    };
    await this.db
      .insertInto('routing_settings')
      .values({ workspace_id: workspaceId, ...values })
      .onConflict((oc) => oc.column('workspace_id').doUpdateSet(values))
      .execute();
    this.idleCache.delete(workspaceId);
    return this.get(workspaceId);
  }

  /** A department's idle time wins over the workspace's; 0 means never. */
  async idleMinutesFor(workspaceId: string, departmentId: string | null): Promise<number> {
    const department = departmentId
      ? await this.db
          .selectFrom('departments')
          .select('idle_close_minutes')
          .where('workspace_id', '=', workspaceId)
          .where('id', '=', departmentId)
          .executeTakeFirst()
      : undefined;
    return department?.idle_close_minutes ?? (await this.get(workspaceId)).idleCloseMinutes;
  }

  /**
   * The shortest idle time configured anywhere in the workspace (null: auto-close is off
   * everywhere), cached briefly: it is read on every reply, inside the reply's transaction.
   */
  async shortestIdleMinutes(workspaceId: string, db: Db, now: number): Promise<number | null> {
    const cached = this.idleCache.get(workspaceId);
    if (cached && now - cached.at < CACHE_MS && now >= cached.at) return cached.minutes;
    const settings = await this.get(workspaceId, db);
    const departments = await db
      .selectFrom('departments')
      .select('idle_close_minutes')
      .where('workspace_id', '=', workspaceId)
      .where('idle_close_minutes', '>', 0)
      .execute();
    const all = [settings.idleCloseMinutes, ...departments.map((d) => d.idle_close_minutes ?? 0)];
    const positive = all.filter((m) => m > 0);
    const minutes = positive.length > 0 ? Math.min(...positive) : null;
    this.idleCache.set(workspaceId, { minutes, at: now });
    return minutes;
  }
}
