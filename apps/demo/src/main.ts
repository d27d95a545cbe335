import { readFile } from 'node:fs/promises';
import { createSystemClock, systemRandom } from '@marketdata/domain';
import { runDemo } from './app/run-demo.js';
import { EXIT_RUNTIME_FAILURE } from './cli/exit-codes.js';

/** Process glue only: signals, streams, environment, exit code. Everything else is in runDemo. */
const interrupt = new AbortController();
/**
 * One Ctrl-C reaches us more than once: from the terminal (the process group) and again from `pnpm`, which forwards
 * what it receives. Signals this close to the first are the same request; a later one means "now": leave without
 * waiting for the clean shutdown.
 */
const SAME_REQUEST_MS = 500;
let firstSignalAt: number | undefined;
const onSignal = (name: string) => () => {
  const now = performance.now();
  if (firstSignalAt !== undefined) {
    if (now - firstSignalAt > SAME_REQUEST_MS) process.exit(EXIT_RUNTIME_FAILURE);
    return;
  }
  firstSignalAt = now;
  interrupt.abort(name === 'SIGINT' ? 'Ctrl-C' : name);
};
process.on('SIGINT', onSignal('SIGINT'));
process.on('SIGTERM', onSignal('SIGTERM'));

// `demo --json | head` closes stdout early: stop cleanly instead of dying on EPIPE.
let stdoutOpen = true;
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  stdoutOpen = false;
  interrupt.abort(error.code === 'EPIPE' ? 'stdout closed' : `stdout failed: ${error.message}`);
});

const stdout = {
  write: (text: string) => stdoutOpen && process.stdout.write(text),
  get isTTY() {
    return process.stdout.isTTY === true;
  },
  get columns() {
    return process.stdout.columns;
  },
  get rows() {
    return process.stdout.rows;
  },
};

const noColor = process.env.NO_COLOR !== undefined && process.env.NO_COLOR !== '';

runDemo({
  argv: process.argv.slice(2),
  env: process.env,
  stdout,
  stderr: process.stderr,
  clock: createSystemClock(),
  random: systemRandom,
  readFile: (path) => readFile(path, 'utf8'),
  interrupt: interrupt.signal,
  color: !noColor && process.stdout.isTTY === true,
}).then(
  (code) => {
    process.exitCode = code;
    // Everything has been closed; if a stray handle still holds the loop, do not let it hold the exit.
    createSystemClock({ unref: true }).setTimeout(() => process.exit(code), 200);
  },
  (error: unknown) => {
    process.stderr.write(
      `demo: unexpected failure: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exit(EXIT_RUNTIME_FAILURE);
  },
);
