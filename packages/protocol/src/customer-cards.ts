// Customer cards: what an external CRM says about a contact, fetched by an admin-configured HTTP
// lookup and shown beside the conversation. The CRM answers with CustomerCardContent (docs/customer-cards.md).
import { z } from 'zod';
import { Id, Timestamp } from './common.js';

/** Only web links: a CRM answer must not be able to put a javascript: link in front of an operator. */
export const WebLink = z
  .url()
  .max(2000)
  .refine((url) => /^https?:\/\//i.test(url), 'Links must be http:// or https://');

export const CardField = z.object({
  label: z.string().max(100),
  value: z.union([z.string().max(1000), z.number(), z.boolean(), z.null()]),
  url: WebLink.optional(),
});
export type CardField = z.infer<typeof CardField>;

export const CardListItem = z.object({
  title: z.string().max(200),
  subtitle: z.string().max(300).optional(),
  url: WebLink.optional(),
  fields: z.array(CardField).max(20).default([]),
});

export const CardList = z.object({
  title: z.string().max(100),
  items: z.array(CardListItem).max(50),
});

export const CardLink = z.object({ label: z.string().max(100), url: WebLink });

/** The JSON a CRM answers a lookup with. */
export const CustomerCardContent = z.object({
  title: z.string().max(200).optional(),
  subtitle: z.string().max(300).optional(),
  url: WebLink.optional(),
  fields: z.array(CardField).max(50).default([]),
  links: z.array(CardLink).max(20).default([]),
  lists: z.array(CardList).max(10).default([]),
});
export type CustomerCardContent = z.infer<typeof CustomerCardContent>;

/**
 * disabled: no lookup configured; not_identified: the contact has none of the identifiers the URL
 * needs; pending: being fetched; ok: the card; not_found: the CRM does not know the person;
 * error: the CRM failed or timed out (the last good card, if any, is still shown).
 */
export const CARD_STATUSES = ['disabled', 'not_identified', 'pending', 'ok', 'not_found', 'error'] as const;
export const CardStatus = z.enum(CARD_STATUSES);
export type CardStatus = z.infer<typeof CardStatus>;

export const CustomerCard = z.object({
  contactId: Id,
  status: CardStatus,
  card: CustomerCardContent.nullable(),
  error: z.string().nullable(),
  fetchedAt: Timestamp.nullable(),
});
export type CustomerCard = z.infer<typeof CustomerCard>;

const HeaderName = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,100}$/, 'A header name holds letters, digits and - only');

export const CardHeader = z.object({
  name: HeaderName,
  /** Secret values are never sent back: null on read. */
  value: z.string().nullable(),
  secret: z.boolean(),
});

export const CustomerCardSettings = z.object({
  enabled: z.boolean(),
  /** `https://crm.example/api/customers?email={{email}}`: {{email}}, {{phone}}, {{externalId}}, {{contactId}}, {{name}}. */
  urlTemplate: z.string(),
  headers: z.array(CardHeader),
  timeoutMs: z.number().int(),
  cacheTtlSeconds: z.number().int(),
  updatedAt: Timestamp.nullable(),
});
export type CustomerCardSettings = z.infer<typeof CustomerCardSettings>;

/** What a lookup address may use, filled from the contact: `{{email}}`. */
export const CARD_TEMPLATE_VARIABLES = ['email', 'phone', 'externalId', 'contactId', 'name'] as const;

export const CUSTOMER_CARD_LIMITS = { minTimeoutMs: 200, maxTimeoutMs: 10_000, maxCacheTtlSeconds: 86_400 };

export const CustomerCardSettingsInput = z.object({
  enabled: z.boolean(),
  urlTemplate: z
    .string()
    .trim()
    .max(2000)
    .regex(/^https?:\/\//i, 'The lookup address starts with http:// or https://'),
  headers: z
    .array(
      z.object({
        name: HeaderName,
        /** Null or left out, for a secret header: keep its stored value. */
        value: z.string().max(2000).nullable().optional(),
        secret: z.boolean().default(false),
      }),
    )
    .max(20)
    .default([]),
  timeoutMs: z
    .number()
    .int()
    .min(CUSTOMER_CARD_LIMITS.minTimeoutMs)
    .max(CUSTOMER_CARD_LIMITS.maxTimeoutMs)
    .default(3000),
  cacheTtlSeconds: z.number().int().min(0).max(CUSTOMER_CARD_LIMITS.maxCacheTtlSeconds).default(300),
});
export type CustomerCardSettingsInput = z.input<typeof CustomerCardSettingsInput>;
