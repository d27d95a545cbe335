import { createWriteStream, type WriteStream } from 'node:fs';
import type { Clock } from '@marketdata/domain';

/** One captured frame per line: `{"t": epochMs, "frame": "<raw frame text>"}` — the simulator's replay format. */
export interface RecordedFrame {
  readonly t: number;
  readonly frame: string;
}

export interface FrameRecorder {
  readonly path: string;
  record(frame: string): void;
  /** Frames written so far. */
  readonly recorded: number;
  /** Frames dropped because the disk could not keep up (more than `maxBufferedBytes` waiting). */
  readonly dropped: number;
  close(): Promise<void>;
}

export interface FrameRecorderOptions {
  readonly clock: Clock;
  readonly maxBufferedBytes?: number;
}

function opened(stream: WriteStream): Promise<void> {
  return new Promise((resolve, reject) => {
    stream.once('open', () => {
      stream.off('error', reject);
      resolve();
    });
    stream.once('error', reject);
  });
}

/** Opens (truncates) `path` for JSONL capture. Rejects when the file cannot be created. */
export async function openFrameRecorder(path: string, options: FrameRecorderOptions): Promise<FrameRecorder> {
  const stream = createWriteStream(path, { flags: 'w', encoding: 'utf8' });
  await opened(stream);
  const maxBuffered = options.maxBufferedBytes ?? 64 * 1024 * 1024;
  let recorded = 0;
  let dropped = 0;
  let failure: Error | undefined;
  let closing: Promise<void> | undefined;
  stream.on('error', (error) => {
    failure = error;
  });
  return {
    path,
    get recorded() {
      return recorded;
    },
    get dropped() {
      return dropped;
    },
    record(frame) {
      if (closing !== undefined || failure !== undefined || stream.writableLength > maxBuffered) {
        dropped++;
        return;
      }
      const line: RecordedFrame = { t: options.clock.now(), frame };
      stream.write(`${JSON.stringify(line)}\n`);
      recorded++;
    },
    close() {
      closing ??= new Promise<void>((resolve, reject) => {
        stream.end(() => (failure === undefined ? resolve() : reject(failure)));
      });
      return closing;
    },
  };
}
