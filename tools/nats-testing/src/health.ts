import { request } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';

/** nats-server's monitoring endpoint that answers 200 once the server (and JetStream, when enabled) is ready. */
export const HEALTH_PATH = '/healthz';

/** One GET of `url` on a fresh connection, bounded by `timeoutMs`: the status code, or why there was none. */
function getStatus(url: string, timeoutMs: number): Promise<number | string> {
  return new Promise((resolve) => {
    const signal = AbortSignal.timeout(timeoutMs);
    const req = request(url, { agent: false, signal, headers: { connection: 'close' } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
      res.on('error', (error) => resolve(String(error)));
    });
    req.on('error', (error) => resolve(signal.aborted ? 'timeout' : String(error)));
    req.end();
  });
}

/**
 * Polls the monitoring `/healthz` until it answers 200 or `deadlineMs` passes, then throws with the last answer.
 * `gaveUp` ends the wait early with its own reason (the process exited, say).
 */
export async function waitUntilHealthy(
  monitorUrl: string,
  deadlineMs: number,
  gaveUp: () => string | undefined = () => undefined,
): Promise<void> {
  const deadline = AbortSignal.timeout(deadlineMs);
  let last: number | string = 'no answer yet';
  while (!deadline.aborted) {
    const reason = gaveUp();
    if (reason !== undefined) throw new Error(`nats-server is not healthy: ${reason}`);
    last = await getStatus(`${monitorUrl}${HEALTH_PATH}`, 500);
    if (last === 200) return;
    await sleep(50);
  }
  throw new Error(`nats-server did not answer ${HEALTH_PATH} with 200 within ${deadlineMs} ms (last: ${last})`);
}
