/** Where along the way to the host a connection attempt was when it failed. */
export type ProbeStage = 'dns' | 'connect' | 'tls' | 'upgrade';

const STAGE_TEXT: Readonly<Record<ProbeStage, string>> = {
  dns: 'during the DNS lookup',
  connect: 'while opening the TCP connection',
  tls: 'during the TLS handshake',
  upgrade: 'waiting for the WebSocket upgrade answer',
};

export function describeStage(stage: ProbeStage): string {
  return STAGE_TEXT[stage];
}

function field(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined;
}

/** The first string `code` along the cause chain (fetch and ky wrap socket errors). */
export function errorCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 6 && current !== undefined && current !== null; depth++) {
    const code = field(current, 'code');
    if (typeof code === 'string') return code;
    current = field(current, 'cause');
  }
  return undefined;
}

function deepestMessage(error: unknown): string {
  let message = error instanceof Error ? error.message : String(error);
  let current: unknown = field(error, 'cause');
  for (let depth = 0; depth < 6 && current instanceof Error; depth++) {
    message = current.message;
    current = current.cause;
  }
  return message;
}

/**
 * A short human cause for a failed connection: "DNS lookup failed (ENOTFOUND)", "connection refused",
 * "TLS handshake failed (CERT_HAS_EXPIRED: ...)". The stage disambiguates codes such as ECONNRESET.
 */
export function describeNetworkCause(error: unknown, stage: ProbeStage | undefined): string {
  const code = errorCode(error);
  const detail = deepestMessage(error);
  switch (code) {
    case 'ENOTFOUND':
      return 'DNS lookup failed: host not found (ENOTFOUND)';
    case 'EAI_AGAIN':
      return 'DNS lookup failed: temporary resolver failure (EAI_AGAIN)';
    case 'ECONNREFUSED':
      return 'connection refused (ECONNREFUSED)';
    case 'ECONNRESET':
      return stage === undefined
        ? 'connection reset by the peer (ECONNRESET)'
        : `connection reset by the peer ${describeStage(stage)} (ECONNRESET)`;
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
    case 'ENETDOWN':
      return `network unreachable (${code})`;
    case 'ETIMEDOUT':
      return 'connection timed out (ETIMEDOUT)';
    default:
      break;
  }
  if (
    stage === 'tls' ||
    (code !== undefined && /^(ERR_SSL|ERR_TLS|CERT_|UNABLE_TO|DEPTH_ZERO|SELF_SIGNED)/.test(code))
  ) {
    return `TLS handshake failed (${code ?? 'no code'}: ${detail})`;
  }
  if (stage === 'dns') return `DNS lookup failed (${code ?? detail})`;
  return code === undefined ? detail : `${detail} (${code})`;
}
