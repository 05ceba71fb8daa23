// Contacts: the people who write to the workspace, on any channel.
import { z } from 'zod';
import { CursorQuery, Id, Timestamp } from './common.js';

/** What the widget reports about the visitor's browser and visit. */
export const VisitorMetadata = z.object({
  pageUrl: z.string().max(2000).optional(),
  pageTitle: z.string().max(500).optional(),
  referrer: z.string().max(2000).optional(),
  language: z.string().max(35).optional(),
  userAgent: z.string().max(500).optional(),
  timezone: z.string().max(64).optional(),
  /** utm_source, utm_medium, utm_campaign, utm_term, utm_content of the page the visit started on. */
  utm: z
    .partialRecord(z.enum(['source', 'medium', 'campaign', 'term', 'content']), z.string().max(200))
    .optional(),
  /** When this visit to the site began (time on site = now − this). */
  visitStartedAt: Timestamp.optional(),
  /** Visits to the site from this browser, this one included. */
  visits: z.number().int().min(1).max(1_000_000).optional(),
  /** The latest pages of the visit, newest last; kept by the server from the widget's page reports. */
  pageTrail: z
    .array(z.object({ url: z.string().max(2000), title: z.string().max(500), at: Timestamp }))
    .max(20)
    .optional(),
  /** The address the visitor connected from; set by the server, never taken from the client. */
  ip: z.string().max(64).optional(),
});
export type VisitorMetadata = z.infer<typeof VisitorMetadata>;

export const AttributeValue = z.union([z.string().max(1000), z.number(), z.boolean(), z.null()]);

export const Contact = z.object({
  id: Id,
  name: z.string().nullable(),
  email: z.string().nullable(),
  phone: z.string().nullable(),
  externalId: z.string().nullable(),
  attributes: z.record(z.string(), AttributeValue),
  metadata: VisitorMetadata,
  createdAt: Timestamp,
  updatedAt: Timestamp,
  /** Set by a trusted source (API token, verified channel): such contacts merge automatically. */
  emailVerified: z.boolean(),
  phoneVerified: z.boolean(),
  /** When set, this contact was merged into that one, which holds its history. */
  mergedIntoId: Id.nullable(),
  /** When set, the personal data was erased on request; the anonymous row stays for analytics. */
  erasedAt: Timestamp.nullable(),
});
export type Contact = z.infer<typeof Contact>;

export const ContactListQuery = CursorQuery.extend({
  q: z.string().trim().max(200).optional(),
});
export type ContactListQuery = z.infer<typeof ContactListQuery>;

export const UpdateContactRequest = z.object({
  name: z.string().trim().max(200).nullable().optional(),
  email: z.email().max(254).nullable().optional(),
  phone: z
    .string()
    .trim()
    .regex(/^\+?[0-9 ()-]{5,30}$/, 'A phone number has 5 to 30 digits, spaces, brackets or dashes')
    .nullable()
    .optional(),
  attributes: z.record(z.string().max(64), AttributeValue).optional(),
});
export type UpdateContactRequest = z.infer<typeof UpdateContactRequest>;
