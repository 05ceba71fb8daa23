// The workspace's analytics settings: its time zone (reports bucket by its local days), SLA targets
// (per department if set) and the live-monitoring alert rules.
import type { Kysely } from 'kysely';
import { AnalyticsSettings, type AnalyticsSettingsInput } from '@frontline/protocol';
import { AppError } from '../../errors.js';
import { parseJsonColumn } from '../../storage/json.js';
import type { Database } from '../../storage/schema.js';
import { BusinessHours } from '../routing/business-hours.js';

export const DEFAULT_TIMEZONE = 'UTC';
export const defaultSettings = (): AnalyticsSettings =>
  AnalyticsSettings.parse({ timezone: DEFAULT_TIMEZONE, sla: {} });

type Db = Pick<Kysely<Database>, 'selectFrom' | 'insertInto'>;

export async function readSettings(db: Db, workspaceId: string): Promise<AnalyticsSettings> {
  const row = await db
    .selectFrom('analytics_settings')
    .select('settings')
    .where('workspace_id', '=', workspaceId)
    .executeTakeFirst();
  return row ? parseJsonColumn(AnalyticsSettings, row.settings, defaultSettings()) : defaultSettings();
}

export function checkTimezone(timezone: string): void {
  const zone = BusinessHours.shape.timezone.safeParse(timezone);
  if (!zone.success)
    throw new AppError(
      'validation_failed',
      `Unknown time zone "${timezone}": use an IANA name such as Europe/Moscow`,
      'timezone',
    );
}

export async function writeSettings(
  db: Db,
  workspaceId: string,
  input: AnalyticsSettingsInput,
): Promise<AnalyticsSettings> {
  const settings = AnalyticsSettings.parse(input);
  checkTimezone(settings.timezone);
  const ids = settings.alertRules.map((r) => r.id);
  if (new Set(ids).size !== ids.length)
    throw new AppError(
      'validation_failed',
      'Two alert rules share one id; give each rule its own id',
      'alertRules',
    );
  const now = Date.now();
  const json = JSON.stringify(settings);
  await db
    .insertInto('analytics_settings')
    .values({ workspace_id: workspaceId, settings: json, updated_at: now })
    .onConflict((oc) => oc.column('workspace_id').doUpdateSet({ settings: json, updated_at: now }))
    .execute();
  return settings;
}
