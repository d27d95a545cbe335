/**
 * The fault schedule of the reliability scenario: server drops every 20 s, 5 s stalls, 1%
 * malformed frames, a 429 storm, one 418 and a restart, laid out over a run of a given length.
 *
 * The run is three phases: a fault-free warm-up, the fault phase, and a fault-free cool-down (the heap end figure is
 * taken there, after every fault has recovered). Faults never overlap: each one's recovery is attributed to it
 * alone. The one-off faults come early in the fault phase, so that the first occurrence of every kind of fault is
 * over at `steadyFromSeconds`: the heap baseline is taken there, because the first time each fault happens allocates
 * for good (code paths compiled, error and reconnect state built), which is warm-up, not growth.
 */

export type FaultKind = 'drop' | 'stall' | 'restart' | 'rate-limit-storm' | 'forced-418';

/** Faults that cut the WebSocket feed; their recovery is measured on the stream. */
export const FEED_FAULTS: readonly FaultKind[] = ['drop', 'stall', 'restart'];

export interface PlannedFault {
  readonly kind: FaultKind;
  /** Seconds since the consumer was ready. */
  readonly atSeconds: number;
  /** How long the fault lasts (0 for an instant one such as a drop). */
  readonly durationSeconds: number;
}

export interface FaultPlan {
  readonly seconds: number;
  readonly warmupSeconds: number;
  readonly cooldownSeconds: number;
  /** Share of WebSocket data frames replaced by malformed ones from the end of warm-up to the end of the run. */
  readonly malformedRatio: number;
  readonly faults: readonly PlannedFault[];
  /** Every kind of fault has happened once and recovered: the steady state starts here. */
  readonly steadyFromSeconds: number;
}

export const MIN_FAULT_SCHEDULE_SECONDS = 55;

const DROP_EVERY_SECONDS = 20;
const STALL_EVERY_SECONDS = 60;
const STALL_SECONDS = 5;
const STORM_SECONDS = 3;
const RESTART_DOWN_SECONDS = 2;
/** Time kept free after a fault so that its recovery is over before the next one starts. */
const RECOVERY_MARGIN_SECONDS = 3;

interface Window {
  readonly start: number;
  readonly end: number;
}

const windowOf = (fault: PlannedFault): Window => ({
  start: fault.atSeconds,
  end: fault.atSeconds + fault.durationSeconds + RECOVERY_MARGIN_SECONDS,
});

const overlaps = (a: Window, b: Window): boolean => a.start < b.end && b.start < a.end;

/** The first whole second at or after `preferred` where the fault fits between the others and before `last`. */
function place(
  kind: FaultKind,
  preferred: number,
  durationSeconds: number,
  placed: readonly PlannedFault[],
  last: number,
): PlannedFault | undefined {
  for (let at = Math.round(preferred); at <= last; at++) {
    const candidate: PlannedFault = { kind, atSeconds: at, durationSeconds };
    if (!placed.some((other) => overlaps(windowOf(candidate), windowOf(other)))) return candidate;
  }
  return undefined;
}

export function planFaultSchedule(seconds: number): FaultPlan {
  if (!(seconds >= MIN_FAULT_SCHEDULE_SECONDS)) {
    throw new RangeError(`the fault schedule needs at least ${MIN_FAULT_SCHEDULE_SECONDS} s, got ${seconds}`);
  }
  const long = seconds >= 300;
  const warmupSeconds = long ? 30 : 10;
  const cooldownSeconds = long ? 30 : 8;
  const lastStart = seconds - cooldownSeconds;
  const faults: PlannedFault[] = [];
  for (let at = warmupSeconds + 2; at <= lastStart; at += DROP_EVERY_SECONDS) {
    faults.push({ kind: 'drop', atSeconds: at, durationSeconds: 0 });
  }
  for (let at = warmupSeconds + 6; at + STALL_SECONDS <= lastStart; at += STALL_EVERY_SECONDS) {
    faults.push({ kind: 'stall', atSeconds: at, durationSeconds: STALL_SECONDS });
  }
  // The one-off faults are spread over the first two minutes of the fault phase (all of it in a short run), each
  // moved to the next free second if needed.
  const span = Math.min(lastStart - warmupSeconds, 120);
  // The restart comes before the storm: after a storm our client holds the ticker group back for a while, which
  // would hide how fast REST answers again after the restart.
  const oneOffs: readonly [FaultKind, number, number][] = [
    ['restart', 0.35, RESTART_DOWN_SECONDS],
    ['rate-limit-storm', 0.55, STORM_SECONDS],
    ['forced-418', 0.75, 0],
  ];
  for (const [kind, fraction, duration] of oneOffs) {
    const fault = place(kind, warmupSeconds + fraction * span, duration, faults, lastStart - duration);
    if (fault === undefined) throw new RangeError(`no free slot for the ${kind} fault in ${seconds} s`);
    faults.push(fault);
  }
  faults.sort((a, b) => a.atSeconds - b.atSeconds);
  const kinds = new Set(faults.map((f) => f.kind));
  const firsts = [...kinds].map((kind) => faults.find((f) => f.kind === kind) as PlannedFault);
  const steadyFromSeconds = Math.max(...firsts.map((f) => windowOf(f).end));
  return { seconds, warmupSeconds, cooldownSeconds, malformedRatio: 0.01, faults, steadyFromSeconds };
}
