import { createHash } from 'node:crypto';

/**
 * Just enough of RFC 6455 for the replay server: the handshake answer, unmasked server frames, and reading the
 * client's masked frames (the subscription request, pings, the close). Writing frames by hand keeps the server's
 * own cost per frame to a buffer copy, so it is never the bottleneck of what it measures.
 */

const GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

export function handshakeAnswer(key: string): string {
  const accept = createHash('sha1')
    .update(key + GUID)
    .digest('base64');
  return [
    'HTTP/1.1 101 Switching Protocols',
    'Upgrade: websocket',
    'Connection: Upgrade',
    `Sec-WebSocket-Accept: ${accept}`,
    '',
    '',
  ].join('\r\n');
}

export const OPCODE = { text: 0x1, binary: 0x2, close: 0x8, ping: 0x9, pong: 0xa } as const;

/** One unmasked final frame (server to client). */
export function encodeFrame(opcode: number, payload: Buffer): Buffer {
  const length = payload.length;
  const headerLength = length < 126 ? 2 : length < 65_536 ? 4 : 10;
  const frame = Buffer.allocUnsafe(headerLength + length);
  frame[0] = 0x80 | opcode;
  if (length < 126) frame[1] = length;
  else if (length < 65_536) {
    frame[1] = 126;
    frame.writeUInt16BE(length, 2);
  } else {
    frame[1] = 127;
    frame.writeBigUInt64BE(BigInt(length), 2);
  }
  payload.copy(frame, headerLength);
  return frame;
}

/** A frame carrying UTF-8 JSON the way Upbit sends data: as a binary frame (API.md). */
export function encodeBinary(text: string): Buffer {
  return encodeFrame(OPCODE.binary, Buffer.from(text, 'utf8'));
}

export interface ClientFrame {
  readonly opcode: number;
  readonly payload: Buffer;
}

/** Reads the client's (masked) frames from a byte stream; fragments are returned as they come. */
export class ClientFrameReader {
  private pending: Buffer = Buffer.alloc(0);

  push(chunk: Buffer): ClientFrame[] {
    this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    const frames: ClientFrame[] = [];
    for (;;) {
      const frame = this.next();
      if (frame === undefined) return frames;
      frames.push(frame);
    }
  }

  private next(): ClientFrame | undefined {
    const buffer = this.pending;
    if (buffer.length < 2) return undefined;
    const opcode = (buffer[0] as number) & 0x0f;
    const masked = ((buffer[1] as number) & 0x80) !== 0;
    let length = (buffer[1] as number) & 0x7f;
    let offset = 2;
    if (length === 126) {
      if (buffer.length < 4) return undefined;
      length = buffer.readUInt16BE(2);
      offset = 4;
    } else if (length === 127) {
      if (buffer.length < 10) return undefined;
      length = Number(buffer.readBigUInt64BE(2));
      offset = 10;
    }
    const maskOffset = offset;
    if (masked) offset += 4;
    if (buffer.length < offset + length) return undefined;
    const payload = Buffer.from(buffer.subarray(offset, offset + length));
    if (masked)
      for (let i = 0; i < payload.length; i++)
        payload[i] = (payload[i] as number) ^ (buffer[maskOffset + (i % 4)] as number);
    this.pending = buffer.subarray(offset + length);
    return { opcode, payload };
  }
}
