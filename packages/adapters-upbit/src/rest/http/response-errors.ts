import {
  AuthenticationError,
  type MarketDataError,
  UnknownSymbolError,
  UpstreamError,
  type UpstreamErrorOptions,
} from '@marketdata/domain';
import { parseUpbitErrorBody } from '../../shared/upbit-error-body.js';

export interface ResponseErrorContext {
  readonly operation: string;
  /** The market codes the request named; a 404 `Code not found` for exactly one of them is `UnknownSymbolError`. */
  readonly symbols: readonly string[];
}

/** What Upbit said in an error body: its JSON `error.name`/`error.message`, or the plain text (the 429 body). */
export interface UpstreamSaid {
  readonly name: string | number | undefined;
  readonly message: string | undefined;
}

export function readUpstreamSaid(bodyText: string): UpstreamSaid {
  const parsed = parseUpbitErrorBody(bodyText);
  if (parsed !== undefined) return parsed;
  const text = bodyText.trim();
  return { name: undefined, message: text === '' ? undefined : text.slice(0, 300) };
}

/**
 * A 404 for an unknown market. Observed body: `{"error":{"name":404,"message":"Code not found"}}`; an unrouted path
 * answers `{"error":{"name":"not_found",...}}` instead, which is not about a market.
 */
export function isCodeNotFound(status: number, said: UpstreamSaid): boolean {
  return status === 404 && (said.name === 404 || said.name === '404' || said.message === 'Code not found');
}

function describe(status: number, said: UpstreamSaid): string {
  const name = said.name === undefined ? '' : ` ${String(said.name)}`;
  const message = said.message === undefined ? '' : `: ${said.message}`;
  return `Upbit answered HTTP ${status}${name}${message}`;
}

/**
 * The error for a final non-2xx answer other than 429/418 (those are handled by the pacer). Upbit's own `name` and
 * `message` are kept verbatim on the error.
 */
export function errorFromResponse(status: number, bodyText: string, context: ResponseErrorContext): MarketDataError {
  const said = readUpstreamSaid(bodyText);
  const options: UpstreamErrorOptions = {
    channel: 'rest',
    operation: context.operation,
    status,
    upstreamName: said.name,
    upstreamMessage: said.message,
  };
  const [only] = context.symbols;
  if (isCodeNotFound(status, said) && context.symbols.length === 1 && only !== undefined) {
    return new UnknownSymbolError(only, options);
  }
  if (status === 401) {
    return new AuthenticationError(describe(status, said), {
      channel: 'rest',
      operation: context.operation,
      upstreamName: said.name,
    });
  }
  return new UpstreamError(describe(status, said), options);
}
