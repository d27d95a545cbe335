import { formatCell, formatRatio } from './format.js';
import { type ResultRow, ratioOf } from './model.js';
import type { BenchResults } from './results-file.js';

const escapeCell = (text: string): string => text.replaceAll('|', '\\|').replaceAll('\n', ' ');

/**
 * The performance table of the READMEs, from a results file: one line per target row (group T), with the figures
 * that row copied from the row that measured them and its verdict. Rendered, never typed: `pnpm -s perf-table FILE`.
 */
export function renderPerfTable(results: Pick<BenchResults, 'rows' | 'machine' | 'startedAt' | 'mode'>): string {
  const header = ['Target', 'Measured as', 'Raw', 'Ours', 'ccxt', 'Ours ÷ raw', 'ccxt ÷ raw', 'Verdict'];
  const lines = [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`];
  const targets: readonly ResultRow[] = results.rows.filter((row) => row.group === 'T');
  for (const row of targets) {
    const cells = [
      row.title.replace(/^target: /, ''),
      row.metric,
      formatCell(row.cells.raw),
      formatCell(row.cells.ours),
      formatCell(row.cells.ccxt),
      formatRatio(ratioOf(row, 'ours')),
      formatRatio(ratioOf(row, 'ccxt')),
      row.notes.join('; '),
    ];
    lines.push(`| ${cells.map(escapeCell).join(' | ')} |`);
  }
  const { machine } = results;
  const load =
    machine.loadAverage1m === undefined
      ? ''
      : `, load average ${machine.loadAverage1m.atStart.toFixed(1)} → ${machine.loadAverage1m.atEnd.toFixed(1)}`;
  const caption = `${results.mode} run ${results.startedAt}: ${machine.cpus} × ${machine.cpuModel}, ${machine.platform}, Node ${machine.node}${load}`;
  return `${lines.join('\n')}\n\n${caption}\n`;
}
