// A workspace's intents (example phrases in Russian and English, and what each does), its trained
// intent models (versioned: train, read the report, switch on, roll back) and its settings.
// Training runs in a worker thread; classification uses the active model, cached per node and
// reloaded when another version is switched on.
import {
  classify,
  deserializeIntentModel,
  type IntentExample,
  type IntentModel,
  type SerializedIntentModel,
} from '@frontline/nlu';
import type {
  ClassifyResult,
  Intent,
  IntentInput,
  IntentModelVersion,
  IntentPatch,
  Locale,
  NluSettings,
  NluSettingsPatch,
} from '@frontline/protocol';
import {
  IntentInput as InputSchema,
  IntentModelReport,
  IntentPatch as PatchSchema,
  NluSettings as SettingsSchema,
} from '@frontline/protocol';
import { z } from 'zod';
import { AppError, notFound } from '../../errors.js';
import { isUniqueViolation } from '../../storage/errors.js';
import { newId } from '../../storage/ids.js';
import { parseJsonColumn } from '../../storage/json.js';
import type { IntentRepo, IntentRow, ModelRow } from './repo.js';
import { trainInWorker } from './trainer.js';
import { validInput } from './validate.js';
import type { WorkspaceCache, WorkspaceCaches } from '../../workspace-cache.js';

export const DEFAULT_NLU_SETTINGS: NluSettings = {
  autoRoute: true,
  nonTargetMode: 'reply_and_close',
  sentimentThreshold: 0.6,
  knowledgeAnswers: true,
};

/** A model still "training" after this long was lost with its node (restart): it is shown as failed. */
const TRAINING_LOST_MS = 10 * 60_000;
const MIN_EXAMPLES_PER_INTENT = 3;

const Examples = z.array(z.object({ locale: z.enum(['ru', 'en']), text: z.string() }));
const Reply = z.object({ ru: z.string(), en: z.string() });
const IntentNames = z.record(z.string(), z.string());

export interface DepartmentLookup {
  get(workspaceId: string, id: string): Promise<unknown>;
}

interface LoadedModel {
  id: string;
  version: number;
  model: IntentModel;
  /** Intent name → intent id, as at training. */
  names: Record<string, string>;
}

export interface Classification extends ClassifyResult {
  intentRow: IntentRow | null;
}

export class IntentService {
  private readonly loaded = new Map<string, LoadedModel>();
  /** Trainings running on this node, by model id (tests wait on them). */
  readonly trainings = new Map<string, Promise<void>>();

  /** Read for every visitor message. */
  private readonly cachedSettings: WorkspaceCache<NluSettings>;

  constructor(
    private readonly repo: IntentRepo,
    private readonly departments: DepartmentLookup,
    caches: WorkspaceCaches,
  ) {
    this.cachedSettings = caches.create('nlu.settings', async (workspaceId, db) =>
      parseJsonColumn(SettingsSchema, (await repo.settings(workspaceId, db)) ?? null, DEFAULT_NLU_SETTINGS),
    );
  }

  // ---- intents ----

  async list(workspaceId: string): Promise<Intent[]> {
    return (await this.repo.listIntents(workspaceId)).map(toIntent);
  }

  async get(workspaceId: string, id: string): Promise<IntentRow> {
    const row = await this.repo.findIntent(workspaceId, id);
    if (!row) throw notFound('Intent');
    return row;
  }

  async create(workspaceId: string, input: IntentInput): Promise<Intent> {
    const parsed = validInput(InputSchema, input);
    await this.checkDepartment(workspaceId, parsed.departmentId);
    const now = Date.now();
    const row: IntentRow = {
      id: newId(),
      workspace_id: workspaceId,
      name: parsed.name,
      action: parsed.action,
      department_id: parsed.departmentId,
      reply: JSON.stringify(parsed.reply),
      examples: JSON.stringify(dedupe(parsed.examples)),
      created_at: now,
      updated_at: now,
    };
    await this.insertOrRefuse(() => this.repo.insertIntent(row), parsed.name);
    return toIntent(row);
  }

  async update(workspaceId: string, id: string, patch: IntentPatch): Promise<Intent> {
    const current = toIntent(await this.get(workspaceId, id));
    const merged = validInput(InputSchema, { ...current, ...validInput(PatchSchema, patch) });
    await this.checkDepartment(workspaceId, merged.departmentId);
    await this.insertOrRefuse(
      () =>
        this.repo.updateIntent(workspaceId, id, {
          name: merged.name,
          action: merged.action,
          department_id: merged.departmentId,
          reply: JSON.stringify(merged.reply),
          examples: JSON.stringify(dedupe(merged.examples)),
          updated_at: Date.now(),
        }),
      merged.name,
    );
    return toIntent(await this.get(workspaceId, id));
  }

  async delete(workspaceId: string, id: string): Promise<void> {
    if (!(await this.repo.deleteIntent(workspaceId, id))) throw notFound('Intent');
  }

  private async checkDepartment(workspaceId: string, departmentId: string | null): Promise<void> {
    if (!departmentId) return;
    try {
      await this.departments.get(workspaceId, departmentId);
    } catch {
      throw new AppError(
        'validation_failed',
        'This department does not exist in the workspace; choose one from the list',
        'departmentId',
      );
    }
  }

  private async insertOrRefuse(write: () => Promise<unknown>, name: string): Promise<void> {
    try {
      await write();
    } catch (error) {
      if (isUniqueViolation(error))
        throw new AppError(
          'conflict',
          `An intent named "${name}" already exists; choose another name`,
          'name',
        );
      throw error;
    }
  }

  // ---- settings ----

  /** `db`: the caller's transaction, when it reads inside one. */
  settings(workspaceId: string, db?: Parameters<IntentRepo['settings']>[1]): Promise<NluSettings> {
    return this.cachedSettings.get(workspaceId, db);
  }

  async updateSettings(workspaceId: string, patch: NluSettingsPatch): Promise<NluSettings> {
    const merged = validInput(SettingsSchema, { ...(await this.settings(workspaceId)), ...patch });
    await this.repo.saveSettings(workspaceId, JSON.stringify(merged), Date.now());
    this.cachedSettings.changed(workspaceId);
    return merged;
  }

  // ---- models ----

  async models(workspaceId: string): Promise<IntentModelVersion[]> {
    return (await this.repo.listModels(workspaceId)).map(toVersion);
  }

  /**
   * Starts training a new version from the intents' examples in a worker thread and returns it
   * at once, status "training"; it becomes "ready" (with its report) or "failed".
   */
  async train(workspaceId: string): Promise<IntentModelVersion> {
    const models = await this.repo.listModels(workspaceId);
    if (models.some((m) => toVersion(m).status === 'training'))
      throw new AppError('conflict', 'A model is being trained already; wait for it to finish');
    const intents = await this.repo.listIntents(workspaceId);
    const examples: IntentExample[] = [];
    const names: Record<string, string> = {};
    for (const intent of intents) {
      const texts = parseJsonColumn(Examples, intent.examples, []).map((e) => e.text);
      if (texts.length < MIN_EXAMPLES_PER_INTENT) continue;
      names[intent.name] = intent.id;
      for (const text of texts) examples.push({ text, intent: intent.name });
    }
    if (Object.keys(names).length < 2)
      throw new AppError(
        'validation_failed',
        `Training needs at least two intents with ${MIN_EXAMPLES_PER_INTENT} or more example phrases each; add examples first`,
        'intents',
      );
    const row: ModelRow = {
      id: newId(),
      workspace_id: workspaceId,
      version: await this.repo.nextVersion(workspaceId),
      status: 'training',
      model: null,
      intent_names: JSON.stringify(names),
      report: null,
      error: null,
      examples: examples.length,
      training_ms: null,
      created_at: Date.now(),
      trained_at: null,
      activated_at: null,
    };
    try {
      await this.repo.insertModel(row);
    } catch (error) {
      if (isUniqueViolation(error))
        throw new AppError('conflict', 'Another training started at this moment; reload the list of models');
      throw error;
    }
    const training = this.runTraining(row.id, examples).finally(() => this.trainings.delete(row.id));
    this.trainings.set(row.id, training);
    return toVersion(row);
  }

  private async runTraining(modelId: string, examples: IntentExample[]): Promise<void> {
    try {
      const outcome = await trainInWorker(examples);
      await this.repo.updateModel(modelId, {
        status: 'ready',
        model: outcome.model,
        report: JSON.stringify(outcome.report),
        training_ms: outcome.ms,
        trained_at: Date.now(),
      });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      await this.repo.updateModel(modelId, { status: 'failed', error: message, trained_at: Date.now() });
    }
  }

  /** Switches a trained version on (the one in use steps back to ready): also how to roll back. */
  async activate(workspaceId: string, id: string): Promise<IntentModelVersion> {
    const row = await this.repo.findModel(workspaceId, id);
    if (!row) throw notFound('Model version');
    const status = toVersion(row).status;
    if (status !== 'ready' && status !== 'active')
      throw new AppError(
        'conflict',
        `A ${status} model cannot be switched on; train a new version or pick a ready one`,
      );
    await this.repo.activate(workspaceId, id, Date.now());
    const activated = await this.repo.findModel(workspaceId, id);
    if (!activated) throw notFound('Model version');
    return toVersion(activated);
  }

  /** The active model's reading of a text; null when the workspace has no model switched on. */
  async classify(workspaceId: string, text: string): Promise<Classification | null> {
    const loaded = await this.activeModel(workspaceId);
    if (!loaded) return null;
    const prediction = classify(loaded.model, text);
    const intentId = prediction.intent ? (loaded.names[prediction.intent] ?? null) : null;
    const intentRow = intentId ? ((await this.repo.findIntent(workspaceId, intentId)) ?? null) : null;
    return {
      intent: intentRow ? intentRow.name : null,
      intentId: intentRow?.id ?? null,
      confidence: prediction.confidence,
      ranked: prediction.ranked.slice(0, 5),
      modelVersion: loaded.version,
      intentRow,
    };
  }

  private async activeModel(workspaceId: string): Promise<LoadedModel | null> {
    const activeId = await this.repo.activeModelId(workspaceId);
    if (!activeId) return null;
    const cached = this.loaded.get(workspaceId);
    if (cached?.id === activeId) return cached;
    const row = await this.repo.findModel(workspaceId, activeId);
    if (!row?.model) return null;
    const loaded: LoadedModel = {
      id: row.id,
      version: row.version,
      model: deserializeIntentModel(JSON.parse(row.model) as SerializedIntentModel),
      names: parseJsonColumn(IntentNames, row.intent_names, {}),
    };
    this.loaded.set(workspaceId, loaded);
    return loaded;
  }
}

/** The intent's reply in the visitor's language, else in the other one. */
export function replyIn(intent: IntentRow, locale: Locale): string {
  const reply = parseJsonColumn(Reply, intent.reply, { ru: '', en: '' });
  return reply[locale] || reply[locale === 'ru' ? 'en' : 'ru'];
}

function dedupe(examples: { locale: Locale; text: string }[]) {
  const seen = new Set<string>();
  return examples.filter((e) => {
    const key = `${e.locale}\n${e.text.toLowerCase()}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

export function toIntent(row: IntentRow): Intent {
  return {
    id: row.id,
    name: row.name,
    action: row.action as Intent['action'],
    departmentId: row.department_id,
    reply: parseJsonColumn(Reply, row.reply, { ru: '', en: '' }),
    examples: parseJsonColumn(Examples, row.examples, []),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function toVersion(row: ModelRow): IntentModelVersion {
  const lost = row.status === 'training' && Date.now() - row.created_at > TRAINING_LOST_MS;
  return {
    id: row.id,
    version: row.version,
    status: lost ? 'failed' : (row.status as IntentModelVersion['status']),
    report: parseJsonColumn(IntentModelReport.nullable(), row.report, null),
    error: lost ? 'Training was interrupted (the server restarted); train again' : row.error,
    examples: row.examples,
    trainingMs: row.training_ms,
    createdAt: row.created_at,
    trainedAt: row.trained_at,
    activatedAt: row.activated_at,
  };
}
