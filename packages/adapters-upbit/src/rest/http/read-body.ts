import { type ErrorContext, onAbort, PayloadTooLargeError } from '@marketdata/domain';

export interface BodyLimits {
  readonly maxBytes: number;
  readonly url: string;
  /** The attempt's signal: the body read stops with its reason as soon as it aborts. */
  readonly signal: AbortSignal;
  /** Cuts the request off (closes the connection) once the body is known to be too large. */
  readonly cutOff: (reason: PayloadTooLargeError) => void;
  readonly context: ErrorContext;
}

function tooLarge(limits: BodyLimits, detail: string): PayloadTooLargeError {
  return new PayloadTooLargeError(
    `Upbit answered more than ${limits.maxBytes} bytes (${detail}) for ${limits.url}; the request was cut off`,
    { ...limits.context, limitBytes: limits.maxBytes, url: limits.url },
  );
}

/**
 * The body as text, decoded as `Response.text()` does (UTF-8, BOM dropped, bad bytes replaced), with its size
 * counted while it streams in: past `maxBytes` the stream is cancelled and the request cut off with
 * `PayloadTooLargeError`, so a hostile 120 MB body costs at most `maxBytes` of memory. A `Content-Length` already
 * over the limit is refused before reading anything.
 *
 * The read also races the signal itself: aborting a request does not always interrupt a body that is already
 * streaming (seen with a slow body after the headers, and with injected fetch implementations).
 */
export async function readBodyText(response: Response, limits: BodyLimits): Promise<string> {
  const declared = Number(response.headers.get('content-length') ?? Number.NaN);
  if (Number.isFinite(declared) && declared > limits.maxBytes) {
    const error = tooLarge(limits, `Content-Length ${declared}`);
    limits.cutOff(error);
    await response.body?.cancel(error).catch(() => undefined);
    throw error;
  }
  const body = response.body;
  if (body === null) return '';
  const { signal } = limits;
  const reader = body.getReader();
  let stopListening = (): void => undefined;
  const aborted = new Promise<never>((_, reject) => {
    if (signal.aborted) reject(signal.reason);
    else stopListening = onAbort(signal, reject);
  });
  aborted.catch(() => undefined);
  const decoder = new TextDecoder('utf-8');
  let text = '';
  let bytes = 0;
  try {
    for (;;) {
      const chunk = await Promise.race([reader.read(), aborted]);
      if (chunk.done) break;
      bytes += chunk.value.byteLength;
      if (bytes > limits.maxBytes) {
        const error = tooLarge(limits, `${bytes} bytes read so far`);
        limits.cutOff(error);
        throw error;
      }
      text += decoder.decode(chunk.value, { stream: true });
    }
    return text + decoder.decode();
  } catch (error) {
    reader.cancel(error).catch(() => undefined);
    throw error;
  } finally {
    stopListening();
  }
}
