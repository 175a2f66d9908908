import { configDefaults, defineConfig } from 'vitest/config';
import solid from 'vite-plugin-solid';

// Standalone on purpose: vite.config.ts is the web app's build config (root: web/) and vitest
// prefers this file over it. Three projects: the API and database suites in Node, and the web
// app's component tests in jsdom with the Solid compiler, and the end-to-end flows in Chromium.
export default defineConfig({
  test: {
    reporters: ['default', './test/support/summary-reporter.ts'],
    projects: [
      {
        test: {
          name: 'api',
          include: ['test/**/*.test.ts'],
          exclude: [...configDefaults.exclude, 'test/bench/**', 'test/web/**', 'test/e2e/**'],
          globalSetup: ['test/support/global-setup.ts'],
          testTimeout: 30_000,
          hookTimeout: 60_000,
          pool: 'forks',
          fileParallelism: true,
        },
      },
      {
        // The real flows in headless Chromium against `npm start`'s server (test/e2e/support).
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          globalSetup: ['test/support/global-setup.ts'],
          testTimeout: 120_000,
          hookTimeout: 180_000,
          pool: 'forks',
        },
      },
      {
        plugins: [solid()],
        test: {
          name: 'web',
          include: ['test/web/**/*.test.tsx'],
          environment: 'jsdom',
          setupFiles: ['test/web/setup.ts'],
          testTimeout: 15_000,
        },
      },
    ],
  },
});
