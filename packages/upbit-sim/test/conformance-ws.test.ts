import { fixtureLines, fixtureText, pythonReprToJson } from '@marketdata/fixtures';
import { afterEach, describe, expect, it } from 'vitest';
import { advanceUntil, closeAll, type Harness, startFakeSim, WsProbe } from './helpers.js';
import { compareSpelling, keyPaths, type Shape, type Spelling, shapeOf } from './json-shape.js';

/**
 * Conformance of every WebSocket payload kind, in every format, with the recorded frames: key set, JSON types,
 * number spelling; SIMPLE abbreviations (trade `td`, ticker `tdt`); binary frames; error frames byte for byte.
 */
type Recorded = { shape: Shape; spelling: Spelling };

/** Paths of a list frame (`$[].x`) compared as those of a single frame (`$.x`). */
function single(shape: Shape): Shape {
  const out: Shape = new Map();
  for (const [path, leaves] of shape) {
    if (path === '$' || path === '$[]') continue;
    const key = path.startsWith('$[]') ? `$${path.slice(3)}` : path;
    out.set(key, [...(out.get(key) ?? []), ...leaves]);
  }
  return out;
}

function recorded(name: string, spelling: Spelling): Recorded {
  return { shape: single(shapeOf(fixtureText(name))), spelling };
}

function pyrepr(name: string): Recorded {
  const shape: Shape = new Map();
  for (const line of fixtureLines(name)) {
    for (const [path, leaves] of single(shapeOf(pythonReprToJson(line)))) {
      shape.set(path, [...(shape.get(path) ?? []), ...leaves]);
    }
  }
  return { shape, spelling: 'python' };
}

function keysOf(shape: Shape): string[] {
  return keyPaths(shape).filter((path) => path !== '$');
}

let harness: Harness;

afterEach(closeAll);

/** Frames of one type and format: the snapshot plus a few realtime ones. */
async function frames(type: string, code: string, format: string): Promise<{ texts: string[]; binary: boolean[] }> {
  harness = await startFakeSim();
  const probe = await WsProbe.connect(harness.sim.wsUrl);
  probe.send([{ ticket: 'conformance' }, { type, codes: [code] }, { format }]);
  await probe.waitForCount(1);
  await harness.clock.advanceAsync(3_000);
  await probe.waitForCount(4);
  return { texts: probe.messages.map((m) => m.text), binary: probe.messages.map((m) => m.binary) };
}

function merged(texts: readonly string[]): Shape {
  const shape: Shape = new Map();
  for (const text of texts) {
    for (const [path, leaves] of single(shapeOf(text))) shape.set(path, [...(shape.get(path) ?? []), ...leaves]);
  }
  return shape;
}

describe('WebSocket conformance with the recorded frames', () => {
  it('ticker DEFAULT: the current recorded key set and spelling, SNAPSHOT then REALTIME, binary frames', async () => {
    const { texts, binary } = await frames('ticker', 'KRW-BTC', 'DEFAULT');
    expect(binary.every(Boolean)).toBe(true);
    const current = recorded('ws-ticker-default.json', 'exact');
    const shape = merged(texts);
    expect(keysOf(shape)).toEqual(keysOf(current.shape));
    const first = JSON.parse(texts[0] as string) as Record<string, unknown>;
    expect(Object.keys(first)).toEqual(Object.keys(JSON.parse(fixtureText('ws-ticker-default.json')) as object));
    expect(compareSpelling(shape, [current, recorded('ws-ticker-default-2021.json', 'exact')])).toEqual([]);
    expect(texts.map((t) => (JSON.parse(t) as { stream_type: string }).stream_type)).toEqual([
      'SNAPSHOT',
      ...texts.slice(1).map(() => 'REALTIME'),
    ]);
  });

  it('ticker SIMPLE: the live abbreviations (tdt, not td) and spelling', async () => {
    const { texts } = await frames('ticker', 'KRW-BTC', 'SIMPLE');
    const live = pyrepr('ws-ticker-simple-2019-pyrepr.txt');
    const docs = recorded('ws-ticker-simple.json', 'exact');
    const shape = merged(texts);
    // The 2019 live frame minus the two fields Upbit has since dropped (trade_status, market_state_for_ios).
    const expected = keysOf(live.shape).filter((path) => path !== '$.ts' && path !== '$.msfi');
    expect(keysOf(shape)).toEqual(expected);
    expect(keysOf(docs.shape).every((path) => shape.has(path))).toBe(true);
    expect(shape.has('$.tdt')).toBe(true);
    expect(shape.has('$.td')).toBe(false);
    expect(compareSpelling(shape, [docs, live])).toEqual([]);
  });

  it('trade DEFAULT: the recorded key set with best_* fields, sequential_id beyond 2^53', async () => {
    const { texts } = await frames('trade', 'KRW-BTC', 'DEFAULT');
    const docs = recorded('ws-trade-json-list-docs.json', 'exact');
    const shape = merged(texts);
    expect(keysOf(shape)).toEqual(keysOf(docs.shape));
    expect(compareSpelling(shape, [docs, recorded('ws-trade-default-2021.json', 'exact')])).toEqual([]);
    for (const leaf of shape.get('$.sequential_id') ?? []) expect(BigInt(leaf.raw) > 2n ** 53n).toBe(true);
  });

  it('trade SIMPLE: `td` for the trade date (not `tdt`), the live keys plus the documented best_* ones', async () => {
    const { texts } = await frames('trade', 'KRW-BTC', 'SIMPLE');
    const live = pyrepr('ws-trade-simple-2019-pyrepr.txt');
    const shape = merged(texts);
    expect(keysOf(shape)).toEqual([...keysOf(live.shape), '$.bap', '$.bas', '$.bbp', '$.bbs'].sort());
    expect(shape.has('$.td')).toBe(true);
    expect(shape.has('$.tdt')).toBe(false);
    expect(compareSpelling(shape, [live])).toEqual([]);
  });

  it('orderbook DEFAULT: exponent prices, scale-8 sizes, as the live frame', async () => {
    const { texts } = await frames('orderbook', 'KRW-BTC', 'DEFAULT');
    const live = recorded('ws-orderbook-default-snapshot.json', 'exact');
    const shape = merged(texts);
    expect(keysOf(shape)).toEqual(keysOf(live.shape));
    expect(compareSpelling(shape, [live])).toEqual([]);
    expect(shape.get('$.orderbook_units[].ask_price')?.every((leaf) => /^\d\.\d+E\d+$/.test(leaf.raw))).toBe(true);
    expect((JSON.parse(texts[0] as string) as { orderbook_units: unknown[] }).orderbook_units).toHaveLength(30);
  });

  it('orderbook SIMPLE: plain prices, Java-double sizes, as the live frame', async () => {
    const { texts } = await frames('orderbook', 'KRW-BTC', 'SIMPLE');
    const live = recorded('ws-orderbook-simple.json', 'exact');
    const shape = merged(texts);
    expect(keysOf(shape)).toEqual(keysOf(live.shape));
    expect(
      compareSpelling(shape, [
        live,
        pyrepr('ws-orderbook-simple-2019-pyrepr.txt'),
        recorded('ws-orderbook-simple-list-docs.json', 'exact'),
      ]),
    ).toEqual([]);
  });

  it('JSON_LIST and SIMPLE_LIST: one-element lists of the DEFAULT and SIMPLE objects', async () => {
    const list = await frames('trade', 'KRW-BTC', 'JSON_LIST');
    const docs = shapeOf(fixtureText('ws-trade-json-list-docs.json'));
    for (const text of list.texts) {
      const parsed = JSON.parse(text) as unknown[];
      expect(Array.isArray(parsed)).toBe(true);
      expect(parsed).toHaveLength(1);
      expect(keyPaths(shapeOf(text))).toEqual(keyPaths(docs));
    }
    await closeAll();
    const simpleList = await frames('orderbook', 'KRW-BTC', 'SIMPLE_LIST');
    const docsList = shapeOf(fixtureText('ws-orderbook-simple-list-docs.json'));
    for (const text of simpleList.texts) {
      // The docs example omits `st`; the live SIMPLE frame has it.
      const paths = keyPaths(shapeOf(text)).filter((path) => path !== '$[].st');
      expect(paths).toEqual(keyPaths(docsList));
    }
  });

  it('error frames and the UP status are the recorded bytes', async () => {
    harness = await startFakeSim({ rateLimits: false });
    const cases: [unknown, string][] = [
      [[{ type: 'ticker', codes: ['KRW-BTC'] }], 'ws-error-no-ticket.json'],
      [[{ ticket: 't' }, { type: 'nope', codes: ['KRW-BTC'] }], 'ws-error-invalid-param.json'],
      ['hello', 'ws-error-wrong-format.json'],
      [{ ticket: 't' }, 'ws-error-wrong-format.json'],
    ];
    for (const [request, name] of cases) {
      const probe = await WsProbe.connect(harness.sim.wsUrl);
      probe.send(request);
      await probe.waitForCount(1);
      expect(probe.messages[0]?.text).toBe(fixtureText(name).trim());
      expect(await probe.waitForClose()).toBe(1000);
    }
    const probe = await WsProbe.connect(harness.sim.wsUrl);
    probe.send('PING');
    await advanceUntil(harness.clock, () => probe.messages.length >= 1, 1_000);
    expect(probe.messages[0]?.text).toBe(fixtureText('ws-status-up.json').trim());
  });
});
