import type { Ours } from '../clients/ours.js';
import { type ReplayConsumer, startReplayConsumer } from '../clients/replay-consumers.js';
import type { Column } from '../report/model.js';
import { attempt } from '../rows/context.js';
import { monoNowMs, processCpuMs, sleepMs } from '../system-clock.js';
import type {
  IngestColumnResult,
  IngestRequest,
  IngestResults,
  IngestTarget,
  IngestWindow,
} from './ingest-protocol.js';

const FIRST_FRAME_DEADLINE_MS = 10_000;
/** After a client resumes reading, before its window opens; after it pauses, before the next one resumes. */
const RESUME_SETTLE_MS = 10;
const PAUSE_SETTLE_MS = 5;

async function firstFrame(consumer: ReplayConsumer): Promise<void> {
  const started = monoNowMs();
  while (consumer.handled() === 0) {
    const failure = consumer.failure();
    if (failure !== undefined) throw failure;
    if (monoNowMs() - started > FIRST_FRAME_DEADLINE_MS)
      throw new Error(`no frame within ${FIRST_FRAME_DEADLINE_MS} ms`);
    await sleepMs(5);
  }
}

async function countWindow(consumer: ReplayConsumer, windowMs: number): Promise<IngestWindow> {
  const before = consumer.handled();
  const started = monoNowMs();
  const cpuBefore = processCpuMs();
  await sleepMs(windowMs);
  const handled = consumer.handled() - before;
  const cpuMs = processCpuMs() - cpuBefore;
  const elapsedMs = monoNowMs() - started;
  return { perCpuSecond: (handled / cpuMs) * 1000, perSecond: (handled / elapsedMs) * 1000 };
}

/**
 * Measures the asked clients against each replay server in turn, in this (fresh) process. Several clients take turns window by
 * window: the one whose turn it is reads its socket, the others are paused (their sockets unread, so the server
 * waits on them too); the order flips every round, so all see the same minutes of the machine's load. A client
 * alone (ccxt, which cannot be paused from outside) reads throughout and is counted over the same windows.
 */
export async function measureIngest(ours: Ours, request: IngestRequest): Promise<IngestResults> {
  const results: IngestResults = {};
  for (const target of request.targets) results[target.kind] = await measureTarget(ours, request, target);
  return results;
}

async function measureTarget(
  ours: Ours,
  request: IngestRequest,
  { kind, wsUrl }: IngestTarget,
): Promise<Partial<Record<Column, IngestColumnResult>>> {
  const results: Partial<Record<Column, IngestColumnResult>> = {};
  const running = new Map<Column, ReplayConsumer>();
  const { restUrl, format, codes } = request;
  const alone = request.columns.length === 1;
  try {
    for (const column of request.columns) {
      const started = await attempt(async () => {
        const consumer = await startReplayConsumer(column, ours, { wsUrl, restUrl, kind, format, codes });
        running.set(column, consumer);
        await firstFrame(consumer);
        if (!alone) consumer.pause?.();
        return consumer;
      });
      if (!started.ok) {
        running.delete(column);
        results[column] = started;
      }
    }
    const windows = new Map<Column, IngestWindow[]>([...running.keys()].map((column) => [column, []]));
    const turn = async (column: Column, body: (consumer: ReplayConsumer) => Promise<void>): Promise<void> => {
      const consumer = running.get(column) as ReplayConsumer;
      if (!alone) {
        consumer.resume?.();
        await sleepMs(RESUME_SETTLE_MS);
      }
      await body(consumer);
      if (!alone) {
        consumer.pause?.();
        await sleepMs(PAUSE_SETTLE_MS);
      }
    };
    for (const column of running.keys()) await turn(column, () => sleepMs(request.warmupMs));
    for (let round = 0; round < request.windows; round++) {
      const order = [...running.keys()];
      if (round % 2 === 1) order.reverse();
      for (const column of order) {
        await turn(column, async (consumer) => {
          windows.get(column)?.push(await countWindow(consumer, request.windowMs));
        });
      }
    }
    for (const [column, consumer] of running) {
      const failure = consumer.failure();
      results[column] =
        failure === undefined
          ? { ok: true, windows: windows.get(column) ?? [], account: consumer.account() }
          : { ok: false, reason: `failed: ${failure.message.split('\n')[0]}` };
    }
    return results;
  } finally {
    for (const consumer of running.values()) {
      // A paused socket would never read the server's answer to its close.
      consumer.resume?.();
      await consumer.stop().catch(() => undefined);
    }
  }
}
