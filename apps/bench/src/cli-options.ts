/** Command-line options of `pnpm bench`. */
import { MIN_FAULT_SCHEDULE_SECONDS } from './fault-schedule/schedule.js';
import { FAULT_PROFILE_NAMES, type FaultProfileName } from './fault-schedule/websocket-profile.js';

export const ROW_KEYS = [
  'sim',
  'rest',
  'pacing',
  'loop',
  'ingest',
  'latency',
  'hot',
  'routing',
  'soak',
  'targets',
] as const;
export type RowKey = (typeof ROW_KEYS)[number];

/** `--only` accepts the row numbers as well as names. */
const ROW_ALIASES: Readonly<Record<string, RowKey>> = {
  '1': 'rest',
  '2': 'ingest',
  '3': 'latency',
  '4': 'hot',
  '5': 'routing',
  '6': 'soak',
  '7': 'targets',
  s: 'sim',
  p: 'pacing',
  l: 'loop',
};

export interface BenchOptions {
  readonly quick: boolean;
  /** Soak duration in seconds; also the length of the fault schedule. */
  readonly soakSeconds: number;
  /** Run the fault-schedule scenario for `soakSeconds`. */
  readonly faults: boolean;
  /** The fleet rows (one gateway for many processes, through NATS); needs Debian's nats-server. */
  readonly fleet: boolean;
  /** Run row C, the chart viewer in Chromium (needs Debian's chromium; never part of the default run). */
  readonly chart: boolean;
  /** The adapter settings of the fault schedule: `default` (the adapters' own) or `fast-failover`. */
  readonly faultsProfile: FaultProfileName;
  readonly only: ReadonlySet<RowKey>;
  /** Print the results JSON on stdout instead of the markdown table. */
  readonly json: boolean;
  /** Where `<date>.json` and `<date>.svg` go; default apps/bench/results. */
  readonly outDir: string | undefined;
  /** Scale every measuring window (the smoke test uses a tiny factor); 1 by default. */
  readonly scale: number;
  readonly help: boolean;
}

export class UsageError extends Error {}

export const USAGE = `Usage: pnpm bench [-- options]

Runs every row against the simulator (started in a separate process) and prints one markdown table.

Options:
  --quick            short windows: the whole run takes under a minute
  --soak SECONDS     soak duration (default 60; quick mode 4); --soak 600 is the 10-minute run
  --faults           the fault-schedule scenario instead of the table: our facade over our REST and
                     WebSocket adapters with their default settings against the simulator in its own process
                     with Upbit's rate limits: drops every 20 s, 5 s stalls, 1% malformed frames, a 429 storm,
                     one 418 and a restart, for --soak seconds (default 60, at least ${MIN_FAULT_SCHEDULE_SECONDS}); --soak 600 --faults
                     is the 10-minute run. Prints the reliability report and checks its thresholds; with --only
                     the rows run too
  --faults-profile P the adapter settings of --faults: default (the adapters' own) or fast-failover
                     (WebSocket ping 1 s, dead after 1.5 s silent, reconnect within 0.5 s)
  --fleet            the fleet rows instead of the table's others (with --only, as well): one gateway serving
                     1/4/8 consumer processes through NATS at 5k and 20k msg/s (delivered %, gateway→consumer
                     p50/p99), a late joiner's 250 latest values, and 8 processes through the gateway vs each
                     straight to Upbit (connections, 429/418). Needs nats-server (scripts/setup-components.sh)
  --chart            row C alone (with --only, beside those rows): the chart viewer (apps/chart) in Debian's
                     Chromium: time to first candle, and the chart server's CPU and memory with 20 tabs open
                     for 60 s (--quick: 10 s). Needs a browser, so it is never part of the default run
  --only ROWS        comma list of rows: 1|rest, p|pacing, l|loop, 2|ingest, 3|latency, 4|hot, 5|routing,
                     6|soak, 7|targets, s|sim
  --json             print the results as JSON on stdout instead of the table
  --out DIR          directory for <date>.json and <date>.svg (default apps/bench/results)
  --scale FACTOR     multiply every measuring window by FACTOR (e.g. 0.2 for a smoke run)
  --help             this text

Exit codes: 0 ok, 1 the bench itself failed, 2 usage error, 3 a --faults threshold was not met.`;

function positiveNumber(flag: string, text: string | undefined): number {
  const parsed = Number(text);
  if (text === undefined || !Number.isFinite(parsed) || parsed <= 0) {
    throw new UsageError(`${flag} needs a positive number, got ${text ?? 'nothing'}`);
  }
  return parsed;
}

function parseOnly(text: string | undefined): Set<RowKey> {
  if (text === undefined || text.trim() === '') throw new UsageError('--only needs a comma list of rows');
  const rows = new Set<RowKey>();
  for (const part of text.split(',')) {
    const name = part.trim().toLowerCase();
    const key = ROW_ALIASES[name] ?? (ROW_KEYS as readonly string[]).find((k) => k === name);
    if (key === undefined) throw new UsageError(`--only: unknown row "${part}" (known: ${ROW_KEYS.join(', ')})`);
    rows.add(key as RowKey);
  }
  return rows;
}

export function parseOptions(argv: readonly string[]): BenchOptions {
  let quick = false;
  let faults = false;
  let fleet = false;
  let chart = false;
  let faultsProfile: FaultProfileName = 'default';
  let soakSeconds: number | undefined;
  let only: Set<RowKey> | undefined;
  let json = false;
  let outDir: string | undefined;
  let scale = 1;
  let help = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    switch (arg) {
      case '--':
        break;
      case '--quick':
        quick = true;
        break;
      case '--soak':
        soakSeconds = positiveNumber('--soak', argv[++i]);
        break;
      case '--faults':
        faults = true;
        break;
      case '--fleet':
        fleet = true;
        break;
      case '--chart':
        chart = true;
        break;
      case '--faults-profile': {
        const name = argv[++i];
        const known = FAULT_PROFILE_NAMES.find((profile) => profile === name);
        if (known === undefined) {
          throw new UsageError(
            `--faults-profile needs one of ${FAULT_PROFILE_NAMES.join(', ')}, got ${name ?? 'nothing'}`,
          );
        }
        faultsProfile = known;
        break;
      }
      case '--only':
        only = parseOnly(argv[++i]);
        break;
      case '--json':
        json = true;
        break;
      case '--out':
        outDir = argv[++i];
        if (outDir === undefined) throw new UsageError('--out needs a directory');
        break;
      case '--scale':
        scale = positiveNumber('--scale', argv[++i]);
        break;
      case '--help':
      case '-h':
        help = true;
        break;
      default:
        throw new UsageError(`unknown option ${arg}`);
    }
  }
  if (faults && soakSeconds !== undefined && soakSeconds < MIN_FAULT_SCHEDULE_SECONDS) {
    throw new UsageError(`--faults needs --soak of at least ${MIN_FAULT_SCHEDULE_SECONDS} seconds, got ${soakSeconds}`);
  }
  return {
    quick,
    soakSeconds: soakSeconds ?? (quick && !faults ? 4 : 60),
    faults,
    fleet,
    chart,
    faultsProfile,
    // The fault schedule, the fleet rows or the chart row alone, unless rows are asked for as well.
    only: only ?? (faults || fleet || chart ? new Set<RowKey>() : new Set(ROW_KEYS)),
    json,
    outDir,
    scale,
    help,
  };
}
