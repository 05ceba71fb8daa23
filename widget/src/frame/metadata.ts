// What the widget tells the workspace about the visitor's visit. Values are cut to the lengths the
// server accepts (VisitorMetadata in the protocol's contacts.ts; metadata.test.ts checks they
// agree), so a page with a very long URL still gets a chat instead of a validation error.
import type { VisitorMetadata } from '@frontline/protocol';

/** The text fields the widget reports (the server sets `ip` itself). */
type TextField = Exclude<
  {
    [K in keyof VisitorMetadata]-?: NonNullable<VisitorMetadata[K]> extends string ? K : never;
  }[keyof VisitorMetadata],
  'ip'
>;

const MAX_CHARS: Record<TextField, number> = {
  pageUrl: 2000,
  pageTitle: 500,
  referrer: 2000,
  language: 35,
  userAgent: 500,
  timezone: 64,
};
const UTM_TAGS = ['source', 'medium', 'campaign', 'term', 'content'] as const;
const UTM_MAX_CHARS = 200;

export function visitorMetadata(values: Partial<Record<TextField, string | null>>): VisitorMetadata {
  const metadata: VisitorMetadata = {};
  for (const [field, max] of Object.entries(MAX_CHARS) as [TextField, number][]) {
    const value = values[field];
    if (value) metadata[field] = value.slice(0, max);
  }
  return metadata;
}

/** The visit as the loader saw it: when it began, how many visits so far, its UTM tags. */
export function visitOf(params: {
  started: string | null;
  visits: string | null;
  utm: string | null;
}): Pick<VisitorMetadata, 'visitStartedAt' | 'visits' | 'utm'> {
  const started = Number(params.started);
  const visits = Number(params.visits);
  const tags = new URLSearchParams(params.utm ?? '');
  const utm: NonNullable<VisitorMetadata['utm']> = {};
  for (const tag of UTM_TAGS) {
    const value = tags.get(`utm_${tag}`);
    if (value) utm[tag] = value.slice(0, UTM_MAX_CHARS);
  }
  return {
    ...(Number.isSafeInteger(started) && started > 0 ? { visitStartedAt: started } : {}),
    ...(Number.isSafeInteger(visits) && visits >= 1 && visits <= 1_000_000 ? { visits } : {}),
    ...(Object.keys(utm).length ? { utm } : {}),
  };
}
