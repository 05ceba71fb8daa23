// Canned responses: prepared replies with a shortcut (typed after "/" in the composer), a title and
// a text with variables ({{contact.name}}, {{operator.name}}), one per language. Admins keep them;
// every operator searches them. The composer fills the variables (protocol's fillTemplate).
import type { CannedResponse, CannedResponseInput, CannedResponseQuery, Locale } from '@frontline/protocol';
import { CannedResponseInput as InputSchema, CannedResponsePatch } from '@frontline/protocol';
import type { z } from 'zod';
import { AppError, notFound } from '../../errors.js';
import { isUniqueViolation } from '../../storage/errors.js';
import { newId } from '../../storage/ids.js';
import { normaliseForSearch } from '../../storage/search.js';
import type { CannedResponseRepo, CannedResponseRow } from './repo.js';

type Parsed = z.output<typeof InputSchema>;

export class CannedResponseService {
  constructor(private readonly repo: CannedResponseRepo) {}

  async list(workspaceId: string, query: CannedResponseQuery): Promise<CannedResponse[]> {
    const rows = await this.repo.list(workspaceId, query);
    const q = query.q ? normaliseForSearch(query.q) : '';
    // Whoever types "/del" wants the response whose shortcut starts so before ones mentioning it.
    const rank = (row: CannedResponseRow) => (q && row.shortcut.startsWith(q) ? 0 : 1);
    return rows.sort((a, b) => rank(a) - rank(b)).map(toCannedResponse);
  }

  async get(workspaceId: string, id: string): Promise<CannedResponseRow> {
    const row = await this.repo.findById(workspaceId, id);
    if (!row) throw notFound('Canned response');
    return row;
  }

  async create(workspaceId: string, authorId: string, input: CannedResponseInput): Promise<CannedResponse> {
    const parsed = InputSchema.parse(input);
    await this.refuseTakenShortcut(workspaceId, parsed, undefined);
    const now = Date.now();
    const row: CannedResponseRow = {
      id: newId(),
      workspace_id: workspaceId,
      ...parsed,
      search_text: searchTextOf(parsed),
      created_by: authorId,
      created_at: now,
      updated_at: now,
    };
    await this.insertOrRefuse(row);
    return toCannedResponse(row);
  }

  async update(
    workspaceId: string,
    id: string,
    patch: z.input<typeof CannedResponsePatch>,
  ): Promise<CannedResponse> {
    const current = await this.get(workspaceId, id);
    const merged = InputSchema.parse({ ...toCannedResponse(current), ...CannedResponsePatch.parse(patch) });
    await this.refuseTakenShortcut(workspaceId, merged, id);
    await this.repo.update(workspaceId, id, {
      ...merged,
      search_text: searchTextOf(merged),
      updated_at: Date.now(),
    });
    return toCannedResponse(await this.get(workspaceId, id));
  }

  async delete(workspaceId: string, id: string): Promise<void> {
    if (!(await this.repo.delete(workspaceId, id))) throw notFound('Canned response');
  }

  private async refuseTakenShortcut(workspaceId: string, input: Parsed, selfId: string | undefined) {
    const holder = await this.repo.findByShortcut(workspaceId, input.locale, input.shortcut);
    if (holder && holder.id !== selfId) throw shortcutTaken(input);
  }

  /** Two admins saving the same shortcut at once: the unique index lets one win. */
  private async insertOrRefuse(row: CannedResponseRow): Promise<void> {
    try {
      await this.repo.insert(row);
    } catch (error) {
      if (isUniqueViolation(error)) throw shortcutTaken({ shortcut: row.shortcut, locale: row.locale });
      throw error;
    }
  }
}

function shortcutTaken(input: { shortcut: string; locale: string }): AppError {
  return new AppError(
    'conflict',
    `The shortcut "/${input.shortcut}" is already used by another ${input.locale} response; choose another`,
    'shortcut',
  );
}

function searchTextOf(input: Parsed): string {
  return normaliseForSearch(input.shortcut, input.title, input.text);
}

export function toCannedResponse(row: CannedResponseRow): CannedResponse {
  return {
    id: row.id,
    locale: row.locale as Locale,
    shortcut: row.shortcut,
    title: row.title,
    text: row.text,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
