// Pure pieces of the bot runtime: templates, typed answers, conditions, keyword matching, the
// greeting by time of day, and dot paths into an external system's JSON answer. No I/O here, so
// each is tested without a server (logic.unit.test.ts).
import type { FlowCondition, QuestionKind } from '@frontline/protocol';
import { normaliseForSearch } from '../../storage/search.js';
import { localTime } from '../routing/business-hours.js';

export type Variables = Record<string, string>;
export type Language = 'ru' | 'en';

/** `{{name}}` and `{{contact.email}}`; the names a template uses, in order. */
const PLACEHOLDER = /\{\{\s*([a-z][a-z0-9_.]*)\s*\}\}/gi;

export function templateNames(template: string): string[] {
  return [...template.matchAll(PLACEHOLDER)].map((m) => m[1] ?? '');
}

/** Fills a template; `escape` adapts a value to where it lands (JSON string, URL component). */
export function fillTemplate(
  template: string,
  variables: Variables,
  escape: (value: string) => string = (v) => v,
): string {
  return template.replace(PLACEHOLDER, (_all, name: string) => escape(variables[name] ?? ''));
}

export const jsonStringContent = (value: string): string => JSON.stringify(value).slice(1, -1);

/** Variables every flow can use without defining them. */
export const BUILT_IN_VARIABLES = [
  'greeting',
  'language',
  'channel',
  'contact.name',
  'contact.email',
  'contact.phone',
  'last_message',
] as const;

const GREETINGS: Record<Language, [string, string, string, string]> = {
  ru: ['Доброй ночи', 'Доброе утро', 'Добрый день', 'Добрый вечер'],
  en: ['Good evening', 'Good morning', 'Good afternoon', 'Good evening'],
};

/** Night before 5:00, morning before 12:00, day before 18:00, then evening; in the given zone. */
export function greetingFor(at: Date, timezone: string, language: Language): string {
  // localTime keeps one formatter per zone: building one costs far more than using it.
  const hour = Math.floor(localTime(at, timezone).minutes / 60);
  const part = hour < 5 ? 0 : hour < 12 ? 1 : hour < 18 ? 2 : 3;
  return GREETINGS[language][part];
}

export type AnswerCheck = { ok: true; value: string } | { ok: false };

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]{2,}$/;

/** Checks a typed answer and returns it in a normal form (e-mail lowercased, phone digits, ISO date). */
export function checkAnswer(kind: QuestionKind, raw: string, choices: string[] = []): AnswerCheck {
  const text = raw.trim();
  if (text === '') return { ok: false };
  switch (kind) {
    case 'text':
      return { ok: true, value: text };
    case 'email':
      return EMAIL.test(text) ? { ok: true, value: text.toLowerCase() } : { ok: false };
    case 'phone': {
      const digits = text.replace(/[\s()\-.]/g, '');
      return /^\+?\d{7,15}$/.test(digits) ? { ok: true, value: digits } : { ok: false };
    }
    case 'number': {
      const value = Number(text.replace(',', '.').replace(/\s/g, ''));
      return Number.isFinite(value) ? { ok: true, value: String(value) } : { ok: false };
    }
    case 'date':
      return parseDate(text);
    case 'choice': {
      const wanted = normaliseForSearch(text);
      const choice = choices.find((c) => normaliseForSearch(c) === wanted);
      return choice ? { ok: true, value: choice } : { ok: false };
    }
  }
}

/** 2026-12-31, 31.12.2026 or 31/12/2026; a real calendar day. */
function parseDate(text: string): AnswerCheck {
  const iso = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(text);
  const dotted = /^(\d{1,2})[./](\d{1,2})[./](\d{4})$/.exec(text);
  const [year, month, day] = iso
    ? [iso[1], iso[2], iso[3]]
    : dotted
      ? [dotted[3], dotted[2], dotted[1]]
      : [undefined, undefined, undefined];
  if (!year || !month || !day) return { ok: false };
  const date = new Date(Date.UTC(Number(year), Number(month) - 1, Number(day)));
  if (date.getUTCMonth() !== Number(month) - 1 || date.getUTCDate() !== Number(day)) return { ok: false };
  return { ok: true, value: date.toISOString().slice(0, 10) };
}

export interface ConditionFacts {
  variables: Variables;
  contactAttributes: Record<string, unknown>;
  channel: string;
  language: Language;
  /** Business hours are the only fact that needs a look-up; the caller answers it. */
  isOpen: (departmentId: string | null) => boolean;
}

export function conditionHolds(condition: FlowCondition, facts: ConditionFacts): boolean {
  switch (condition.kind) {
    case 'variable':
      return compare(facts.variables[condition.variable], condition.operator, condition.value);
    case 'contact_attribute': {
      const value = facts.contactAttributes[condition.attribute];
      return compare(
        value === undefined || value === null ? undefined : String(value),
        condition.operator,
        condition.value,
      );
    }
    case 'business_hours':
      return facts.isOpen(condition.departmentId);
    case 'channel':
      return (condition.channels as string[]).includes(facts.channel);
    case 'language':
      return facts.language === condition.language;
  }
}

function compare(actual: string | undefined, operator: string, expected: string): boolean {
  if (operator === 'exists') return actual !== undefined && actual !== '';
  if (actual === undefined) return operator === 'not_equals';
  const a = normaliseForSearch(actual);
  const b = normaliseForSearch(expected);
  switch (operator) {
    case 'equals':
      return a === b;
    case 'not_equals':
      return a !== b;
    case 'contains':
      return a.includes(b);
    case 'greater':
    case 'less': {
      const [x, y] = [Number(actual), Number(expected)];
      if (!Number.isFinite(x) || !Number.isFinite(y)) return false;
      return operator === 'greater' ? x > y : x < y;
    }
    default:
      return false;
  }
}

/**
 * Word forms without a dictionary: a keyword matches a word that starts with the keyword's stem,
 * the keyword less its last two letters when it is longer than five (доставка → доставк-у,
 * delivery → deliver-ed). Good enough for triggers; intents (issue 5) do better.
 */
export function matchesKeyword(text: string, keyword: string): boolean {
  const words = normaliseForSearch(text)
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);
  const phrase = normaliseForSearch(keyword)
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);
  if (phrase.length === 0) return false;
  const stems = phrase.map((w) => (w.length > 5 ? w.slice(0, -2) : w));
  return words.some((_w, i) => stems.every((stem, j) => (words[i + j] ?? '').startsWith(stem)));
}

/** Free text that asks for a human, in Russian or English. */
const PERSON_WORDS = [
  'оператор',
  'человек',
  'менеджер',
  'сотрудник',
  'живой',
  'operator',
  'human',
  'person',
  'agent',
  'someone',
];

export function asksForPerson(text: string): boolean {
  return PERSON_WORDS.some((word) => matchesKeyword(text, word));
}

/** The option a free-text answer names: its label typed, or its number (numbered text menus). */
export function optionNamedBy<T extends { label: string }>(text: string, options: T[]): T | undefined {
  const typed = normaliseForSearch(text.trim());
  const index = Number(typed);
  if (Number.isInteger(index) && index >= 1 && index <= options.length) return options[index - 1];
  return (
    options.find((o) => normaliseForSearch(o.label) === typed) ??
    options.find((o) => typed.length >= 3 && normaliseForSearch(o.label).includes(typed))
  );
}

/** The JSON value at `data.items.0`; the empty path is the value itself. */
export function jsonAtPath(value: unknown, path: string): unknown {
  let current: unknown = value;
  for (const key of path === '' ? [] : path.split('.')) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

/** `data.items.0.name` in a JSON value; objects come back as JSON, absent as undefined. */
export function valueAtPath(value: unknown, path: string): string | undefined {
  const current = jsonAtPath(value, path);
  if (current === undefined || current === null) return undefined;
  return typeof current === 'object' ? JSON.stringify(current) : String(current);
}

/** `{{item.name}}` filled from one item of an answer's list (`{{item}}`: the item itself). */
export function fillItemTemplate(template: string, item: unknown): string {
  return template.replace(PLACEHOLDER, (_all, name: string) =>
    name === 'item' || name.startsWith('item.') ? (valueAtPath(item, name.slice('item.'.length)) ?? '') : '',
  );
}

/** Variables that are secrets (`secrets.NAME`), usable only in an action's request. */
export const SECRET_PREFIX = 'secrets.';

/** The secrets as template variables. */
export function secretVariables(secrets: Record<string, string>): Variables {
  return Object.fromEntries(Object.entries(secrets).map(([name, value]) => [SECRET_PREFIX + name, value]));
}

/** Any secret value in a text (an error message echoing the address) replaced, so it is never shown or logged. */
export function redactSecrets(text: string, secrets: Record<string, string>): string {
  let redacted = text;
  for (const value of Object.values(secrets))
    if (value) {
      redacted = redacted.split(value).join('[secret]');
      redacted = redacted.split(encodeURIComponent(value)).join('[secret]');
    }
  return redacted;
}
