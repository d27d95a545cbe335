import type { MarketCode, Trade } from '@marketdata/domain';
import { describe, expect, it } from 'vitest';
import { PAGE_RECORDS } from '../src/source/fleet-rest-source.js';
import { trade } from '../src/testing/sample-records.js';
import { FleetHarness, testSubjects } from '../src/testing.js';
import { decodeRequest, encodeReply } from '../src/wire/rpc.js';

const BTC = 'KRW-BTC' as MarketCode;

describe('the fleet REST source pages what one answer cannot carry', () => {
  it('asks for more than a page of trades page by page, each continuing from the oldest trade had', async () => {
    const h = new FleetHarness();
    h.link.up();
    const rest = h.restSource([BTC]);
    // The gateway's side: 2,300 trades exist, newest first, sequential ids 2300 down to 1.
    const asked: { count: number | undefined; cursor: string | undefined }[] = [];
    h.link.answer = async (subject, payload) => {
      expect(subject).toBe(testSubjects.rpc('getTrades'));
      const { args } = decodeRequest('getTrades', payload);
      asked.push({ count: args.count, cursor: args.cursor });
      const before = args.cursor === undefined ? 2_301 : Number(args.cursor);
      const ids = Array.from({ length: Math.min(args.count ?? 1, before - 1) }, (_, i) => before - 1 - i);
      const page: Trade[] = ids.map((id) => trade({ symbol: BTC, sequentialId: String(id) }));
      return { data: encodeReply('getTrades', { ok: true, value: page }, 0), arrivedAtMonotonic: 0 };
    };
    const trades = await rest.getTrades(BTC, { count: 2_500 });
    expect(asked).toEqual([
      { count: PAGE_RECORDS, cursor: undefined },
      { count: PAGE_RECORDS, cursor: '1301' },
      { count: 500, cursor: '301' },
    ]);
    expect(trades.length).toBe(2_300);
    expect(new Set(trades.map((t) => t.sequentialId)).size).toBe(2_300);
    expect(trades.at(-1)?.sequentialId).toBe('1');
    await rest.close();
    await h.source.close();
  });
});
