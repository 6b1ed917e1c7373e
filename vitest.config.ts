import { defineConfig } from 'vitest/config';

// Quiet, metric-free Powertools in every worker, set before any logger is created.
const env = { POWERTOOLS_LOG_LEVEL: 'ERROR', POWERTOOLS_METRICS_DISABLED: 'true' };

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          env,
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
        },
      },
      {
        test: {
          env,
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          // DynamoDB Local, fauxqs and the SES and SMS stand-ins start once per run, on random ports.
          globalSetup: ['test/support/global-setup.ts'],
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          env,
          name: 'infra',
          include: ['test/infra/**/*.test.ts'],
          // The stack deploys the built pages, so synthesis needs them.
          globalSetup: ['test/support/web-build.ts'],
          testTimeout: 180_000,
          hookTimeout: 180_000,
        },
      },
      {
        test: {
          env,
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          // Each file starts its own sandbox as a child process, exactly as `npm start` does.
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
      {
        test: {
          env,
          name: 'browser',
          include: ['test/browser/**/*.test.ts'],
          // The built pages in Debian's Chromium (playwright-core) against the real sandbox.
          globalSetup: ['test/support/web-build.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
