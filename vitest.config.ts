// Test projects: `unit` (pure logic, no services), `sqlite` and `postgres` (the same integration
// suites, once per database). A postgres suite fails, never skips, when PostgreSQL is unreachable.
import { defineConfig } from 'vitest/config';

const integration = ['server/src/**/*.int.test.ts'];

export default defineConfig({
  resolve: { conditions: ['source'] },
  ssr: { resolve: { conditions: ['source'], externalConditions: ['source'] } },
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: [
            'packages/*/src/**/*.test.ts',
            'server/src/**/*.unit.test.ts',
            'web/src/**/*.test.{ts,tsx}',
            'widget/src/**/*.test.{ts,tsx}',
          ],
        },
      },
      {
        extends: true,
        test: {
          name: 'sqlite',
          include: integration,
          env: { FRONTLINE_TEST_DB: 'sqlite' },
          testTimeout: 30_000,
          hookTimeout: 30_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'postgres',
          // Cluster suites (several nodes behind nginx) need PostgreSQL, so they run here only.
          include: [...integration, 'server/src/**/*.cluster.test.ts'],
          env: { FRONTLINE_TEST_DB: 'postgres' },
          testTimeout: 30_000,
          hookTimeout: 30_000,
        },
      },
    ],
  },
});
