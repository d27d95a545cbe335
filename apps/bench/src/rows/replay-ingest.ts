import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { ccxtReads } from '../clients/replay-consumers.js';
import { RECORDED_SOURCES, type ReplayFormat, type ReplayKind } from '../replay/frame-pool.js';
import type { IngestColumnResult, IngestReply, IngestRequest, IngestResults } from '../replay/ingest-protocol.js';
import { type RemoteReplay, type ReplayProcess, withReplayProcess } from '../replay/replay-process.js';
import {
  type BenchSection,
  type Cell,
  COLUMNS,
  type Column,
  na,
  notApplicable,
  type ResultRow,
  value,
} from '../report/model.js';
import { withSim } from '../sim/sim-client.js';
import { withDeadline } from '../system-clock.js';
import { attempt, measureStep, type Outcome, type RowContext } from './context.js';

const INGEST_CHILD = fileURLToPath(new URL('./ingest-child.js', import.meta.url));
/** Codes the frames rotate through (KRW markets of the simulator, which ccxt loads its market list from). */
const CODES = 10;
export const REPLAY_POOL_SIZE = 4096;

const FORMATS: readonly ReplayFormat[] = ['DEFAULT', 'SIMPLE'];

export const INGEST_CASES: readonly { readonly kind: ReplayKind; readonly format: ReplayFormat }[] = [
  { kind: 'ticker', format: 'DEFAULT' },
  { kind: 'ticker', format: 'SIMPLE' },
  { kind: 'trade', format: 'DEFAULT' },
  { kind: 'trade', format: 'SIMPLE' },
];

interface IngestRun {
  /** Median over the windows of frames handled per second of the client process's CPU time. */
  readonly perCpuSecond: number;
  /** Median over the windows of frames handled per wall second. */
  readonly perSecond: number;
  readonly account: string | undefined;
}

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  if (sorted.length % 2 === 1) return sorted[middle] as number;
  return ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
};

function runIngestProcess(request: IngestRequest): Promise<IngestResults> {
  const child = fork(INGEST_CHILD, [], { stdio: ['ignore', 'pipe', 'inherit', 'ipc'] });
  child.stdout?.pipe(process.stderr);
  const reply = new Promise<IngestReply>((resolve, reject) => {
    child.once('message', (message: IngestReply) => resolve(message));
    child.once('exit', (code) => reject(new Error(`ingest process exited (${code}) without a result`)));
  });
  child.send(request);
  const perTarget = request.windows * (request.windowMs + 50) * request.columns.length + request.warmupMs * 4;
  return withDeadline(reply, 60_000 + perTarget * request.targets.length, 'ingest process').then(
    (message) => {
      if (message.ok) return message.results;
      throw new Error(message.error);
    },
    (error: unknown) => {
      if (child.exitCode === null) child.kill('SIGKILL');
      throw error;
    },
  );
}

function toRun(result: IngestColumnResult | undefined): Outcome<IngestRun> {
  if (result === undefined) return { ok: false, reason: 'not measured' };
  if (!result.ok) return result;
  if (result.windows.length === 0) return { ok: false, reason: 'no window measured' };
  return {
    ok: true,
    value: {
      perCpuSecond: median(result.windows.map((w) => w.perCpuSecond)),
      perSecond: median(result.windows.map((w) => w.perSecond)),
      account: result.account,
    },
  };
}

/** A replay server per kind (up at once), then one ingest process measuring `columns` on each in turn. */
async function measureFormat(
  ctx: RowContext,
  replays: ReplayProcess,
  restUrl: string,
  codes: readonly string[],
  format: ReplayFormat,
  kinds: readonly ReplayKind[],
  columns: readonly Column[],
): Promise<IngestResults> {
  const servers: RemoteReplay[] = [];
  try {
    for (const kind of kinds) {
      servers.push(await replays.start({ kind, codes, poolSize: REPLAY_POOL_SIZE, perSecond: undefined }));
    }
    const targets = servers.map((server, index) => ({ kind: kinds[index] as ReplayKind, wsUrl: server.url }));
    // A client alone (ccxt) reads throughout and is counted over as many windows as the ones taking turns.
    const { ingestWarmupMs: warmupMs, ingestWindowMs: windowMs, ingestRounds: windows } = ctx.plan;
    return await runIngestProcess({ targets, restUrl, format, codes, columns, warmupMs, windowMs, windows });
  } finally {
    for (const server of servers) await server.stop().catch(() => undefined);
  }
}

/**
 * Row 2: WebSocket ingest ceiling per frame kind and format. A separate process replays recorded Upbit frames (varied
 * per frame) as fast as the client's socket drains, so the client's own work is the only limit; the clients run in a
 * fresh process per wire format (as an application reads one). Raw and ours take turns window by window on one
 * replay server; ccxt (which cannot be paused from outside) runs alone. Counts are per second of the client process's
 * CPU time, which a busy shared machine does not bend the way it bends wall time; wall rates are in the notes.
 */
export async function runReplayIngest(ctx: RowContext): Promise<BenchSection> {
  const results = new Map<string, Outcome<IngestRun>>();
  const key = (kind: ReplayKind, format: ReplayFormat, column: Column): string => `${kind}/${format}/${column}`;
  const outer = await attempt(() =>
    withSim(ctx.sims, { rateLimits: false }, (sim) =>
      withReplayProcess(async (replays) => {
        const codes = sim.marketCodes.filter((code) => code.startsWith('KRW-')).slice(0, CODES);
        for (const format of FORMATS) {
          const kinds = INGEST_CASES.filter((c) => c.format === format).map((c) => c.kind);
          const groups: (readonly Column[])[] = ccxtReads(format) ? [['raw', 'ours'], ['ccxt']] : [['raw', 'ours']];
          for (const columns of groups) {
            const label = columns.length > 1 ? 'raw and ours, taking turns' : columns.join(', ');
            const measured = await measureStep(ctx, `2 WS ingest ${format}: ${kinds.join(', ')} (${label})`, () =>
              measureFormat(ctx, replays, sim.restUrl, codes, format, kinds, columns),
            );
            for (const kind of kinds) {
              for (const column of columns) {
                results.set(key(kind, format, column), measured.ok ? toRun(measured.value[kind]?.[column]) : measured);
              }
            }
          }
        }
      }),
    ),
  );
  const outcome = (kind: ReplayKind, format: ReplayFormat, column: Column): Outcome<IngestRun> | undefined =>
    results.get(key(kind, format, column)) ?? (outer.ok ? undefined : outer);
  const rows: ResultRow[] = INGEST_CASES.map(({ kind, format }, index) => {
    const cell = (column: Column): Cell => {
      if (column === 'ccxt' && !ccxtReads(format)) return notApplicable('ccxt reads DEFAULT frames only');
      const measured = outcome(kind, format, column);
      if (measured === undefined) return na('not measured');
      return measured.ok ? value(measured.value.perCpuSecond, 'msg/s') : na(measured.reason);
    };
    const ours = outcome(kind, format, 'ours');
    const wall = COLUMNS.flatMap((column) => {
      const measured = outcome(kind, format, column);
      return measured?.ok === true
        ? [`${column} ${Math.round(measured.value.perSecond).toLocaleString('en-US')}/s`]
        : [];
    });
    const { ingestRounds: rounds, ingestWindowMs: windowMs } = ctx.plan;
    const method =
      index === 0
        ? [
            `a separate process replays a recorded frame varied per frame (${REPLAY_POOL_SIZE} distinct, ${CODES} codes) as fast as the client's socket drains; clients in a fresh process per format; counted per second of that process's CPU time (user + system, GC included): the ceiling on a core of its own; raw (ws + JSON.parse) and ours (WebSocket source listen(): every frame validated, mapped and delivered) take turns on one server, median of ${rounds} windows of ${windowMs} ms each; ccxt (watchTickers / watchTradesForSymbols, handler calls counted) alone, same windows`,
          ]
        : [];
    return {
      id: `2.${kind}.${format.toLowerCase()}`,
      group: '2',
      title: `WS ingest ceiling, ${kind} ${format}`,
      metric: 'messages handled per CPU-second',
      cells: { raw: cell('raw'), ours: cell('ours'), ccxt: cell('ccxt') },
      ratio: 'higher-better',
      notes: [
        ...method,
        `frames: ${RECORDED_SOURCES[kind][format]}`,
        ...(wall.length > 0 ? [`per wall second: ${wall.join(', ')}`] : []),
        ...(ours?.ok === true && ours.value.account !== undefined ? [ours.value.account] : []),
      ],
    };
  });
  return { rows, distributions: [] };
}
