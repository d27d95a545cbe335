import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type BenchSection, na, notApplicable, value } from '../report/model.js';
import { measureStep, type RowContext } from './context.js';

const WS_TARGET = 50_000;
const REST_TARGET = 5_000;

interface SimSpeed {
  readonly wsPerSecond: number;
  readonly wsSetup: string;
  readonly restPerSecond: number;
  readonly restSetup: string;
}

/** The simulator's own throughput script (packages/upbit-sim `pnpm bench`), reused rather than duplicated. */
function throughputScript(): string {
  const index = fileURLToPath(import.meta.resolve('@marketdata/upbit-sim'));
  const script = fileURLToPath(new URL('./bench/throughput.js', `file://${index}`));
  if (!existsSync(script)) throw new Error(`the simulator's throughput script is missing (${script})`);
  return script;
}

function runScript(script: string, seconds: number): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [script, '--seconds', String(seconds)], { timeout: 60_000 }, (error, stdout) => {
      if (error !== null) reject(new Error(`simulator throughput script: ${error.message.split('\n')[0]}`));
      else resolve(stdout);
    });
  });
}

/** Reads "websocket: N msgs/s … (setup)" and "rest: N req/s (setup)" from the script's output. */
export function parseThroughput(output: string): SimSpeed {
  const ws = /^websocket: (\d+) msgs\/s to one client \((.*)\) —/m.exec(output);
  const rest = /^rest: (\d+) req\/s \((.*)\) —/m.exec(output);
  if (ws?.[1] === undefined || rest?.[1] === undefined) {
    throw new Error(`unexpected output of the simulator throughput script: ${output.slice(0, 200)}`);
  }
  return { wsPerSecond: Number(ws[1]), wsSetup: ws[2] ?? '', restPerSecond: Number(rest[1]), restSetup: rest[2] ?? '' };
}

/**
 * Row S: the simulator's own speed (its targets: ≥ 50k WS msgs/s to one client, ≥ 5k REST req/s with limits off), so
 * a reader can tell when a row is bounded by the simulator rather than by the client. Measured by the simulator
 * package's own script, which runs the simulator in a process of its own.
 */
export async function runSimSpeed(ctx: RowContext): Promise<BenchSection> {
  const speed = await measureStep(ctx, 'S simulator speed (upbit-sim throughput script)', async () =>
    parseThroughput(await runScript(throughputScript(), ctx.plan.simSpeedSeconds)),
  );
  const only = notApplicable('simulator figure');
  return {
    rows: [
      {
        id: 'S.ws',
        group: 'S',
        title: 'simulator WS push to one client',
        metric: 'messages/s sent',
        cells: { raw: speed.ok ? value(speed.value.wsPerSecond, 'msg/s') : na(speed.reason), ours: only, ccxt: only },
        ratio: 'none',
        notes: [
          `packages/upbit-sim throughput script${speed.ok ? ` (${speed.value.wsSetup})` : ''}; the target is ≥ ${WS_TARGET.toLocaleString('en-US')}/s`,
        ],
      },
      {
        id: 'S.rest',
        group: 'S',
        title: 'simulator REST, limits off',
        metric: 'requests/s served',
        cells: { raw: speed.ok ? value(speed.value.restPerSecond, 'req/s') : na(speed.reason), ours: only, ccxt: only },
        ratio: 'none',
        notes: [
          `same script${speed.ok ? ` (${speed.value.restSetup})` : ''}; the target is ≥ ${REST_TARGET.toLocaleString('en-US')}/s`,
        ],
      },
    ],
    distributions: [],
  };
}
