import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.js';

const dataDir = () => mkdtempSync(path.join(tmpdir(), 'frontline-config-'));

describe('loadConfig', () => {
  it('has working defaults and keeps a generated secret across starts', () => {
    const dir = dataDir();
    const first = loadConfig({ DATA_DIR: dir });
    expect(first).toMatchObject({
      port: 3000,
      publicUrl: 'http://localhost:3000',
      databaseUrl: undefined,
      seedDemo: true,
      outboundUrls: 'public-and-private',
    });
    expect(first.secretKey).toHaveLength(64);
    expect(loadConfig({ DATA_DIR: dir }).secretKey).toBe(first.secretKey);
  });

  it('explains every invalid setting by name', () => {
    expect(() =>
      loadConfig({ DATA_DIR: dataDir(), PORT: 'abc', DATABASE_URL: 'mysql://x', SEED_DEMO: 'maybe' }),
    ).toThrow(/PORT[\s\S]*DATABASE_URL must start with postgres:\/\/[\s\S]*SEED_DEMO/);
  });

  it('takes the outbound URL policy by name and refuses others', () => {
    expect(loadConfig({ DATA_DIR: dataDir(), OUTBOUND_URLS: 'public-only' }).outboundUrls).toBe(
      'public-only',
    );
    expect(() => loadConfig({ DATA_DIR: dataDir(), OUTBOUND_URLS: 'private' })).toThrow(
      /OUTBOUND_URLS: .*any.*public-and-private.*public-only/,
    );
  });
});
