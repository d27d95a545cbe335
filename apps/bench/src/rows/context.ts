import { ComponentMissing, type Ours } from '../clients/ours.js';
import type { LatencySummary } from '../histogram.js';
import type { BenchPlan } from '../plan.js';
import type { Progress } from '../progress.js';
import { type Cell, NOT_BUILT, na, value } from '../report/model.js';
import { SimNotBuiltError, type SimProcess } from '../sim/sim-client.js';

export interface RowContext {
  readonly sims: SimProcess;
  readonly ours: Ours;
  readonly plan: BenchPlan;
  readonly progress: Progress;
}

/** The outcome of measuring one column: a value, or the reason there is none (never a made-up number). */
export type Outcome<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly reason: string };

export { ComponentMissing, requireBuilt } from '../clients/ours.js';

export const missing = (reason: string): Outcome<never> => ({ ok: false, reason });

/** Runs one measurement; an error becomes "failed: …" (or "not built") in that column only. */
export async function attempt<T>(body: () => Promise<T>): Promise<Outcome<T>> {
  try {
    return { ok: true, value: await body() };
  } catch (error) {
    if (error instanceof SimNotBuiltError || error instanceof ComponentMissing) return { ok: false, reason: NOT_BUILT };
    const message = error instanceof Error ? error.message : String(error);
    return { ok: false, reason: `failed: ${message.split('\n')[0]}` };
  }
}

/** Measures one column under a progress label. */
export async function measureStep<T>(ctx: RowContext, label: string, body: () => Promise<T>): Promise<Outcome<T>> {
  ctx.progress.step(label);
  try {
    return await attempt(body);
  } finally {
    ctx.progress.finishStep();
  }
}

export function latencyCell(
  outcome: Outcome<LatencySummary | undefined>,
  pick: (s: LatencySummary) => number,
  unit: 'ms' | 'µs',
): Cell {
  if (!outcome.ok) return na(outcome.reason);
  if (outcome.value === undefined) return na('no samples');
  const ns = pick(outcome.value);
  return value(unit === 'ms' ? ns / 1e6 : ns / 1e3, unit);
}

/** The value of a prerequisite outcome, or the same reason passed on ("not built" stays "not built"). */
export function prerequisite<T>(what: string, outcome: Outcome<T>): T {
  if (outcome.ok) return outcome.value;
  if (outcome.reason === NOT_BUILT) throw new ComponentMissing(NOT_BUILT);
  throw new Error(`${what} ${outcome.reason}`);
}
