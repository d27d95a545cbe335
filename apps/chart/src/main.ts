import { fileURLToPath } from 'node:url';
import { createSystemClock, systemRandom } from '@marketdata/domain';
import { EXIT_FAILURE, runChart } from './app/run-chart.js';

/** Process glue only: signals, streams, exit code. Everything else is in runChart. */
const interrupt = new AbortController();
/**
 * One Ctrl-C reaches us twice (from the terminal's process group and again from pnpm, which forwards it): signals
 * this close to the first are the same request; a later one means "now".
 */
const SAME_REQUEST_MS = 500;
const clock = createSystemClock();
let firstSignalAt: number | undefined;
const onSignal = (name: string) => () => {
  const now = clock.monotonic();
  if (firstSignalAt !== undefined) {
    if (now - firstSignalAt > SAME_REQUEST_MS) process.exit(EXIT_FAILURE);
    return;
  }
  firstSignalAt = now;
  interrupt.abort(name);
};
process.on('SIGINT', onSignal('SIGINT'));
process.on('SIGTERM', onSignal('SIGTERM'));

runChart({
  argv: process.argv.slice(2),
  stdout: process.stdout,
  stderr: process.stderr,
  clock,
  random: systemRandom,
  interrupt: interrupt.signal,
  publicDir: fileURLToPath(new URL('./public', import.meta.url)),
  processUsage: () => {
    const cpu = process.cpuUsage();
    const memory = process.memoryUsage();
    return {
      cpuUserMicros: cpu.user,
      cpuSystemMicros: cpu.system,
      rssBytes: memory.rss,
      heapUsedBytes: memory.heapUsed,
    };
  },
}).then(
  (code) => {
    process.exitCode = code;
    // Everything has been closed; a stray handle must not hold the exit.
    createSystemClock({ unref: true }).setTimeout(() => process.exit(code), 200);
  },
  (error: unknown) => {
    process.stderr.write(
      `chart: unexpected failure: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exit(EXIT_FAILURE);
  },
);
