// The widget's language, shared by the loader and the frame so both pick it the same way.
export const LANGS = ['ru', 'en'] as const;
export type Lang = (typeof LANGS)[number];

/**
 * The first candidate (a page's `lang`, a browser's language, a `?lang=` value) whose primary
 * subtag the widget speaks; null when none does, so the caller can fall back to the workspace's
 * default language.
 */
export function pickLang(candidates: readonly (string | null | undefined)[]): Lang | null {
  for (const candidate of candidates) {
    const primary = candidate?.trim().slice(0, 2).toLowerCase();
    const lang = LANGS.find((l) => l === primary);
    if (lang) return lang;
  }
  return null;
}
