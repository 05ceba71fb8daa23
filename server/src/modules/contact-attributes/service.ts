// Typed contact attributes: admins define keys with a type (text, number, date, boolean, select);
// values sent for a defined key must fit it. Keys nobody defined stay free-form, as before.
import type {
  ContactAttributeDefinition,
  ContactAttributeInput,
  ContactAttributePatch,
} from '@frontline/protocol';
import { ContactAttributeInput as InputSchema } from '@frontline/protocol';
import { z } from 'zod';
import { AppError, notFound } from '../../errors.js';
import { isUniqueViolation } from '../../storage/errors.js';
import { newId } from '../../storage/ids.js';
import { parseJsonColumn } from '../../storage/json.js';
import type { Attributes } from '../contacts/service.js';
import type { ContactAttributeRepo, DefinitionRow } from './repo.js';
import { attributeProblem } from './rules.js';

const Options = z.array(z.string());

export class ContactAttributeService {
  constructor(private readonly repo: ContactAttributeRepo) {}

  async list(workspaceId: string): Promise<ContactAttributeDefinition[]> {
    return (await this.repo.list(workspaceId)).map(toDefinition);
  }

  async create(workspaceId: string, input: ContactAttributeInput): Promise<ContactAttributeDefinition> {
    const parsed = InputSchema.parse(input);
    const row: DefinitionRow = {
      id: newId(),
      workspace_id: workspaceId,
      key: parsed.key,
      label: parsed.label,
      type: parsed.type,
      options: JSON.stringify(parsed.type === 'select' ? parsed.options : []),
      created_at: Date.now(),
    };
    try {
      await this.repo.insert(row);
    } catch (error) {
      if (isUniqueViolation(error))
        throw new AppError('conflict', `An attribute with the key "${parsed.key}" exists already`, 'key');
      throw error;
    }
    return toDefinition(row);
  }

  /** Label and options change; key and type do not (stored values were checked against them). */
  async update(
    workspaceId: string,
    id: string,
    patch: ContactAttributePatch,
  ): Promise<ContactAttributeDefinition> {
    const row = await this.find(workspaceId, id);
    if (patch.options !== undefined && row.type === 'select' && patch.options.length === 0)
      throw new AppError('validation_failed', 'A select attribute needs at least one option', 'body.options');
    await this.repo.update(workspaceId, id, {
      ...(patch.label !== undefined ? { label: patch.label } : {}),
      ...(patch.options !== undefined && row.type === 'select'
        ? { options: JSON.stringify(patch.options) }
        : {}),
    });
    return toDefinition(await this.find(workspaceId, id));
  }

  /** The definition goes; values already stored on contacts stay as free-form attributes. */
  async delete(workspaceId: string, id: string): Promise<void> {
    if (!(await this.repo.delete(workspaceId, id))) throw notFound('Contact attribute');
  }

  /** ContactService's AttributeRules: refuses a value that does not fit its definition. */
  check = async (workspaceId: string, attributes: Attributes): Promise<Attributes> => {
    const keys = Object.keys(attributes);
    if (keys.length === 0) return attributes;
    const definitions = new Map((await this.repo.list(workspaceId)).map((d) => [d.key, toDefinition(d)]));
    for (const key of keys) {
      const definition = definitions.get(key);
      const problem = definition && attributeProblem(definition, attributes[key] ?? null);
      if (problem)
        throw new AppError(
          'validation_failed',
          `attributes.${key} (${definition.label}) ${problem}`,
          `body.attributes.${key}`,
        );
    }
    return attributes;
  };

  private async find(workspaceId: string, id: string): Promise<DefinitionRow> {
    const row = await this.repo.find(workspaceId, id);
    if (!row) throw notFound('Contact attribute');
    return row;
  }
}

function toDefinition(row: DefinitionRow): ContactAttributeDefinition {
  return {
    id: row.id,
    key: row.key,
    label: row.label,
    type: row.type as ContactAttributeDefinition['type'],
    options: parseJsonColumn(Options, row.options, []),
    createdAt: row.created_at,
  };
}
