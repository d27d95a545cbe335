import { isConfigError, isMarketDataError } from '@marketdata/domain';
import { EXIT_OK, EXIT_RUNTIME_FAILURE, EXIT_USAGE } from '../cli/exit-codes.js';
import { HELP_TEXT } from '../cli/help-text.js';
import { type DemoCommand, parseDemoArgs } from '../cli/parse-args.js';
import { isUsageError } from '../cli/usage-error.js';
import { DEMO_VERSION } from '../version.js';
import type { DemoRuntime } from './demo-runtime.js';
import { resolveSettings } from './resolve-settings.js';
import { runSession } from './run-session.js';

function usageFailure(runtime: DemoRuntime, message: string): number {
  runtime.stderr.write(`demo: ${message}\nRun with --help to see every option.\n`);
  return EXIT_USAGE;
}

/** The whole demo as a function of its runtime: parses, configures, runs, and returns the exit code. */
export async function runDemo(runtime: DemoRuntime): Promise<number> {
  let command: DemoCommand;
  try {
    command = parseDemoArgs(runtime.argv);
  } catch (error) {
    if (isUsageError(error)) return usageFailure(runtime, error.message);
    throw error;
  }
  if (command.kind === 'help') {
    runtime.stdout.write(HELP_TEXT);
    return EXIT_OK;
  }
  if (command.kind === 'version') {
    runtime.stdout.write(`${DEMO_VERSION}\n`);
    return EXIT_OK;
  }
  try {
    const settings = await resolveSettings(command.options, runtime);
    return await runSession(settings, runtime);
  } catch (error) {
    if (isUsageError(error) || isConfigError(error)) return usageFailure(runtime, error.message);
    const message = isMarketDataError(error) || error instanceof Error ? error.message : String(error);
    runtime.stderr.write(`demo: ${message}\n`);
    return EXIT_RUNTIME_FAILURE;
  }
}
