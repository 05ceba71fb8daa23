import { describe, expect, it } from 'vitest';
import { VisitorMetadata } from '@frontline/protocol';
import { visitOf, visitorMetadata } from './metadata.js';

describe('visitor metadata', () => {
  it('cuts every value to what the server accepts', () => {
    const long = 'x'.repeat(5_000);
    const metadata = visitorMetadata({
      pageUrl: `https://shop.example/?utm=${long}`,
      pageTitle: long,
      referrer: long,
      language: long,
      userAgent: long,
      timezone: long,
    });
    expect(VisitorMetadata.safeParse(metadata).success).toBe(true);
    expect(metadata.pageUrl?.startsWith('https://shop.example/?utm=')).toBe(true);
  });

  it('leaves out what the page did not give', () => {
    expect(visitorMetadata({ pageUrl: 'https://shop.example/', referrer: '', pageTitle: null })).toEqual({
      pageUrl: 'https://shop.example/',
    });
  });
});

describe('the visit', () => {
  it('reads the start, the visit count and the UTM tags the loader passed', () => {
    const visit = visitOf({
      started: '1700000000000',
      visits: '3',
      utm: 'utm_source=mail&utm_campaign=spring&utm_other=x',
    });
    expect(visit).toEqual({
      visitStartedAt: 1_700_000_000_000,
      visits: 3,
      utm: { source: 'mail', campaign: 'spring' },
    });
    expect(VisitorMetadata.safeParse(visit).success).toBe(true);
  });

  it('drops values a page could have garbled', () => {
    expect(visitOf({ started: 'soon', visits: '-1', utm: null })).toEqual({});
    expect(
      visitOf({ started: null, visits: '1e9', utm: `utm_source=${'x'.repeat(500)}` }).utm?.source,
    ).toHaveLength(200);
  });
});
