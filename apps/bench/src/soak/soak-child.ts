/**
 * Child-process entry of the soak: our stack alone in a fresh process, so its heap and RSS are not mixed with the
 * bench's other rows (ccxt, raw clients, histograms). Streams the given markets through the facade's
 * watchTickers and samples memory (after a forced GC) until the time is up, then reports over IPC.
 */
import { parseMarketCode } from '@marketdata/domain';
import { ComponentMissing, loadOurs, requireBuilt } from '../clients/ours.js';
import { gcAvailable, type MemorySample, sampleMemory } from '../memory.js';
import { monoNowMs, sleepMs } from '../system-clock.js';
import type { SoakReply, SoakRequest } from './soak-protocol.js';

async function soak(request: SoakRequest): Promise<SoakReply> {
  const ours = await loadOurs();
  const facade = requireBuilt(ours.marketData)(request.restUrl, request.wsUrl);
  const symbols = request.codes.map((c) => parseMarketCode(c));
  let ticks = 0;
  let running = true;
  const iterator = facade.watchTickers(symbols)[Symbol.asyncIterator]();
  const consumer = (async () => {
    while (running) {
      const next = await iterator.next();
      if (next.done === true) return;
      ticks += 1;
    }
  })();
  const samples: MemorySample[] = [];
  const started = monoNowMs();
  try {
    for (;;) {
      const elapsed = (monoNowMs() - started) / 1000;
      if (elapsed >= request.warmupSeconds) samples.push(sampleMemory(elapsed));
      if (elapsed >= request.seconds) break;
      await sleepMs(Math.min(request.sampleEveryMs, Math.max(1, (request.seconds - elapsed) * 1000)));
    }
  } finally {
    running = false;
    await iterator.return?.();
    await facade.close();
    await consumer.catch(() => undefined);
  }
  return { ok: true, samples, ticks, gcForced: gcAvailable() };
}

process.once('message', (request: SoakRequest) => {
  soak(request).then(
    (reply) => process.send?.(reply, () => process.disconnect()),
    (error: unknown) =>
      process.send?.(
        {
          ok: false,
          error: error instanceof Error ? error.message : String(error),
          notBuilt: error instanceof ComponentMissing,
        } satisfies SoakReply,
        () => process.disconnect(),
      ),
  );
});
