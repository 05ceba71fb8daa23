// Text fallbacks for what a provider cannot show natively: link buttons as links, buttons beyond a
// provider's limit as a numbered list, a location as a map link, a contact card as lines of text.
import type { MessageButton, SharedContact, SharedLocation } from '@frontline/protocol';

export function linkLines(buttons: MessageButton[]): string[] {
  return buttons.filter((b) => b.url).map((b) => `${b.label}: ${b.url}`);
}

export function buttonLines(buttons: MessageButton[]): string[] {
  return buttons.map((b, i) => (b.url ? `${b.label}: ${b.url}` : `${i + 1}. ${b.label}`));
}

export function locationText(location: SharedLocation): string {
  const place = [location.name, location.address].filter(Boolean).join(', ');
  const link = `https://maps.google.com/?q=${location.latitude},${location.longitude}`;
  return place ? `${place}\n${link}` : link;
}

export function contactText(contact: SharedContact): string {
  return [contact.name, contact.phone, contact.email].filter(Boolean).join('\n');
}

export function joinText(...parts: (string | null | undefined)[]): string {
  return parts.filter((p) => p && p.trim()).join('\n\n');
}

/** The payload our buttons carry: the message and button it belongs to. */
export function buttonPayload(messageId: string, buttonId: string): string {
  return `${messageId}:${buttonId}`;
}

export function parseButtonPayload(payload: string): { messageId: string; buttonId: string } | null {
  const at = payload.indexOf(':');
  if (at <= 0 || at === payload.length - 1) return null;
  return { messageId: payload.slice(0, at), buttonId: payload.slice(at + 1) };
}
