import { formatCell, formatRatio } from './format.js';
import { COLUMNS, type Column, isNotApplicable, NOT_APPLICABLE, type ResultRow, ratioOf } from './model.js';

export const TABLE_HEADER = ['#', 'Row', 'Metric', 'Raw baseline', 'Ours', 'ccxt', 'Ours ÷ raw', 'ccxt ÷ raw', 'Notes'];

const escapeCell = (text: string): string => text.replaceAll('|', '\\|').replaceAll('\n', ' ');

/** Why the "—" cells of a row are empty, grouped by reason: "raw, ccxt: the soak runs our stack only". */
function notApplicableNote(row: ResultRow): string {
  const byReason = new Map<string, Column[]>();
  for (const c of COLUMNS) {
    const cell = row.cells[c];
    if (cell.kind !== 'na' || !isNotApplicable(cell)) continue;
    const reason = cell.reason.slice(NOT_APPLICABLE.length);
    byReason.set(reason, [...(byReason.get(reason) ?? []), c]);
  }
  return [...byReason].map(([reason, columns]) => `${columns.join(', ')}: ${reason}`).join('; ');
}

/** The markdown table printed on stdout: one line per result row, ratios against that row's raw baseline. */
export function renderTable(rows: readonly ResultRow[]): string {
  const lines = [`| ${TABLE_HEADER.join(' | ')} |`, `|${TABLE_HEADER.map(() => '---').join('|')}|`];
  let previousWhyNot = '';
  for (const row of rows) {
    const whyNot = notApplicableNote(row);
    const cells = [
      row.group,
      row.title,
      row.metric,
      formatCell(row.cells.raw),
      formatCell(row.cells.ours),
      formatCell(row.cells.ccxt),
      formatRatio(ratioOf(row, 'ours')),
      formatRatio(ratioOf(row, 'ccxt')),
      [...row.notes, whyNot === previousWhyNot ? '' : whyNot].filter((n) => n !== '').join('; '),
    ];
    previousWhyNot = whyNot;
    lines.push(`| ${cells.map(escapeCell).join(' | ')} |`);
  }
  return `${lines.join('\n')}\n`;
}
