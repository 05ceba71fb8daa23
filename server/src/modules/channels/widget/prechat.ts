// The pre-chat form's answers checked against the form the admin set up: required fields filled,
// e-mail and phone well formed, nothing the form does not ask. Name, e-mail and phone fill the
// contact's fields; other fields land in its attributes under their id. Pure.
import { z } from 'zod';
import type { PreChatForm } from '@frontline/protocol';
import { AppError } from '../../../errors.js';

export interface PreChatContact {
  name?: string;
  email?: string;
  phone?: string;
  attributes: Record<string, string>;
}

const Email = z.email();
const Phone = z.string().regex(/^\+?[0-9 ()-]{5,30}$/);

export function readPreChat(form: PreChatForm, values: Record<string, string>): PreChatContact {
  const fields = new Map(form.fields.map((f) => [f.id, f]));
  for (const id of Object.keys(values)) {
    if (!fields.has(id))
      throw new AppError('validation_failed', `The form has no field "${id}"`, `values.${id}`);
  }
  const contact: PreChatContact = { attributes: {} };
  for (const field of form.fields) {
    const value = values[field.id]?.trim() ?? '';
    const where = `values.${field.id}`;
    const label = field.label.en || field.label.ru || field.id;
    if (value === '') {
      if (field.required) throw new AppError('validation_failed', `Fill in "${label}"`, where);
      continue;
    }
    if (field.kind === 'email' && !Email.safeParse(value).success)
      throw new AppError('validation_failed', 'Enter a valid e-mail address', where);
    if (field.kind === 'phone' && !Phone.safeParse(value).success)
      throw new AppError(
        'validation_failed',
        'A phone number has 5 to 30 digits, spaces, brackets or dashes',
        where,
      );
    if (field.kind === 'text') contact.attributes[field.id] = value;
    else contact[field.kind] = field.kind === 'email' ? value.toLowerCase() : value;
  }
  return contact;
}
