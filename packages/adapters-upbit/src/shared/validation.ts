import { DataValidationError, type ErrorContext } from '@marketdata/domain';
import * as v from 'valibot';

type AnySchema = v.GenericSchema;

function pathOf(issue: v.BaseIssue<unknown>): string {
  let path = '$';
  for (const item of issue.path ?? []) {
    const key = item.key;
    path += typeof key === 'number' ? `[${key}]` : `.${String(key)}`;
  }
  return path;
}

function describe(value: unknown): string {
  if (value === undefined) return 'missing';
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}…` : value);
  if (typeof value === 'object' && value !== null) return Array.isArray(value) ? 'an array' : 'an object';
  return String(value);
}

/**
 * Turns valibot issues into one `DataValidationError` that names the JSON path of the first bad field
 * (`$[0].trade_price`) and its value; the other issues are counted in the message.
 */
export function issuesToDataValidationError(
  issues: readonly [v.BaseIssue<unknown>, ...v.BaseIssue<unknown>[]],
  context: ErrorContext & { readonly what?: string } = {},
): DataValidationError {
  const [first] = issues;
  const path = pathOf(first);
  const more = issues.length > 1 ? ` (+${issues.length - 1} more issue${issues.length > 2 ? 's' : ''})` : '';
  const what = context.what === undefined ? '' : `${context.what}: `;
  const { what: _omit, ...errorContext } = context;
  return new DataValidationError(
    `${what}invalid value at ${path}: ${first.message}, got ${describe(first.input)}${more}`,
    { ...errorContext, path, value: first.input },
  );
}

/** Parses `input` with `schema`; any issue throws `DataValidationError` naming the path and the value. */
export function parseWithSchema<TSchema extends AnySchema>(
  schema: TSchema,
  input: unknown,
  context: ErrorContext & { readonly what?: string } = {},
): v.InferOutput<TSchema> {
  const result = v.safeParse(schema, input, { abortPipeEarly: true });
  if (result.success) return result.output;
  throw issuesToDataValidationError(result.issues, context);
}
