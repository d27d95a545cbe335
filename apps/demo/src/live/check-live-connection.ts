import type { UpbitEndpoints } from '../config/demo-config.js';
import { type ProbeDependencies, probeEndpoint } from './probe-endpoint.js';
import { type UnreachableEndpoint, UpbitUnreachableError } from './upbit-unreachable-error.js';

/**
 * Checks that both Upbit endpoints answer before anything else starts (REST: DNS, TCP, TLS; WebSocket: the same
 * plus the upgrade). Both are probed at once, so the whole check takes at most `timeoutMs`.
 * Throws `UpbitUnreachableError` naming each host and cause.
 */
export async function checkLiveConnection(endpoints: UpbitEndpoints, deps: ProbeDependencies): Promise<void> {
  const [rest, websocket] = await Promise.all([
    probeEndpoint({ url: endpoints.restUrl, websocketUpgrade: false }, deps),
    probeEndpoint({ url: endpoints.wsUrl, websocketUpgrade: true }, deps),
  ]);
  const failures: UnreachableEndpoint[] = [];
  if (!rest.ok) failures.push({ channel: 'REST', url: rest.url, host: rest.host, cause: rest.cause });
  if (!websocket.ok) {
    failures.push({ channel: 'WebSocket', url: websocket.url, host: websocket.host, cause: websocket.cause });
  }
  if (failures.length > 0) throw new UpbitUnreachableError(failures);
}
