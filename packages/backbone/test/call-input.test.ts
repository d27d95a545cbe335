import { isDataValidationError, isInvalidMarketCodeError } from '@marketdata/domain';
import { describe, expect, it } from 'vitest';
import {
  echoValue,
  MAX_SYMBOLS_PER_CALL,
  parseWatchSymbols,
  readCallInput,
  readStreamSignal,
  readSymbolList,
} from '../src/facade/call-input.js';

function thrown(call: () => unknown): unknown {
  try {
    call();
  } catch (error) {
    return error;
  }
  return undefined;
}

describe('call input', () => {
  it('reads undefined and null options as none, and maps the source aliases', () => {
    expect(readCallInput(undefined, 'getTicker')).toEqual({ requested: 'auto', strict: false, signal: undefined });
    expect(readCallInput(null, 'getTicker')).toEqual({ requested: 'auto', strict: false, signal: undefined });
    expect(readCallInput({ source: 'websocket', strict: true }, 'watchTickers').strict).toBe(true);
    expect(readCallInput({ source: 'realtime' }, 'getTicker').requested).toBe('websocket');
    expect(readCallInput({ source: 'historical' }, 'getTicker').requested).toBe('rest');
    const signal = new AbortController().signal;
    expect(readCallInput({ signal }, 'getTicker').signal).toBe(signal);
    expect(readStreamSignal(null, 'watchTrades')).toBeUndefined();
  });

  it.each([
    ['options 42', 42, 'options'],
    ['options "rest"', 'rest', 'options'],
    ['a signal that is a number', { signal: 42 }, 'signal'],
    ['a signal that is an object without the AbortSignal shape', { signal: { aborted: false } }, 'signal'],
    ['a signal that is null', { signal: null }, 'signal'],
    ['an unknown source', { source: 'fast' }, 'source'],
    ['a strict that is not a boolean', { strict: 'yes' }, 'strict'],
  ])('refuses %s with a DataValidationError naming the field', (_, options, path) => {
    const error = thrown(() => readCallInput(options, 'getTicker'));
    expect(error).toSatisfy(isDataValidationError);
    expect(error).toMatchObject({ path, channel: 'api', operation: 'getTicker' });
  });

  it('reads a sparse list with every position, holes as undefined', () => {
    const sparse: string[] = [];
    sparse[2] = 'KRW-BTC';
    expect(readSymbolList(sparse, 'getTickers')).toEqual([undefined, undefined, 'KRW-BTC']);
  });

  it('refuses a list longer than the limit (a sparse array with a huge length) without walking it', () => {
    const huge: string[] = [];
    huge.length = 2 ** 32 - 1;
    const error = thrown(() => readSymbolList(huge, 'getTickers'));
    expect(error).toSatisfy(isDataValidationError);
    expect((error as Error).message).toContain(`at most ${MAX_SYMBOLS_PER_CALL}`);
    expect(
      readSymbolList(
        Array.from({ length: MAX_SYMBOLS_PER_CALL }, () => 'KRW-BTC'),
        'x',
      ),
    ).toHaveLength(MAX_SYMBOLS_PER_CALL);
  });

  it('parses a watch list into distinct codes, refusing a hole as an invalid code', () => {
    expect(parseWatchSymbols(['KRW-BTC', 'KRW-BTC', 'KRW-ETH'], 'watchTickers')).toEqual(['KRW-BTC', 'KRW-ETH']);
    const sparse: string[] = [];
    sparse[1] = 'KRW-BTC';
    expect(thrown(() => parseWatchSymbols(sparse, 'watchTickers'))).toSatisfy(isInvalidMarketCodeError);
  });

  it('echoes any input as a string, even one String() cannot convert', () => {
    const throwing = {
      toString(): string {
        throw new Error('no');
      },
    };
    expect(echoValue('KRW-BTC')).toBe('KRW-BTC');
    expect(echoValue(null)).toBe('null');
    expect(echoValue(10n)).toBe('10');
    expect(echoValue(Symbol('x'))).toBe('Symbol(x)');
    expect(echoValue(Object.create(null))).toBe('[object Object]');
    expect(echoValue(throwing)).toBe('[object Object]');
  });
});
