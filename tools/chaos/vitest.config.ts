import { defineConfig, mergeConfig } from 'vitest/config';
import { sharedTestConfig } from '../../vitest.shared.ts';

// Scenarios measure time bounds (fallback within 3 s): one file at a time, so they do not compete for the CPU with
// each other; `--expose-gc` so the memory bound is measured after a collection.
export default mergeConfig(
  sharedTestConfig,
  defineConfig({
    test: {
      fileParallelism: false,
      testTimeout: 90_000,
      execArgv: ['--expose-gc'],
    },
  }),
);
