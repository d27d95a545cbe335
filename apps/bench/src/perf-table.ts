/** `node dist/perf-table.js RESULTS.json`: prints the README's performance table rendered from a results file. */
import { readFile } from 'node:fs/promises';
import { renderPerfTable } from './report/perf-table.js';
import type { BenchResults } from './report/results-file.js';

const file = process.argv[2];
if (file === undefined) {
  process.stderr.write('usage: perf-table RESULTS.json\n');
  process.exitCode = 2;
} else {
  const results = JSON.parse(await readFile(file, 'utf8')) as BenchResults;
  process.stdout.write(renderPerfTable(results));
}
