import type { SimCounters } from '@marketdata/upbit-sim';
import type { SimControlCall } from '../sim/protocol.js';
import type { RemoteSim } from '../sim/sim-client.js';
import { sleepMs } from '../system-clock.js';
import type { FaultLifted, FaultStarted } from './protocol.js';
import type { InjectedFault } from './report.js';
import type { PlannedFault } from './schedule.js';

/**
 * The REST groups the forced answers go to: the storm to the one `getTicker` uses; the 418 to the order book group,
 * because after a 418 our client rightly sends nothing to that group for a minute, and after a storm it pauses the
 * group too: the two would otherwise hide each other within a short run.
 */
const STORM_GROUP = 'ticker';
const BLOCK_GROUP = 'orderbook';
/** A storm answers 429 to every ticker request until it is called off (far more than can arrive meanwhile). */
const STORM_COUNT = 1_000_000;

const call = (method: string, ...args: readonly unknown[]): SimControlCall => ({ method, args });

const requests = (counters: unknown, group: string): number => (counters as SimCounters).requestsByGroup[group] ?? 0;

/**
 * Applies the scheduled faults to the simulator and tells the consumer when each began and when the server was
 * reachable again, in the simulator's own time. Forced REST answers are counted exactly: the simulator answers a
 * forced status before anything else, so every ticker request between forcing and calling off got it, and the
 * counters are read in the same synchronous batch as the forcing.
 */
export class FaultDriver {
  private nextId = 1;
  private forced429 = 0;
  /** Order book requests counted when the 418 was forced; the first one after it got the 418. */
  private requestsAt418: number | undefined;

  constructor(
    private readonly sim: RemoteSim,
    private readonly tell: (message: FaultStarted | FaultLifted) => void,
  ) {}

  async apply(fault: PlannedFault): Promise<InjectedFault> {
    const id = this.nextId++;
    switch (fault.kind) {
      case 'drop': {
        const batch = await this.sim.batch([call('dropConnections')]);
        return this.instant(id, fault, batch.startedAt, 'every WebSocket closed without a close frame');
      }
      case 'stall': {
        const on = await this.sim.batch([call('stall', true)]);
        this.tell({ type: 'fault-start', id, kind: fault.kind, startedAt: on.startedAt });
        await sleepMs(fault.durationSeconds * 1000);
        const off = await this.sim.batch([call('stall', false)]);
        return this.lifted(id, fault, on.startedAt, off.startedAt, `${fault.durationSeconds} s`);
      }
      case 'restart': {
        const stop = await this.sim.batch([call('stop')]);
        this.tell({ type: 'fault-start', id, kind: fault.kind, startedAt: stop.startedAt });
        await sleepMs(fault.durationSeconds * 1000);
        // Reachable once the server listens again: the end of the `start` call.
        const start = await this.sim.batch([call('start')]);
        return this.lifted(id, fault, stop.startedAt, start.finishedAt, `${fault.durationSeconds} s down`);
      }
      case 'rate-limit-storm': {
        const on = await this.sim.batch([call('counters'), call('failRest', STORM_GROUP, 429, STORM_COUNT)]);
        this.tell({ type: 'fault-start', id, kind: fault.kind, startedAt: on.startedAt });
        await sleepMs(fault.durationSeconds * 1000);
        const off = await this.sim.batch([call('failRest', STORM_GROUP, 429, 0), call('counters')]);
        const answered = requests(off.results[1], STORM_GROUP) - requests(on.results[0], STORM_GROUP);
        this.forced429 += answered;
        return this.lifted(
          id,
          fault,
          on.startedAt,
          off.startedAt,
          `${fault.durationSeconds} s, ${answered} ticker requests answered 429`,
        );
      }
      case 'forced-418': {
        const batch = await this.sim.batch([call('counters'), call('failRest', BLOCK_GROUP, 418, 1)]);
        this.requestsAt418 = requests(batch.results[0], BLOCK_GROUP);
        return this.instant(id, fault, batch.startedAt, 'to the next order book request');
      }
    }
  }

  get forced429Count(): number {
    return this.forced429;
  }

  /** How many forced 418s were served, given the counters read (with the leftover called off) at the end. */
  forced418Count(endCounters: unknown): number {
    if (this.requestsAt418 === undefined) return 0;
    return Math.min(1, requests(endCounters, BLOCK_GROUP) - this.requestsAt418);
  }

  /** The calls that end the run: call off a 418 nobody took, then read the counters. */
  static endCalls(): readonly SimControlCall[] {
    return [call('failRest', BLOCK_GROUP, 418, 0), call('counters')];
  }

  private instant(id: number, fault: PlannedFault, at: number, detail: string): InjectedFault {
    this.tell({ type: 'fault-start', id, kind: fault.kind, startedAt: at });
    return this.lifted(id, fault, at, at, detail);
  }

  private lifted(id: number, fault: PlannedFault, startedAt: number, reachableAt: number, detail: string) {
    this.tell({ type: 'fault-end', id, reachableAt });
    return { id, kind: fault.kind, atSeconds: fault.atSeconds, startedAt, reachableAt, detail };
  }
}
