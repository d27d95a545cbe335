import { connect } from '@nats-io/transport-node';
import { Kvm } from '@nats-io/kv';
import { startNatsProcess } from '@marketdata/nats-testing';
const nats = await startNatsProcess();
const nc = await connect({ servers: nats.url });
const kv = await new Kvm(nc).create('b', { history: 1, storage: 'memory' });
const payload = new TextEncoder().encode('x'.repeat(600));
for (let i = 0; i < 255; i++) nc.publish(`$KV.b.ticker.KRW-C${i}`, payload);
await nc.flush();
for (let round = 0; round < 3; round++) {
  const nc2 = await connect({ servers: nats.url });
  let t = performance.now();
  const kv2 = await new Kvm(nc2).open('b');
  const tOpen = performance.now() - t;
  t = performance.now();
  await Promise.all(Array.from({ length: 250 }, (_, i) => kv2.get(`ticker.KRW-C${i}`)));
  const tGets = performance.now() - t;
  t = performance.now();
  const w = await kv2.watch({ key: 'ticker.>' });
  let n = 0;
  for await (const e of w) { n++; if (e.delta === 0) break; }
  const tWatch = performance.now() - t;
  console.log({ tOpen: tOpen.toFixed(1), tGets: tGets.toFixed(1), tWatch: tWatch.toFixed(1), n });
  await nc2.close();
}
await nc.close(); await nats.stop();
