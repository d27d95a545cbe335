import { connect } from '@nats-io/transport-node';
import { Kvm } from '@nats-io/kv';
import { jetstreamManager } from '@nats-io/jetstream';
import { spawn } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
const port = 14333;
const srv = spawn('/usr/sbin/nats-server', ['-js', '-a', '127.0.0.1', '-p', String(port), '-sd', '/tmp/proto-js'], { stdio: 'ignore' });
await sleep(500);
const nc = await connect({ servers: `nats://127.0.0.1:${port}` });
console.log('info', nc.info.version, nc.info.headers, nc.info.max_payload);
const kvm = new Kvm(nc);
const kv = await kvm.create('md_upbit', { history: 1, storage: 'memory' });
console.log('direct', kv.direct, kv.stream);
const enc = new TextEncoder();
for (let i = 0; i < 250; i++) nc.publish(`$KV.md_upbit.ticker.KRW-C${i}`, enc.encode(JSON.stringify({ i })));
await nc.flush();
const nc2 = await connect({ servers: `nats://127.0.0.1:${port}` });
const kv2 = await new Kvm(nc2).open('md_upbit');
let t = performance.now();
const es = await Promise.all(Array.from({ length: 250 }, (_, i) => kv2.get(`ticker.KRW-C${i}`)));
console.log('250 gets ms', performance.now() - t, es[3]?.string(), es[3]?.created);
t = performance.now();
const w = await kv2.watch({ key: 'ticker.>' });
let n = 0;
for await (const e of w) { n++; if (e.delta === 0) break; }
console.log('watch ms', performance.now() - t, n);
console.log(await kv2.get('ticker.NONE'));
// no responders
try { await nc2.request('md.x', 'a', { timeout: 1000 }); } catch (e) { console.log('noresp', e.name, e.message, e.constructor.name); }
// reply mux with headers
const sub = nc2.subscribe('_INBOX.test.*', { callback: (err, m) => console.log('inbox', m.subject, m.headers?.code, m.headers?.status, m.data.length) });
nc2.publish('md.nobody', 'x', { reply: '_INBOX.test.1' });
await sleep(200);
await nc.close(); await nc2.close(); srv.kill();
