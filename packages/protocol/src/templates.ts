// Filling variables into a canned response: `{{contact.name}}`, with an optional fallback after a
// bar (`{{contact.name|there}}`) for when the value is unknown. Free of zod: the workspace bundles it.

export type TemplateValues = Readonly<Record<string, string | null | undefined>>;

const VARIABLE = /\{\{\s*([a-z]+(?:\.[a-z]+)*)\s*(?:\|([^}]*))?\}\}/gi;

/**
 * The text with each known variable replaced by its value, or its fallback when the value is
 * empty (nothing when there is no fallback). Unknown variables stay as written, so a typo shows.
 */
export function fillTemplate(text: string, values: TemplateValues): string {
  return text.replace(VARIABLE, (whole, name: string, fallback: string | undefined) => {
    if (!(name in values)) return whole;
    const value = values[name]?.trim();
    return value || (fallback ?? '').trim();
  });
}
