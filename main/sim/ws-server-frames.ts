import { createHash } from 'node:crypto';

const WS_GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

export const OPCODE = { text: 0x1, binary: 0x2, close: 0x8, ping: 0x9, pong: 0xa } as const;

/** The Sec-WebSocket-Accept value for a client key (RFC 6455 §4.2.2). */
export function acceptKey(key: string): string {
  return createHash('sha1').update(key + WS_GUID).digest('base64');
}

/** Asterisk's 101 answer, header order as captured (Upgrade, Connection, Accept, Protocol). */
export function switchingProtocols(key: string, protocol: string | undefined): string {
  const lines = ['HTTP/1.1 101 Switching Protocols', 'Upgrade: websocket', 'Connection: Upgrade', `Sec-WebSocket-Accept: ${acceptKey(key)}`];
  if (protocol !== undefined) lines.push(`Sec-WebSocket-Protocol: ${protocol}`);
  return `${lines.join('\r\n')}\r\n\r\n`;
}

/** An HTTP error on an upgrade request, shaped like Asterisk's (empty body, no-cache). */
export function httpError(status: number, text: string, extra: Record<string, string> = {}): string {
  const headers: Record<string, string> = {
    Server: 'Asterisk/23.4.1',
    Date: new Date().toUTCString(),
    'Cache-Control': 'no-cache, no-store',
    ...extra,
    'Content-Length': '0',
    Connection: 'close',
  };
  return `HTTP/1.1 ${status} ${text}\r\n${Object.entries(headers).map(([k, v]) => `${k}: ${v}`).join('\r\n')}\r\n\r\n`;
}

/** An unmasked server frame. */
export function encodeFrame(opcode: number, payload: Buffer): Buffer {
  const len = payload.length;
  const headLen = len < 126 ? 2 : len < 65536 ? 4 : 10;
  const frame = Buffer.allocUnsafe(headLen + len);
  frame[0] = 0x80 | opcode;
  if (len < 126) frame[1] = len;
  else if (len < 65536) {
    frame[1] = 126;
    frame.writeUInt16BE(len, 2);
  } else {
    frame[1] = 127;
    frame.writeBigUInt64BE(BigInt(len), 2);
  }
  payload.copy(frame, headLen);
  return frame;
}

/** A close frame with a status code and an empty reason, as Asterisk sends at hangup. */
export function closeFrame(code: number): Buffer {
  const payload = Buffer.alloc(2);
  payload.writeUInt16BE(code, 0);
  return encodeFrame(OPCODE.close, payload);
}

export interface ClientFrame {
  opcode: number;
  payload: Buffer;
}

/** Largest client frame accepted; clients of /ws have nothing to send but control frames. */
const MAX_CLIENT_FRAME = 64 * 1024;

/**
 * Parses masked client frames from a socket's byte stream. Keeps at most one partial frame,
 * and reports an oversized frame instead of buffering it.
 */
export class ClientFrameParser {
  private buf: Buffer = Buffer.alloc(0);

  push(chunk: Buffer): ClientFrame[] | 'too-large' {
    this.buf = this.buf.length === 0 ? chunk : Buffer.concat([this.buf, chunk]);
    const frames: ClientFrame[] = [];
    for (;;) {
      if (this.buf.length < 2) break;
      const b0 = this.buf[0]!;
      const b1 = this.buf[1]!;
      let len = b1 & 0x7f;
      let pos = 2;
      if (len === 126) {
        if (this.buf.length < 4) break;
        len = this.buf.readUInt16BE(2);
        pos = 4;
      } else if (len === 127) {
        if (this.buf.length < 10) break;
        const big = this.buf.readBigUInt64BE(2);
        if (big > BigInt(MAX_CLIENT_FRAME)) return 'too-large';
        len = Number(big);
        pos = 10;
      }
      if (len > MAX_CLIENT_FRAME) return 'too-large';
      const masked = (b1 & 0x80) !== 0;
      const maskLen = masked ? 4 : 0;
      if (this.buf.length < pos + maskLen + len) break;
      const payload = Buffer.from(this.buf.subarray(pos + maskLen, pos + maskLen + len));
      if (masked) {
        const mask = this.buf.subarray(pos, pos + 4);
        for (let i = 0; i < payload.length; i++) payload[i] = payload[i]! ^ mask[i & 3]!;
      }
      frames.push({ opcode: b0 & 0x0f, payload });
      this.buf = this.buf.subarray(pos + maskLen + len);
    }
    return frames;
  }
}
