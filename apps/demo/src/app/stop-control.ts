/** Why and how the demo stops: Ctrl-C, --duration-ms, a closed stdout, or a failure (which makes the exit code 1). */
export class StopControl {
  private readonly controller = new AbortController();
  private firstFailure: unknown;
  private failed = false;

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  get stopped(): boolean {
    return this.controller.signal.aborted;
  }

  /** The failure that stopped the demo, if one did. */
  get failure(): { readonly error: unknown } | undefined {
    return this.failed ? { error: this.firstFailure } : undefined;
  }

  /** The first reason given wins. */
  get reason(): string {
    const reason: unknown = this.controller.signal.reason;
    return typeof reason === 'string' ? reason : reason instanceof Error ? reason.message : String(reason);
  }

  stop(reason: string): void {
    if (!this.controller.signal.aborted) this.controller.abort(reason);
  }

  fail(error: unknown): void {
    if (!this.failed) {
      this.failed = true;
      this.firstFailure = error;
    }
    this.stop(`failed: ${error instanceof Error ? error.message : String(error)}`);
  }

  /** Follows another signal (the process's Ctrl-C); returns the function that stops following. */
  follow(signal: AbortSignal): () => void {
    const onAbort = (): void => this.stop(typeof signal.reason === 'string' ? signal.reason : 'interrupted');
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
    return () => signal.removeEventListener('abort', onAbort);
  }

  /** Resolves once stopped, for whatever reason. */
  whenStopped(): Promise<void> {
    return new Promise((resolve) => {
      if (this.stopped) resolve();
      else this.controller.signal.addEventListener('abort', () => resolve(), { once: true });
    });
  }
}
