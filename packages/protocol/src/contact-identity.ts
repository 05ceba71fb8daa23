// Typed contact attributes defined by admins, identifying a contact by verified identifiers, and
// merging one person's contacts from several channels into one.
import { z } from 'zod';
import { Id, Timestamp } from './common.js';
import { AttributeValue, Contact } from './contacts.js';

export const ATTRIBUTE_TYPES = ['text', 'number', 'date', 'boolean', 'select'] as const;
export const AttributeType = z.enum(ATTRIBUTE_TYPES);
export type AttributeType = z.infer<typeof AttributeType>;

export const ContactAttributeDefinition = z.object({
  id: Id,
  key: z.string(),
  label: z.string(),
  type: AttributeType,
  /** The choices of a select attribute. */
  options: z.array(z.string()),
  createdAt: Timestamp,
});
export type ContactAttributeDefinition = z.infer<typeof ContactAttributeDefinition>;

const Options = z.array(z.string().trim().min(1).max(100)).max(100);

export const ContactAttributeInput = z
  .object({
    key: z
      .string()
      .regex(/^[a-z][a-z0-9_]{0,63}$/, 'A key starts with a letter and holds a-z, 0-9 and _ (at most 64)'),
    label: z.string().trim().min(1).max(100),
    type: AttributeType,
    options: Options.default([]),
  })
  .refine((a) => a.type !== 'select' || a.options.length > 0, {
    message: 'A select attribute needs at least one option',
    path: ['options'],
  });
export type ContactAttributeInput = z.input<typeof ContactAttributeInput>;

export const ContactAttributePatch = z.object({
  label: z.string().trim().min(1).max(100).optional(),
  options: Options.optional(),
});
export type ContactAttributePatch = z.infer<typeof ContactAttributePatch>;

const Phone = z
  .string()
  .trim()
  .regex(/^\+?[0-9 ()-]{5,30}$/, 'A phone number has 5 to 30 digits, spaces, brackets or dashes');

/**
 * A trusted system (an API token: the site's back end, a channel bridge) says who a contact is.
 * The identifiers count as verified: another contact with the same verified e-mail or phone, or
 * the same external id, is merged into the oldest one, with all history.
 */
export const IdentifyContactRequest = z
  .object({
    /** The contact to identify; absent: the contact with these identifiers, made if none exists. */
    contactId: Id.optional(),
    externalId: z.string().trim().min(1).max(200).optional(),
    email: z.email().max(254).optional(),
    phone: Phone.optional(),
    name: z.string().trim().max(200).optional(),
    attributes: z.record(z.string().max(64), AttributeValue).optional(),
  })
  .refine((r) => r.externalId !== undefined || r.email !== undefined || r.phone !== undefined, {
    message: 'Give at least one of externalId, email or phone',
    path: ['externalId'],
  });
export type IdentifyContactRequest = z.input<typeof IdentifyContactRequest>;

export const IdentifyContactResponse = z.object({
  contact: Contact,
  /** Contacts merged into this one by this call. */
  mergedContactIds: z.array(Id),
});
export type IdentifyContactResponse = z.infer<typeof IdentifyContactResponse>;

export const MergeContactsRequest = z.object({
  /** This contact's conversations and details move into the contact of the URL; it then points there. */
  sourceContactId: Id,
});
export type MergeContactsRequest = z.infer<typeof MergeContactsRequest>;

export const CreateContactRequest = z.object({
  name: z.string().trim().max(200).nullable().optional(),
  email: z.email().max(254).nullable().optional(),
  phone: Phone.nullable().optional(),
  externalId: z.string().trim().min(1).max(200).nullable().optional(),
  attributes: z.record(z.string().max(64), AttributeValue).optional(),
});
export type CreateContactRequest = z.infer<typeof CreateContactRequest>;
