import type { Clock, TimerHandle } from '@marketdata/domain';
import type { ReplayFrame } from './replay-file.js';

export interface ReplaySink {
  broadcastRaw(type: ReplayFrame['type'], code: string, text: string): void;
}

/** Sends recorded frames to WebSocket subscribers at the recorded pace divided by `speed`. */
export class ReplayPlayer {
  private index = 0;
  private timer: TimerHandle | undefined;
  private startMono = 0;
  private firstT = 0;
  private sent = 0;

  constructor(
    private readonly frames: readonly ReplayFrame[],
    private readonly sink: ReplaySink,
    private readonly clock: Clock,
    private readonly speed: number,
    private readonly loop: boolean,
  ) {}

  start(): void {
    if (this.frames.length === 0) return;
    this.index = 0;
    this.firstT = this.frames[0]?.t ?? 0;
    this.startMono = this.clock.monotonic();
    this.schedule();
  }

  stop(): void {
    this.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }

  framesSent(): number {
    return this.sent;
  }

  private schedule(): void {
    const next = this.frames[this.index];
    if (next === undefined) {
      if (!this.loop) return;
      // Start over 1 ms after the last frame, so even a zero-length recording cannot spin.
      const last = this.frames[this.frames.length - 1]?.t ?? this.firstT;
      this.startMono += (last - this.firstT) / this.speed + 1;
      this.index = 0;
      this.schedule();
      return;
    }
    const dueMono = this.startMono + (next.t - this.firstT) / this.speed;
    this.timer = this.clock.setTimeout(this.tick, Math.max(0, dueMono - this.clock.monotonic()));
  }

  private readonly tick = (): void => {
    this.timer = undefined;
    const now = this.clock.monotonic();
    for (let frame = this.frames[this.index]; frame !== undefined; frame = this.frames[this.index]) {
      if (this.startMono + (frame.t - this.firstT) / this.speed > now) break;
      this.sink.broadcastRaw(frame.type, frame.code, frame.frame);
      this.sent++;
      this.index++;
    }
    this.schedule();
  };
}
