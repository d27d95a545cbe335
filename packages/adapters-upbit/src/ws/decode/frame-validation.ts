import { DataValidationError } from '@marketdata/domain';
import * as v from 'valibot';
import { FRAME_PARSE_CONFIG } from './common-schemas.js';
import { type KeyTable, wireKey } from './simple-keys.js';

/** A mapper's answer: the domain value, or why the frame was refused. */
export type MapResult<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly error: DataValidationError };

const MAX_LISTED_ISSUES = 4;

/** A short description of a parsed JSON value for messages; never re-serialises it (it may be nested deeper than
 * JSON.stringify's stack allows, or be megabytes long). */
export function describeJsonValue(value: unknown): string {
  if (value === undefined) return 'missing';
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (typeof value === 'object' && value !== null) return Array.isArray(value) ? 'an array' : 'an object';
  return String(value);
}

/**
 * One `DataValidationError` for a refused frame. Paths use the names the frame actually carried (`$.tp` for a
 * SIMPLE frame, `$.trade_price` for DEFAULT), so a logged sample and the error agree.
 */
export function frameValidationError(
  kind: string,
  issues: readonly [v.BaseIssue<unknown>, ...v.BaseIssue<unknown>[]],
  simple: boolean,
  tables: readonly KeyTable[],
): DataValidationError {
  const pathOf = (issue: v.BaseIssue<unknown>): string => {
    let path = '$';
    for (const item of issue.path ?? []) {
      const key = item.key;
      if (typeof key === 'number') {
        path += `[${key}]`;
        continue;
      }
      const name = String(key);
      const table = tables.find((candidate) => name in candidate) ?? {};
      path += `.${wireKey(table, name, simple)}`;
    }
    return path;
  };
  const listed = issues
    .slice(0, MAX_LISTED_ISSUES)
    .map((issue) => `${pathOf(issue)}: ${issue.message}, got ${describeJsonValue(issue.input)}`);
  const more = issues.length > MAX_LISTED_ISSUES ? ` (+${issues.length - MAX_LISTED_ISSUES} more)` : '';
  const [first] = issues;
  return new DataValidationError(
    `Invalid ${simple ? 'SIMPLE' : 'DEFAULT'} ${kind} frame: ${listed.join('; ')}${more}`,
    {
      channel: 'websocket',
      operation: 'decode',
      path: pathOf(first),
      value: first.input,
    },
  );
}

/** Validates one frame (SIMPLE keys already expanded); a refusal names the fields as the frame spelled them. */
export function validateFrame<TSchema extends v.GenericSchema>(
  kind: string,
  schema: TSchema,
  input: unknown,
  simple: boolean,
  tables: readonly KeyTable[],
): MapResult<v.InferOutput<TSchema>> {
  const result = v.safeParse(schema, input, FRAME_PARSE_CONFIG);
  return result.success
    ? { ok: true, value: result.output }
    : { ok: false, error: frameValidationError(kind, result.issues, simple, tables) };
}
