// The lookup address: an admin's template with {{variables}} filled from the contact, each value
// URL-encoded so an e-mail or a phone can never change the address's shape.
import { CARD_TEMPLATE_VARIABLES as TEMPLATE_VARIABLES } from '@frontline/protocol';

export type TemplateVariable = (typeof TEMPLATE_VARIABLES)[number];
const IDENTIFIERS: TemplateVariable[] = ['email', 'phone', 'externalId'];
const PLACEHOLDER = /\{\{\s*([A-Za-z]+)\s*\}\}/g;

/** Variables the template uses that are not known; an empty list means the template is usable. */
export function unknownVariables(template: string): string[] {
  return [...template.matchAll(PLACEHOLDER)]
    .map((m) => m[1] ?? '')
    .filter((name) => !(TEMPLATE_VARIABLES as readonly string[]).includes(name));
}

/**
 * The address for this contact, or undefined when the template asks for identifiers (e-mail,
 * phone, external id) and the contact has none of them: there is nobody to look up yet.
 */
export function renderLookupUrl(
  template: string,
  values: Partial<Record<TemplateVariable, string | null>>,
): string | undefined {
  const used = [...template.matchAll(PLACEHOLDER)].map((m) => m[1] as TemplateVariable);
  const asksForIdentity = used.some((name) => IDENTIFIERS.includes(name));
  if (asksForIdentity && !used.some((name) => IDENTIFIERS.includes(name) && values[name])) return undefined;
  return template.replace(PLACEHOLDER, (_match, name: TemplateVariable) =>
    encodeURIComponent(values[name] ?? ''),
  );
}
