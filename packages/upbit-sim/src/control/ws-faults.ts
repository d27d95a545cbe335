import { configError } from '../config-error.js';
import { checkCount, checkErrorStatus } from './fault-state.js';
import { retryAfterText } from './retry-after.js';

/**
 * How `breakWsConnects` breaks WebSocket upgrade requests at the TCP level (REST on the same port is untouched):
 * `reset` answers with a TCP RST (the client sees ECONNRESET), `close` closes the socket without an HTTP answer
 * (a FIN: "socket hang up"), `hang` reads the request and never answers (the client's own timeout must fire).
 */
export type WsConnectBreak = 'reset' | 'close' | 'hang';
export const WS_CONNECT_BREAKS: readonly WsConnectBreak[] = ['reset', 'close', 'hang'];

export interface WsUpgradeFailure {
  readonly status: number;
  readonly retryAfter: string | undefined;
}

export interface SubscriptionRejection {
  readonly name: string;
  readonly message: string;
  /** Close with 1000 after the error frame (as Upbit does after its own error frames). */
  readonly close: boolean;
}

interface Counted<T> {
  readonly value: T;
  remaining: number;
}

/** WebSocket faults for the chaos suite, switched through SimControl and read by the WebSocket hub. */
export class WsFaults {
  private upgradeFailure: Counted<WsUpgradeFailure> | undefined;
  private connectBreak: Counted<WsConnectBreak> | undefined;
  subscriptionRejection: SubscriptionRejection | undefined;

  /** The next `count` upgrade requests are answered with `status` (and `Retry-After`, when given). */
  failUpgrades(status: number, count: number, retryAfter?: string | number): void {
    checkErrorStatus(status);
    checkCount(count);
    const header = retryAfterText(retryAfter);
    this.upgradeFailure = count === 0 ? undefined : { value: { status, retryAfter: header }, remaining: count };
  }

  takeUpgradeFailure(): WsUpgradeFailure | undefined {
    const entry = this.upgradeFailure;
    if (entry !== undefined && --entry.remaining <= 0) this.upgradeFailure = undefined;
    return entry?.value;
  }

  breakConnects(mode: WsConnectBreak | 'off', count: number): void {
    if (mode !== 'off' && !WS_CONNECT_BREAKS.includes(mode)) {
      throw configError('mode', `mode must be one of off, ${WS_CONNECT_BREAKS.join(', ')}`, mode);
    }
    checkCount(count);
    this.connectBreak = mode === 'off' || count === 0 ? undefined : { value: mode, remaining: count };
  }

  takeConnectBreak(): WsConnectBreak | undefined {
    const entry = this.connectBreak;
    if (entry !== undefined && --entry.remaining <= 0) this.connectBreak = undefined;
    return entry?.value;
  }

  rejectSubscriptions(rejection: SubscriptionRejection | undefined): void {
    if (rejection !== undefined) {
      if (typeof rejection.name !== 'string' || rejection.name === '') {
        throw configError('name', 'the error name must be a non-empty string', rejection.name);
      }
      if (typeof rejection.message !== 'string') {
        throw configError('message', 'the error message must be a string', rejection.message);
      }
    }
    this.subscriptionRejection = rejection;
  }
}
