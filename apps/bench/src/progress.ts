import { monoNowMs } from './system-clock.js';

/**
 * A progress bar on stderr (stdout carries only the table). On a terminal it redraws one line; otherwise (CI logs)
 * it prints one line per step.
 */
export class Progress {
  private done = 0;
  private readonly startedAt = monoNowMs();
  private readonly tty: boolean;

  constructor(
    private readonly totalSteps: number,
    private readonly stream: NodeJS.WriteStream = process.stderr,
  ) {
    this.tty = stream.isTTY === true;
  }

  step(label: string): void {
    this.render(label);
  }

  finishStep(): void {
    this.done = Math.min(this.totalSteps, this.done + 1);
  }

  finish(): void {
    this.done = this.totalSteps;
    this.render('done');
    if (this.tty) this.stream.write('\n');
  }

  private render(label: string): void {
    const fraction = this.totalSteps === 0 ? 1 : this.done / this.totalSteps;
    const width = 24;
    const filled = Math.round(fraction * width);
    const bar = `${'#'.repeat(filled)}${'-'.repeat(width - filled)}`;
    const elapsed = ((monoNowMs() - this.startedAt) / 1000).toFixed(1);
    const line = `bench [${bar}] ${String(Math.round(fraction * 100)).padStart(3)}% ${elapsed}s ${label}`;
    if (this.tty) this.stream.write(`\r\x1b[2K${line.slice(0, (this.stream.columns ?? 120) - 1)}`);
    else this.stream.write(`${line}\n`);
  }
}
