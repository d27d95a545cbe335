import { defineConfig } from 'vitest/config';

/**
 * Shared vitest settings. Every package writes vitest's JSON report to test-results/vitest.json so that
 * .ci/run can print the real `N passed, N failed` line from the actual results.
 */
export const sharedTestConfig = defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    reporters: ['default', 'json'],
    outputFile: { json: 'test-results/vitest.json' },
    testTimeout: 20_000,
    hookTimeout: 30_000,
    pool: 'forks',
  },
});
