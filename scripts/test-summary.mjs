#!/usr/bin/env node
// Sums vitest's JSON reports (test-results/vitest.json in every workspace package) into the closing line CI
// reads: `N passed, N failed` (+ `, N skipped`). Suites that failed to load count as failures too.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
let passed = 0;
let failed = 0;
let skipped = 0;
const seen = [];
for (const group of ['packages', 'apps', 'tools']) {
  const dir = join(root, group);
  if (!existsSync(dir)) continue;
  for (const name of readdirSync(dir)) {
    const resultsDir = join(dir, name, 'test-results');
    if (!existsSync(resultsDir)) continue;
    // vitest.json from `pnpm test`, plus e.g. vitest-node24.json from the second pass on another Node version.
    for (const file of readdirSync(resultsDir)
      .filter((f) => /^vitest.*\.json$/.test(f))
      .sort()) {
      const json = JSON.parse(readFileSync(join(resultsDir, file), 'utf8'));
      passed += json.numPassedTests ?? 0;
      failed += json.numFailedTests ?? 0;
      skipped += (json.numPendingTests ?? 0) + (json.numTodoTests ?? 0);
      // A test file that crashed before its tests ran has no failed tests but is a failed suite.
      const brokenSuites = (json.testResults ?? []).filter(
        (suite) => suite.status === 'failed' && (suite.assertionResults ?? []).every((t) => t.status !== 'failed'),
      ).length;
      failed += brokenSuites;
      seen.push(
        `${group}/${name} (${file}): ${json.numPassedTests} passed, ${json.numFailedTests + brokenSuites} failed`,
      );
    }
  }
}
for (const line of seen) console.log(`  ${line}`);
console.log(`${passed} passed, ${failed} failed${skipped > 0 ? `, ${skipped} skipped` : ''}`);
