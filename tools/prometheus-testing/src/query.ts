/** A sample: Prometheus' unix time in seconds and the value as Prometheus prints it (a string: it may be NaN). */
export type SampleValue = readonly [unixSeconds: number, value: string];

export interface Series {
  readonly metric: Readonly<Record<string, string>>;
}

/** The `data` of a successful /api/v1/query answer, by result type. */
export type QueryResult =
  | { readonly resultType: 'vector'; readonly result: readonly (Series & { readonly value: SampleValue })[] }
  | {
      readonly resultType: 'matrix';
      readonly result: readonly (Series & { readonly values: readonly SampleValue[] })[];
    }
  | { readonly resultType: 'scalar'; readonly result: SampleValue }
  | { readonly resultType: 'string'; readonly result: SampleValue };

/** Prometheus refused a query (`bad_data` for a PromQL syntax error, `timeout`, `execution`, ...). */
export class PrometheusQueryError extends Error {
  override readonly name = 'PrometheusQueryError';
  constructor(
    readonly query: string,
    readonly httpStatus: number,
    readonly errorType: string,
    readonly detail: string,
  ) {
    super(`Prometheus refused ${JSON.stringify(query)} (HTTP ${httpStatus}, ${errorType}): ${detail}`);
  }
}

export function isPrometheusQueryError(error: unknown): error is PrometheusQueryError {
  return error instanceof PrometheusQueryError;
}

interface ApiAnswer {
  readonly status?: unknown;
  readonly data?: unknown;
  readonly errorType?: unknown;
  readonly error?: unknown;
}

const RESULT_TYPES = new Set(['vector', 'matrix', 'scalar', 'string']);

/** An instant query against Prometheus' HTTP API (`GET /api/v1/query`), bounded by `timeoutMs`. */
export async function instantQuery(baseUrl: string, promql: string, timeoutMs: number): Promise<QueryResult> {
  if (typeof promql !== 'string' || promql.trim() === '')
    throw new TypeError('query: promql must be a non-empty string');
  const url = `${baseUrl}/api/v1/query?${new URLSearchParams({ query: promql })}`;
  const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
  const text = await response.text();
  let answer: ApiAnswer;
  try {
    answer = JSON.parse(text) as ApiAnswer;
  } catch {
    throw new PrometheusQueryError(promql, response.status, 'not_json', text.slice(0, 200));
  }
  if (answer.status !== 'success') {
    throw new PrometheusQueryError(promql, response.status, String(answer.errorType), String(answer.error));
  }
  const data = answer.data as { readonly resultType?: unknown } | undefined;
  if (data === undefined || typeof data.resultType !== 'string' || !RESULT_TYPES.has(data.resultType)) {
    throw new PrometheusQueryError(promql, response.status, 'unexpected_answer', text.slice(0, 200));
  }
  return data as QueryResult;
}
