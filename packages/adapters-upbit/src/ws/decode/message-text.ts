import type { RawData } from 'ws';

const utf8 = new TextDecoder('utf-8');

/** A `ws` message (binary frames are UTF-8 JSON; a text frame arrives as a Buffer too) as a string. */
export function messageText(data: RawData | string): string {
  if (typeof data === 'string') return data;
  if (Buffer.isBuffer(data)) return data.toString('utf8');
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return utf8.decode(data);
}
