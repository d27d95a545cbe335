/**
 * Server-to-client WebSocket frames (RFC 6455 §5.2: FIN, no mask). A frame is built once per update and the same
 * bytes are written to every subscriber's socket.
 */
const OPCODE_BINARY = 0x2;

export function binaryFrame(payload: Buffer): Buffer {
  const length = payload.length;
  let headerLength = 2;
  if (length > 65535) headerLength = 10;
  else if (length > 125) headerLength = 4;
  const frame = Buffer.allocUnsafe(headerLength + length);
  frame[0] = 0x80 | OPCODE_BINARY;
  if (headerLength === 2) {
    frame[1] = length;
  } else if (headerLength === 4) {
    frame[1] = 126;
    frame.writeUInt16BE(length, 2);
  } else {
    frame[1] = 127;
    frame.writeUInt32BE(Math.floor(length / 4294967296), 2);
    frame.writeUInt32BE(length >>> 0, 6);
  }
  payload.copy(frame, headerLength);
  return frame;
}

export function binaryFrameOf(text: string): Buffer {
  return binaryFrame(Buffer.from(text, 'utf8'));
}
