import type { Clock, Logger } from '@marketdata/domain';
import { within } from './scheduling.js';

interface Step {
  readonly name: string;
  readonly run: () => Promise<void> | void;
}

/**
 * Resources to release at exit, closed last-in first-out. The whole shutdown has one time budget so Ctrl-C
 * always ends the process quickly; a step that overruns is reported and left behind.
 */
export class ShutdownSteps {
  private readonly steps: Step[] = [];

  constructor(
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  add(name: string, run: () => Promise<void> | void): void {
    this.steps.push({ name, run });
  }

  /** Runs every step once, newest first, within `budgetMs` in total. Returns the names of steps that overran. */
  async run(budgetMs: number): Promise<string[]> {
    const overran: string[] = [];
    const startedAt = this.clock.monotonic();
    for (let step = this.steps.pop(); step !== undefined; step = this.steps.pop()) {
      const left = Math.max(1, budgetMs - (this.clock.monotonic() - startedAt));
      try {
        const outcome = await within(this.clock, left, Promise.resolve().then(step.run));
        if (outcome === 'timeout') overran.push(step.name);
      } catch (error) {
        this.logger.warn('failed to close cleanly', { step: step.name, error: String(error) });
      }
    }
    return overran;
  }
}
