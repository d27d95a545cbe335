import { readFile } from 'node:fs/promises';
import { createSystemClock, systemRandom } from '@marketdata/backbone';
import { runDemo } from './app/run-demo.js';
import { EXIT_RUNTIME_FAILURE } from './cli/exit-codes.js';

/** Process glue only: signals, streams, environment, exit code. Everything else is in runDemo. */
const interrupt = new AbortController();
let interrupts = 0;
const onSignal = (name: string) => () => {
  interrupts++;
  // A second Ctrl-C means "now": leave without waiting for the clean shutdown.
  if (interrupts > 1) process.exit(EXIT_RUNTIME_FAILURE);
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
