// Workspaces: creation with their widget key and visitor-token secret, settings, allowed origins.
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { Locale, UpdateWorkspaceRequest, WorkspaceInfo } from '@frontline/protocol';
import { AppError, notFound } from '../../errors.js';
import { newId } from '../../storage/ids.js';
import { parseJsonColumn } from '../../storage/json.js';
import type { WorkspaceRepo, WorkspaceRow } from './repo.js';

const Origins = z.array(z.string());

export class WorkspaceService {
  constructor(private readonly repo: WorkspaceRepo) {}

  async create(input: { name: string; defaultLocale: Locale }): Promise<WorkspaceRow> {
    const row: WorkspaceRow = {
      id: newId(),
      name: input.name,
      // Public: it is pasted into websites. 16 random bytes make it unguessable all the same.
      widget_key: randomBytes(16).toString('base64url'),
      visitor_token_secret: randomBytes(32).toString('base64url'),
      default_locale: input.defaultLocale,
      allowed_origins: '[]',
      settings: '{}',
      created_at: Date.now(),
    };
    await this.repo.insert(row);
    return row;
  }

  async get(id: string): Promise<WorkspaceRow> {
    const row = await this.repo.findById(id);
    if (!row) throw notFound('Workspace');
    return row;
  }

  async findByWidgetKey(widgetKey: string): Promise<WorkspaceRow> {
    const row = await this.repo.findByWidgetKey(widgetKey);
    if (!row)
      throw new AppError(
        'not_found',
        'No workspace has this widget key; copy the widget snippet again from the admin',
      );
    return row;
  }

  async update(id: string, patch: UpdateWorkspaceRequest): Promise<WorkspaceRow> {
    await this.repo.update(id, {
      ...(patch.name !== undefined ? { name: patch.name } : {}),
      ...(patch.defaultLocale !== undefined ? { default_locale: patch.defaultLocale } : {}),
      ...(patch.allowedOrigins !== undefined
        ? { allowed_origins: JSON.stringify(patch.allowedOrigins.map((o) => new URL(o).origin)) }
        : {}),
    });
    return this.get(id);
  }

  /** The demo page embeds the first workspace's widget. */
  async oldestWidgetKey(): Promise<string | undefined> {
    return (await this.repo.oldest())?.widget_key;
  }

  countWorkspaces(): Promise<number> {
    return this.repo.count();
  }
}

export function allowedOriginsOf(row: WorkspaceRow): string[] {
  return parseJsonColumn(Origins, row.allowed_origins, []);
}

/** An empty list means the widget may be embedded anywhere (the admin narrows it). */
export function isOriginAllowed(row: WorkspaceRow, origin: string): boolean {
  const allowed = allowedOriginsOf(row);
  return allowed.length === 0 || allowed.includes(origin);
}

export function toWorkspaceInfo(row: WorkspaceRow): WorkspaceInfo {
  return {
    id: row.id,
    name: row.name,
    widgetKey: row.widget_key,
    defaultLocale: row.default_locale === 'en' ? 'en' : 'ru',
    allowedOrigins: allowedOriginsOf(row),
  };
}
