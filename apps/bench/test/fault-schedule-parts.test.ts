import { decodeWebSocketMessage } from '@marketdata/adapters-upbit/wire';
import { type MarketCode, parseMarketCode, type StreamGap, silentLogger } from '@marketdata/domain';
import { startUpbitSim, type UpbitSim } from '@marketdata/upbit-sim';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { parseOptions, UsageError } from '../src/cli-options.js';
import { FaultObserver } from '../src/fault-schedule/fault-observer.js';
import { malformedTradeIdentity } from '../src/fault-schedule/malformed-trade.js';
import { QualityRing, type TickerSample } from '../src/fault-schedule/quality-ring.js';
import { MIN_FAULT_SCHEDULE_SECONDS, type PlannedFault, planFaultSchedule } from '../src/fault-schedule/schedule.js';
import { TickLedger } from '../src/fault-schedule/tick-ledger.js';

/** Upbit's `sequential_id` as the simulator builds it: trade time, then the sequence modulo 10 000. */
const sid = (tradeTimestamp: number, seq: number): string =>
  `${tradeTimestamp}${String(seq % 10_000).padStart(4, '0')}`;

const T0 = 1_764_000_000_000;
const BTC = 'KRW-BTC';
const ETH = 'KRW-ETH';
const gapOf = (startedAt: number, endedAt: number | undefined, symbols: readonly string[]): StreamGap => ({
  startedAt,
  endedAt,
  // The ledger works on wall times; the monotonic stamps only have to be consistent with them here.
  startedAtMonotonic: startedAt - T0,
  endedAtMonotonic: endedAt === undefined ? undefined : endedAt - T0,
  reason: 'connection closed (code 1006)',
  symbols: symbols.map((s) => parseMarketCode(s)) as readonly MarketCode[],
});

describe('--faults', () => {
  it('runs the fault schedule alone for 60 s, or for --soak seconds, and with rows when --only names them', () => {
    expect(parseOptions(['--faults'])).toMatchObject({ faults: true, soakSeconds: 60 });
    expect([...parseOptions(['--faults']).only]).toEqual([]);
    expect(parseOptions(['--soak', '600', '--faults']).soakSeconds).toBe(600);
    expect(parseOptions(['--quick', '--faults']).soakSeconds).toBe(60);
    expect([...parseOptions(['--faults', '--only', 'soak']).only]).toEqual(['soak']);
    expect(parseOptions([]).faults).toBe(false);
  });

  it('refuses a run too short for the schedule with a usage error', () => {
    expect(() => parseOptions(['--faults', '--soak', String(MIN_FAULT_SCHEDULE_SECONDS - 1)])).toThrow(UsageError);
  });

  it('runs with the default adapter settings unless another profile is named', () => {
    expect(parseOptions(['--faults']).faultsProfile).toBe('default');
    expect(parseOptions(['--faults', '--faults-profile', 'fast-failover']).faultsProfile).toBe('fast-failover');
    expect(() => parseOptions(['--faults', '--faults-profile', 'fastest'])).toThrow(UsageError);
    expect(() => parseOptions(['--faults', '--faults-profile'])).toThrow(UsageError);
  });
});

describe('planFaultSchedule', () => {
  const windows = (faults: readonly PlannedFault[]) =>
    faults.map((f) => ({ start: f.atSeconds, end: f.atSeconds + f.durationSeconds }));

  it('lays out the fault schedule over 60 s: drops every 20 s, a 5 s stall, one storm, one 418, one restart', () => {
    const plan = planFaultSchedule(60);
    const at = (kind: string) => plan.faults.filter((f) => f.kind === kind).map((f) => f.atSeconds);
    expect(at('drop')).toEqual([12, 32, 52]);
    expect(plan.faults.filter((f) => f.kind === 'stall').map((f) => [f.atSeconds, f.durationSeconds])).toEqual([
      [16, 5],
    ]);
    for (const kind of ['rate-limit-storm', 'forced-418', 'restart']) expect(at(kind)).toHaveLength(1);
    expect(plan.malformedRatio).toBe(0.01);
    for (const w of windows(plan.faults)) {
      expect(w.start).toBeGreaterThanOrEqual(plan.warmupSeconds);
      expect(w.end).toBeLessThanOrEqual(plan.seconds - plan.cooldownSeconds);
    }
  });

  it('keeps faults apart over ten minutes, so each recovery belongs to one fault', () => {
    const plan = planFaultSchedule(600);
    expect(plan.faults.filter((f) => f.kind === 'drop')).toHaveLength(27);
    expect(plan.faults.filter((f) => f.kind === 'stall')).toHaveLength(9);
    const sorted = windows(plan.faults).sort((a, b) => a.start - b.start);
    for (let i = 1; i < sorted.length; i++) {
      expect(sorted[i]?.start).toBeGreaterThan((sorted[i - 1]?.end ?? 0) + 2);
    }
  });

  it('starts the steady state once every kind of fault has happened, with room for the heap windows after it', () => {
    for (const seconds of [MIN_FAULT_SCHEDULE_SECONDS, 60, 600]) {
      const plan = planFaultSchedule(seconds);
      for (const kind of ['drop', 'stall', 'rate-limit-storm', 'forced-418', 'restart']) {
        const first = plan.faults.find((f) => f.kind === kind);
        expect(first, `${kind} in ${seconds} s`).toBeDefined();
        expect((first?.atSeconds ?? 0) + (first?.durationSeconds ?? 0)).toBeLessThan(plan.steadyFromSeconds);
      }
      expect(plan.seconds - plan.steadyFromSeconds).toBeGreaterThanOrEqual(10);
    }
    expect(planFaultSchedule(60).steadyFromSeconds).toBe(45);
  });

  it('refuses a run too short for the schedule', () => {
    expect(() => planFaultSchedule(MIN_FAULT_SCHEDULE_SECONDS - 1)).toThrow(RangeError);
  });
});

describe('TickLedger', () => {
  it('counts an unbroken sequence as delivered, across the 10 000 wrap of sequential_id', () => {
    const ledger = new TickLedger({ [BTC]: 9_998 }, T0);
    for (const [i, seq] of [9_999, 10_000, 10_001, 10_002].entries()) {
      ledger.recordTrade(BTC, sid(T0 + i, seq), T0 + i, T0 + i + 5);
    }
    const account = ledger.finish({ [BTC]: 10_002 }, T0 + 100);
    expect(account).toMatchObject({ sent: 4, delivered: 4, inGap: 0, malformedReported: 0, unexplained: 0 });
  });

  it('explains a loss by a gap of that symbol between the deliveries around it, and only then', () => {
    const ledger = new TickLedger({ [BTC]: 10, [ETH]: 50 }, T0);
    ledger.recordTrade(BTC, sid(T0, 10), T0, T0 + 1);
    ledger.recordTrade(ETH, sid(T0, 50), T0, T0 + 1);
    ledger.recordGap(gapOf(T0 + 100, undefined, [BTC]), T0 + 100);
    ledger.recordGap(gapOf(T0 + 100, T0 + 400, [BTC]), T0 + 400);
    ledger.recordTrade(BTC, sid(T0 + 390, 14), T0 + 390, T0 + 401); // 11..13 lost inside BTC's gap
    ledger.recordTrade(ETH, sid(T0 + 390, 53), T0 + 390, T0 + 402); // 51..52 lost, the gap does not name ETH
    const account = ledger.finish({ [BTC]: 14, [ETH]: 53 }, T0 + 500);
    expect(account).toMatchObject({ sent: 9, delivered: 4, inGap: 3, unexplained: 2 });
    expect(account.unexplainedExamples[0]).toMatch(/^KRW-ETH #51\.\.#52: lost between deliveries/);
  });

  it('explains a loss by a malformed frame of that trade, by code and trade time or by sequence', () => {
    const ledger = new TickLedger({ [BTC]: 1, [ETH]: 1 }, T0);
    ledger.recordTrade(BTC, sid(T0, 1), T0, T0 + 10);
    ledger.recordTrade(ETH, sid(T0, 1), T0, T0 + 10);
    // BTC #2 cut in half: code and trade time survive. ETH #2 lost its code: its sequence survives.
    ledger.recordMalformedTrade({ symbol: BTC, low4: undefined, tradeTimestamp: T0 + 20, receivedAt: T0 + 30 });
    ledger.recordMalformedTrade({ symbol: undefined, low4: 2, tradeTimestamp: T0 + 21, receivedAt: T0 + 31 });
    // A malformed BTC frame whose trade time is not between the neighbours' explains nothing.
    ledger.recordMalformedTrade({ symbol: BTC, low4: undefined, tradeTimestamp: T0 + 999, receivedAt: T0 + 32 });
    ledger.recordTrade(BTC, sid(T0 + 40, 4), T0 + 40, T0 + 50); // #2 and #3 missing
    ledger.recordTrade(ETH, sid(T0 + 40, 3), T0 + 40, T0 + 50); // #2 missing
    const account = ledger.finish({ [BTC]: 4, [ETH]: 3 }, T0 + 100);
    expect(account).toMatchObject({
      delivered: 4,
      malformedReported: 2,
      unexplained: 1,
      malformedTradeFramesUnmatched: 1,
    });
  });

  it('leaves a code-less malformed frame to a loss no gap explains', () => {
    const ledger = new TickLedger({ [BTC]: 9_999, [ETH]: 1 }, T0);
    ledger.recordTrade(BTC, sid(T0, 9_999), T0, T0 + 1);
    ledger.recordTrade(ETH, sid(T0, 1), T0, T0 + 1);
    // ETH #2 lost its code (its sequence ...0002 survives); BTC loses #10 000..#10 003 (…0002 among them) to a gap
    // that names BTC only. The gap explains BTC's loss; the frame is ETH's.
    ledger.recordMalformedTrade({ symbol: undefined, low4: 2, tradeTimestamp: T0 + 20, receivedAt: T0 + 25 });
    ledger.recordGap(gapOf(T0 + 30, undefined, [BTC]), T0 + 30);
    ledger.recordGap(gapOf(T0 + 30, T0 + 300, [BTC]), T0 + 300);
    ledger.recordTrade(BTC, sid(T0 + 290, 10_004), T0 + 290, T0 + 301);
    ledger.recordTrade(ETH, sid(T0 + 400, 3), T0 + 400, T0 + 401);
    const account = ledger.finish({ [BTC]: 10_004, [ETH]: 3 }, T0 + 500);
    expect(account).toMatchObject({ inGap: 4, malformedReported: 1, unexplained: 0 });
  });

  it('classifies what never arrived before the markets froze, and counts a symbol that delivered nothing', () => {
    const ledger = new TickLedger({ [BTC]: 5, [ETH]: 7 }, T0);
    ledger.recordTrade(BTC, sid(T0, 5), T0, T0 + 1);
    ledger.recordGap(gapOf(T0 + 50, undefined, [BTC, ETH]), T0 + 50);
    const account = ledger.finish({ [BTC]: 8, [ETH]: 9 }, T0 + 100);
    expect(account).toMatchObject({ symbols: 2, symbolsWithoutTrades: 1, sent: 6, delivered: 1, inGap: 5 });
  });

  it('refuses a repeated or backward sequence instead of counting it', () => {
    const ledger = new TickLedger({ [BTC]: 1 }, T0);
    ledger.recordTrade(BTC, sid(T0, 1), T0, T0 + 1);
    ledger.recordTrade(BTC, sid(T0, 1), T0, T0 + 2);
    ledger.recordTrade(BTC, sid(T0, 2), T0, T0 + 3);
    ledger.recordTrade(BTC, sid(T0, 1), T0, T0 + 4);
    expect(ledger.finish({ [BTC]: 2 }, T0 + 10)).toMatchObject({ sent: 2, delivered: 2, outOfOrder: 2 });
  });
});

describe('malformedTradeIdentity on frames the simulator broke', () => {
  let sim: UpbitSim | undefined;
  let socket: WebSocket | undefined;
  afterEach(async () => {
    socket?.terminate();
    await sim?.close();
    sim = undefined;
    socket = undefined;
  });

  it('reads the code, the sequence and the trade time that survive each kind of damage', async () => {
    sim = await startUpbitSim({ adminPort: false, logger: silentLogger, markets: ['KRW-XRP'], tradeRateScale: 20 });
    sim.control.setMalformedRatio(1);
    const ws = new WebSocket(sim.wsUrl);
    socket = ws;
    const frames: string[] = [];
    await new Promise<void>((resolve, reject) => {
      ws.once('error', reject);
      ws.on('message', (data: Buffer) => {
        if (frames.length < 60) frames.push(data.toString('utf8'));
        if (frames.length === 60) resolve();
      });
      ws.once('open', () =>
        ws.send(JSON.stringify([{ ticket: 't' }, { type: 'trade', codes: ['KRW-XRP'] }, { format: 'SIMPLE' }])),
      );
    });
    const identities = frames.flatMap((text) => {
      const found: ReturnType<typeof malformedTradeIdentity>[] = [];
      decodeWebSocketMessage(text, Date.now(), performance.now(), (frame) => {
        expect(frame.kind).toBe('malformed');
        if (frame.kind === 'malformed') found.push(malformedTradeIdentity(frame.frameKind, frame.sample));
      });
      return found;
    });
    expect(identities).toHaveLength(60);
    for (const identity of identities) {
      expect(identity).toBeDefined();
      expect([undefined, 'KRW-XRP']).toContain(identity?.symbol);
      // Every kind of damage leaves the code or the sequence, and the trade time.
      expect(identity?.symbol !== undefined || identity?.low4 !== undefined).toBe(true);
      expect(identity?.tradeTimestamp).toBeGreaterThan(Date.now() - 60_000);
    }
    // All three kinds of damage occurred: cut (no sequence), code removed (no code), number turned to text (both).
    expect(identities.some((i) => i?.low4 === undefined)).toBe(true);
    expect(identities.some((i) => i?.symbol === undefined)).toBe(true);
    expect(identities.some((i) => i?.symbol !== undefined && i.low4 !== undefined)).toBe(true);
  });
});

describe('FaultObserver', () => {
  const sample = (askedAt: number, source: TickerSample['source'], receivedAt: number): TickerSample => ({
    askedAt,
    symbolIndex: 0,
    source,
    quality: 'high',
    fromWebsocket: source !== 'rest',
    receivedAt,
  });

  it('counts high answers from the dead feed once the adapter knew, until the feed delivered again', () => {
    const ring = new QualityRing(16);
    const observer = new FaultObserver(ring, { symbolOf: () => BTC });
    observer.started({ type: 'fault-start', id: 1, kind: 'drop', startedAt: T0 });
    observer.lifted({ type: 'fault-end', id: 1, reachableAt: T0 });
    ring.record(sample(T0 + 5, 'cache', T0 - 50)); // before the adapter noticed (at +10)
    ring.record(sample(T0 + 20, 'cache', T0 - 50)); // violation: a cached WebSocket value
    ring.record(sample(T0 + 30, 'websocket', T0 - 50)); // violation
    ring.record(sample(T0 + 40, 'rest', T0 + 35)); // fresh from REST: no violation
    ring.record(sample(T0 + 190, 'websocket', T0 + 210)); // asked before, received after the feed came back
    ring.record(sample(T0 + 300, 'websocket', T0 - 50)); // after recovery: not judged
    observer.update(T0 + 100, [{ startedAt: T0 + 10, noticedAt: T0 + 10, endedAt: undefined, reason: 'x' }]);
    expect(observer.feedFaultActive()).toBe(true);
    observer.update(T0 + 300, [{ startedAt: T0 + 10, noticedAt: T0 + 10, endedAt: T0 + 200, reason: 'x' }]);
    expect(observer.feedFaultActive()).toBe(false);
    const [fault] = observer.observations();
    expect(fault).toMatchObject({
      recoveredAt: T0 + 200,
      gapRecorded: true,
      highFromDeadFeed: 2,
      highBeforeNoticed: 1,
    });
    expect(fault?.deadFeedSamples).toBe(4);
    expect(observer.summary()).toMatchObject({ highFromDeadFeed: 2, highFromRestDuringFaults: 1 });
  });

  it('judges a feed fault the adapter never noticed from its very start', () => {
    const ring = new QualityRing(16);
    const observer = new FaultObserver(ring, { symbolOf: () => BTC });
    observer.started({ type: 'fault-start', id: 1, kind: 'stall', startedAt: T0 });
    observer.lifted({ type: 'fault-end', id: 1, reachableAt: T0 + 5_000 });
    ring.record(sample(T0 + 100, 'websocket', T0 - 10));
    observer.update(T0 + 11_000, []);
    expect(observer.observations()[0]).toMatchObject({
      gapRecorded: false,
      recoveredAt: undefined,
      highFromDeadFeed: 1,
    });
  });
});
