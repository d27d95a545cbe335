import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseOptions, USAGE, UsageError } from './cli-options.js';
import { renderFaultReport } from './fault-schedule/render-report.js';
import { writeResults } from './report/results-file.js';
import { renderLatencyChart } from './report/svg-chart.js';
import { renderTable } from './report/table.js';
import { runBench } from './runner.js';
import { unrefTimeout } from './system-clock.js';

const DEFAULT_RESULTS_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'results');

function write(stream: NodeJS.WriteStream, text: string): Promise<void> {
  return new Promise((resolve) => {
    if (stream.write(text)) resolve();
    else stream.once('drain', () => resolve());
  });
}

async function main(argv: readonly string[]): Promise<number> {
  let options: ReturnType<typeof parseOptions>;
  try {
    options = parseOptions(argv);
  } catch (error) {
    if (error instanceof UsageError) {
      await write(process.stderr, `bench: ${error.message}\n\n${USAGE}\n`);
      return 2;
    }
    throw error;
  }
  if (options.help) {
    await write(process.stdout, `${USAGE}\n`);
    return 0;
  }
  const results = await runBench(options);
  const svg = renderLatencyChart(
    results.distributions,
    `Latency distributions — ${results.mode} run ${results.startedAt}, Node ${results.machine.node}`,
  );
  const files = await writeResults(options.outDir ?? DEFAULT_RESULTS_DIR, results, svg);
  const faults = results.faultSchedule;
  if (options.json) await write(process.stdout, `${JSON.stringify(results, null, 2)}\n`);
  else {
    if (results.rows.length > 0) await write(process.stdout, renderTable(results.rows));
    if (faults !== undefined) {
      await write(process.stdout, `${results.rows.length > 0 ? '\n' : ''}${renderFaultReport(faults)}`);
    }
  }
  const failed = results.rows.flatMap((row) =>
    Object.entries(row.cells).flatMap(([column, cell]) =>
      cell.kind === 'na' && cell.reason.startsWith('failed') ? [`${row.id} ${column}: ${cell.reason}`] : [],
    ),
  );
  for (const line of failed) await write(process.stderr, `bench: ${line}\n`);
  for (const [component, reason] of Object.entries(results.unavailable)) {
    await write(process.stderr, `bench: not built: ${component} (${reason})\n`);
  }
  await write(process.stderr, `bench: results ${files.json}${files.svg === undefined ? '' : `, chart ${files.svg}`}\n`);
  if (faults !== undefined && !faults.passed) {
    const failedChecks = faults.thresholds.filter((t) => !t.pass).map((t) => t.id);
    await write(process.stderr, `bench: fault schedule thresholds not met: ${failedChecks.join(', ')}\n`);
    return 3;
  }
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
    // Safety net: a client that leaves a keep-alive socket open must not keep the bench from exiting.
    unrefTimeout(2_000, () => process.exit(code));
  },
  async (error: unknown) => {
    await write(process.stderr, `bench: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
