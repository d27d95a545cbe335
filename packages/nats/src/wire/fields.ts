import {
  DataValidationError,
  type ErrorChannel,
  isMarketCode,
  type MarketCode,
  parseMarketCode,
} from '@marketdata/domain';

/**
 * Reading a decoded JSON message field by field: every missing or mistyped field is a `DataValidationError` naming
 * its path (`record.price`), never a silent `undefined`. Extra fields are ignored (a newer gateway may add some).
 */
export type Json = Readonly<Record<string, unknown>>;

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

/** The version every message carries as `v`. */
export const WIRE_VERSION = 1;

/** The largest message this package decodes (NATS' own default payload limit is 1 MiB). */
export const MAX_MESSAGE_BYTES = 8 * 1024 * 1024;

export function encodeJson(value: unknown): Uint8Array {
  return encoder.encode(JSON.stringify(value));
}

/** What is being decoded (for messages) and for which channel (for the error's context). */
export interface DecodeContext {
  readonly what: string;
  readonly channel: ErrorChannel;
}

function invalid(context: DecodeContext, message: string, path: string, value?: unknown): DataValidationError {
  return new DataValidationError(`${context.what}: ${message}`, {
    channel: context.channel,
    operation: 'decode',
    path,
    value,
  });
}

/** Bytes → a JSON object, or a `DataValidationError` (not UTF-8, not JSON, not an object, too large). */
export function decodeJsonObject(bytes: Uint8Array, context: DecodeContext): Fields {
  if (bytes.byteLength > MAX_MESSAGE_BYTES) {
    throw invalid(context, `${bytes.byteLength} bytes, more than ${MAX_MESSAGE_BYTES}`, '$');
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(decoder.decode(bytes));
  } catch (error) {
    throw invalid(context, `not UTF-8 JSON (${(error as Error).message})`, '$');
  }
  return new Fields(asObject(parsed, context, '$'), context, '$');
}

export function asObject(value: unknown, context: DecodeContext, path: string): Json {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw invalid(context, `${path} must be an object`, path, value);
  }
  return value as Json;
}

/** Typed field access on one object, with the object's path for the errors. */
export class Fields {
  constructor(
    readonly json: Json,
    readonly context: DecodeContext,
    readonly path: string,
  ) {}

  /** Rejects the field: it is there but does not hold what the wire format says. */
  reject(key: string, expected: string): never {
    return this.fail(key, expected);
  }

  private fail(key: string, expected: string): never {
    const value = this.json[key];
    throw invalid(this.context, `${this.path}.${key} must be ${expected}`, `${this.path}.${key}`, value);
  }

  has(key: string): boolean {
    return this.json[key] !== undefined && this.json[key] !== null;
  }

  /** A finite number (JSON numbers round-trip exactly: the shortest text of a double parses to the same double). */
  number(key: string): number {
    const value = this.json[key];
    if (typeof value !== 'number' || !Number.isFinite(value)) this.fail(key, 'a finite number');
    return value;
  }

  optionalNumber(key: string): number | undefined {
    return this.has(key) ? this.number(key) : undefined;
  }

  string(key: string): string {
    const value = this.json[key];
    if (typeof value !== 'string') this.fail(key, 'a string');
    return value;
  }

  optionalString(key: string): string | undefined {
    return this.has(key) ? this.string(key) : undefined;
  }

  boolean(key: string): boolean {
    const value = this.json[key];
    if (typeof value !== 'boolean') this.fail(key, 'a boolean');
    return value;
  }

  optionalBoolean(key: string): boolean | undefined {
    return this.has(key) ? this.boolean(key) : undefined;
  }

  /** A string, `null` kept as `null` (a value that says "none"), absent as undefined. */
  optionalNullableString(key: string): string | null | undefined {
    if (this.json[key] === null) return null;
    return this.optionalString(key);
  }

  literal<T extends string>(key: string, allowed: readonly T[]): T {
    const value = this.json[key];
    if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
      this.fail(key, `one of ${allowed.join(', ')}`);
    }
    return value as T;
  }

  optionalLiteral<T extends string>(key: string, allowed: readonly T[]): T | undefined {
    return this.has(key) ? this.literal(key, allowed) : undefined;
  }

  market(key: string): MarketCode {
    try {
      return parseMarketCode(this.json[key]);
    } catch {
      return this.fail(key, 'a market code (QUOTE-BASE)');
    }
  }

  object(key: string): Fields {
    const value = this.json[key];
    if (typeof value !== 'object' || value === null || Array.isArray(value)) this.fail(key, 'an object');
    return new Fields(value as Json, this.context, `${this.path}.${key}`);
  }

  optionalObject(key: string): Fields | undefined {
    return this.has(key) ? this.object(key) : undefined;
  }

  array(key: string): readonly unknown[] {
    const value = this.json[key];
    if (!Array.isArray(value)) this.fail(key, 'an array');
    return value;
  }

  /** Each element of an array field as an object. */
  objects(key: string): Fields[] {
    return this.array(key).map((item, index) => {
      const path = `${this.path}.${key}[${index}]`;
      return new Fields(asObject(item, this.context, path), this.context, path);
    });
  }

  /** An array of market codes, each checked. */
  markets(key: string): MarketCode[] {
    return this.array(key).map((item, index) => {
      if (isMarketCode(item)) return item;
      const path = `${this.path}.${key}[${index}]`;
      throw invalid(this.context, `${path} must be a market code (QUOTE-BASE)`, path, item);
    });
  }

  strings(key: string): string[] {
    return this.array(key).map((item, index) => {
      if (typeof item !== 'string') {
        const path = `${this.path}.${key}[${index}]`;
        throw invalid(this.context, `${path} must be a string`, path, item);
      }
      return item;
    });
  }
}

/** Refuses a message of another wire version. */
export function checkVersion(f: Fields): void {
  if (f.number('v') !== WIRE_VERSION) f.reject('v', `${WIRE_VERSION} (this reader's wire version)`);
}
