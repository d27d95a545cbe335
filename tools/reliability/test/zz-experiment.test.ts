import { connect } from 'node:net';
import { it } from 'vitest';
import { startSimContainer } from './support/sim-container.js';

function tryConnect(port: number, t0: number): Promise<string> {
  const started = Date.now() - t0;
  return new Promise((resolve) => {
    const s = connect({ host: '127.0.0.1', port });
    const timer = setTimeout(() => { s.destroy(); resolve(`${started}: timeout`); }, 3000);
    s.on('connect', () => { clearTimeout(timer); s.destroy(); resolve(`${started}: connected after ${Date.now() - t0 - started}`); });
    s.on('error', (e: NodeJS.ErrnoException) => { clearTimeout(timer); resolve(`${started}: ${e.code} after ${Date.now() - t0 - started}`); });
  });
}

it('experiment', async () => {
  const sim = await startSimContainer({ pinHostPorts: true });
  const port = Number(new URL(sim.restUrl).port);
  const t0 = Date.now();
  const probes: Promise<string>[] = [];
  const iv = setInterval(() => probes.push(tryConnect(port, t0)), 50);
  await sim.restart();
  const restarted = Date.now() - t0;
  await new Promise((r) => setTimeout(r, 300));
  clearInterval(iv);
  console.log('restarted at', restarted, '\n' + (await Promise.all(probes)).join('\n'));
  const t1 = Date.now();
  const p2: Promise<string>[] = [];
  await sim.stop();
  const stopped = Date.now() - t1;
  const iv2 = setInterval(() => p2.push(tryConnect(port, t1)), 50);
  await new Promise((r) => setTimeout(r, 500));
  const startCalled = Date.now() - t1;
  await sim.start();
  const startedAt = Date.now() - t1;
  await new Promise((r) => setTimeout(r, 300));
  clearInterval(iv2);
  console.log('stopped', stopped, 'start called', startCalled, 'started', startedAt, '\n' + (await Promise.all(p2)).join('\n'));
  await sim.close();
}, 60000);
