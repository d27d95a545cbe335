import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import type { Cell, Column, ResultRow } from '../src/report/model.js';
import type { BenchResults } from '../src/report/results-file.js';

const BENCH = fileURLToPath(new URL('../dist/main.js', import.meta.url));

/** Every row header the table must carry: [#, Row (prefix), Metric]. */
const EXPECTED_ROWS: readonly (readonly [string, string, string])[] = [
  ['1', 'REST getTicker', 'p50 latency'],
  ['1', 'REST getTicker', 'p99 latency'],
  ['P', 'REST pacing', '429+418 answers'],
  ['P', 'REST pacing', 'HTTP requests sent'],
  ['L', 'plan loop', 'average latency (pacing included)'],
  ['L', 'plan loop', 'p50 latency (pacing included)'],
  ...['ticker DEFAULT', 'ticker SIMPLE', 'trade DEFAULT', 'trade SIMPLE'].map(
    (kind) => ['2', `WS ingest ceiling, ${kind}`, 'messages handled per CPU-second'] as const,
  ),
  ...['1k', '10k', '20k'].flatMap((rate) => [
    ['3', `tick→consumer @${rate} msg/s`, 'p50 latency'] as const,
    ['3', `tick→consumer @${rate} msg/s`, 'p99 latency'] as const,
  ]),
  ['4', 'hot getTicker from WS state', 'p50 latency'],
  ['4', 'hot getTicker from WS state', 'p99 latency'],
  ['5', 'REST vs WS price', 'max deviation'],
  ['5', 'REST vs WS price', 'samples within 0.1%'],
  ['6', 'soak', 'heap growth (after GC)'],
  ['6', 'soak', 'RSS growth'],
  ['7', 'plan target: REST average < 100 ms', 'mean REST getTicker (row 1)'],
  ['7', 'plan target: WebSocket < 50 ms', 'mean tick→consumer @1k msg/s (row 3)'],
  ...['ticker DEFAULT', 'ticker SIMPLE', 'trade DEFAULT', 'trade SIMPLE'].map(
    (kind) => ['T', `target: WS ingest ≥ 0.8× raw, ${kind}`, 'messages handled per CPU-second (row 2)'] as const,
  ),
  ['T', 'target: hot getTicker p50 ≤ 2 µs', 'p50 latency (row 4)'],
  ['T', 'target: hot getTicker p99 ≤ 10 µs', 'p99 latency (row 4)'],
  ['T', 'target: REST p50 ≤ 1.15× raw', 'p50 latency (row 1)'],
  ['T', 'target: concurrent burst → ≤ 2 requests, 0 × 429', 'HTTP requests sent (row P)'],
  ['T', 'target: tick→consumer p99 @20k msg/s ≤ 1.2× raw', 'p99 latency (row 3)'],
  ['S', 'simulator REST', 'requests/s served'],
  ['S', 'simulator WS push', 'messages/s sent'],
];

const NUMERIC_CELL = /^-?[\d,]+(\.\d+)?(e-?\d+)? (ms|µs|msg\/s|req\/s|%|count|MB)$/;
const NA_CELL = /^n\/a \(.+\)$/;

/** Which of our components an `ours` cell needs (results.unavailable is keyed by these names). */
const OURS_COMPONENT: Readonly<Record<string, string>> = {
  '1': 'rest',
  P: 'rest',
  '2': 'websocket',
  '3': 'websocket',
  '4': 'marketData',
  '6': 'marketData',
  '7': 'rest',
  L: 'marketData',
};

function run(args: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BENCH, ...args], { maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : 1, stdout, stderr });
    });
  });
}

function tableRows(stdout: string): string[][] {
  return stdout
    .split('\n')
    .filter((line) => line.startsWith('| '))
    .slice(1) // header
    .map((line) =>
      line
        .slice(2, -2)
        .split(/(?<!\\) \| /)
        .map((cell) => cell.trim()),
    );
}

const notApplicable = (cell: Cell): boolean => cell.kind === 'na' && cell.reason.startsWith('not applicable');

describe('pnpm bench (tiny mode, simulator in a child process)', () => {
  let outDir: string | undefined;
  afterEach(async () => {
    if (outDir !== undefined) await rm(outDir, { recursive: true, force: true });
  });

  it('prints every row header with real numeric cells, and writes the JSON and SVG', async () => {
    outDir = await mkdtemp(join(tmpdir(), 'bench-smoke-'));
    const { code, stdout, stderr } = await run(['--quick', '--scale', '0.1', '--soak', '2', '--out', outDir]);
    expect(code, stderr).toBe(0);

    const rows = tableRows(stdout);
    for (const [group, title, metric] of EXPECTED_ROWS) {
      const found = rows.some((r) => r[0] === group && (r[1] ?? '').startsWith(title) && r[2] === metric);
      expect(found, `row "${group} | ${title} | ${metric}" in\n${stdout}`).toBe(true);
    }
    for (const row of rows) {
      expect(row).toHaveLength(9);
      for (const cell of row.slice(3, 6)) {
        expect(cell === '—' || NUMERIC_CELL.test(cell) || NA_CELL.test(cell), `cell "${cell}"`).toBe(true);
      }
      expect(row.join(' ')).not.toMatch(/NaN|undefined|Infinity/);
    }

    const files = await readdir(outDir);
    const jsonFile = files.find((f) => f.endsWith('.json'));
    expect(jsonFile).toBeDefined();
    expect(files.some((f) => f.endsWith('.svg'))).toBe(true);
    const svg = await readFile(join(outDir, files.find((f) => f.endsWith('.svg')) as string), 'utf8');
    expect(svg).toMatch(/^<svg [^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    expect(svg).toContain('<path d="M');

    const results = JSON.parse(await readFile(join(outDir, jsonFile as string), 'utf8')) as BenchResults;
    // The simulator must be there: without it nothing is measured and this test would prove nothing.
    expect(results.unavailable['@marketdata/upbit-sim']).toBeUndefined();

    const problems: string[] = [];
    const check = (row: ResultRow, column: Column, mustMeasure: boolean): void => {
      const cell = row.cells[column];
      if (cell.kind === 'value') {
        if (!Number.isFinite(cell.value)) problems.push(`${row.id} ${column}: ${cell.value}`);
        if (row.group !== '6' && cell.value < 0) problems.push(`${row.id} ${column}: negative ${cell.value}`);
      } else if (mustMeasure && !notApplicable(cell)) {
        problems.push(`${row.id} ${column}: ${cell.reason}`);
      }
    };
    for (const row of results.rows) {
      check(row, 'raw', true);
      check(row, 'ccxt', !(row.cells.ccxt.kind === 'na' && row.cells.ccxt.reason === 'not measured'));
      const component = row.id === '7.ws' ? 'websocket' : row.group === '5' ? 'marketData' : OURS_COMPONENT[row.group];
      check(row, 'ours', component !== undefined && results.unavailable[component] === undefined);
    }
    expect(problems, stdout).toEqual([]);
  }, 180_000);
});
