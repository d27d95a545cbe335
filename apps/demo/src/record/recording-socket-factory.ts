import WebSocket, { type ClientOptions, type RawData } from 'ws';

function frameText(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  if (data instanceof ArrayBuffer) return Buffer.from(data).toString('utf8');
  return data.toString('utf8');
}

/**
 * A socket factory for the WebSocket adapter (its `createSocket` option) that hands every received frame, as raw
 * text, to `onFrame` before the adapter decodes it. Upbit sends data as binary frames of UTF-8 JSON; both binary
 * and text frames (e.g. `{"status":"UP"}`) are captured as they arrived.
 */
export function recordingSocketFactory(onFrame: (frame: string) => void) {
  return (url: string, options: ClientOptions): WebSocket => {
    const socket = new WebSocket(url, options);
    socket.on('message', (data: RawData) => onFrame(frameText(data)));
    return socket;
  };
}
