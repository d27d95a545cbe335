import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { renderPerfTable } from '../src/report/perf-table.js';
import type { BenchResults } from '../src/report/results-file.js';

const here = (path: string): string => fileURLToPath(new URL(path, import.meta.url));
const BLOCK =
  /<!-- perf-table: rendered by `node apps\/bench\/dist\/perf-table\.js apps\/bench\/(results\/[^`]+\.json)`; do not edit by hand -->\n([\s\S]*?)<!-- \/perf-table -->/;

describe('the README performance tables', () => {
  it.each([
    ['apps/bench/README.md', '../README.md'],
    ['the root README.md', '../../../README.md'],
  ])('%s holds the table rendered from the committed results file it names', async (name, path) => {
    const readme = await readFile(here(path), 'utf8');
    const block = BLOCK.exec(readme);
    expect(block, `the perf-table block of ${name}`).not.toBeNull();
    const [, file, table] = block as RegExpExecArray;
    const results = JSON.parse(await readFile(here(`../${file}`), 'utf8')) as BenchResults;
    expect(table).toBe(renderPerfTable(results));
  });
});
