#!/usr/bin/env node
// Sums vitest's JSON reports (test-results/vitest*.json in every workspace package: packages/*, apps/*, tools/* and
// examples, as pnpm-workspace.yaml lists them) into the closing line CI reads: `N passed, N failed` (+ `, N skipped`).
// Counted as failures too: a suite that failed to load, and a package with a `test` script but no report from
// `pnpm test` (vitest.json), which means its tests never ran (a crash, a task turbo did not start).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
let passed = 0;
let failed = 0;
let skipped = 0;
const seen = [];
// Folders of packages, and single packages at the root (`examples`).
const places = [
  ...['packages', 'apps', 'tools'].flatMap((group) =>
    existsSync(join(root, group))
      ? readdirSync(join(root, group))
          .sort()
          .map((name) => [group, name])
      : [],
  ),
  ['.', 'examples'],
];
for (const [group, name] of places) {
  const dir = join(root, group);
  const manifest = join(dir, name, 'package.json');
  if (!existsSync(manifest)) continue;
  const hasTests = typeof JSON.parse(readFileSync(manifest, 'utf8')).scripts?.test === 'string';
  const resultsDir = join(dir, name, 'test-results');
  // vitest.json from `pnpm test`, plus e.g. vitest-node24.json from the second pass on another Node version.
  const reports = existsSync(resultsDir)
    ? readdirSync(resultsDir)
        .filter((f) => /^vitest.*\.json$/.test(f))
        .sort()
    : [];
  if (hasTests && !reports.includes('vitest.json')) {
    failed += 1;
    seen.push(`${group}/${name}: NO REPORT from \`pnpm test\` (its tests did not run): 1 failed`);
  }
  for (const file of reports) {
    const json = JSON.parse(readFileSync(join(resultsDir, file), 'utf8'));
    passed += json.numPassedTests ?? 0;
    failed += json.numFailedTests ?? 0;
    const fileSkipped = (json.numPendingTests ?? 0) + (json.numTodoTests ?? 0);
    skipped += fileSkipped;
    // A test file that crashed before its tests ran has no failed tests but is a failed suite.
    const brokenSuites = (json.testResults ?? []).filter(
      (suite) => suite.status === 'failed' && (suite.assertionResults ?? []).every((t) => t.status !== 'failed'),
    ).length;
    failed += brokenSuites;
    seen.push(
      `${group}/${name} (${file}): ${json.numPassedTests} passed, ${json.numFailedTests + brokenSuites} failed` +
        (fileSkipped > 0 ? `, ${fileSkipped} skipped` : ''),
    );
  }
}
for (const line of seen) console.log(`  ${line}`);
console.log(`${passed} passed, ${failed} failed${skipped > 0 ? `, ${skipped} skipped` : ''}`);
