export const SIM_HINT = 'No live data can be shown. To run the same demo against the local simulator: pnpm demo --sim';

export interface UnreachableEndpoint {
  /** 'REST' or 'WebSocket'. */
  readonly channel: string;
  readonly url: string;
  readonly host: string;
  readonly cause: string;
}

function describe(endpoints: readonly UnreachableEndpoint[]): string[] {
  const lines: string[] = [];
  const groups = new Map<string, UnreachableEndpoint[]>();
  for (const endpoint of endpoints) {
    const key = `${endpoint.host}\u0000${endpoint.cause}`;
    groups.set(key, [...(groups.get(key) ?? []), endpoint]);
  }
  for (const group of groups.values()) {
    const first = group[0];
    if (first === undefined) continue;
    const where = group.map((endpoint) => `${endpoint.channel} ${endpoint.url}`).join(', ');
    lines.push(`Cannot reach Upbit at ${first.host}: ${first.cause} (${where}).`);
  }
  return lines;
}

/** Live Upbit cannot be reached: names each host and cause, and points at `--sim`. Exit code 1. */
export class UpbitUnreachableError extends Error {
  readonly endpoints: readonly UnreachableEndpoint[];
  constructor(endpoints: readonly UnreachableEndpoint[], options?: ErrorOptions) {
    super([...describe(endpoints), SIM_HINT].join('\n'), options);
    this.name = 'UpbitUnreachableError';
    this.endpoints = endpoints;
  }
}
