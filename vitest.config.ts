import { configDefaults, defineConfig } from 'vitest/config';

// Standalone on purpose: vite.config.ts is the web app's config (root: web/, Solid plugin) and
// vitest prefers this file over it, so nothing from there leaks into the Node test run.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: [...configDefaults.exclude, 'test/bench/**'],
    globalSetup: ['test/support/global-setup.ts'],
    reporters: ['default', './test/support/summary-reporter.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    fileParallelism: true,
  },
});
