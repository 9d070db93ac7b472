import { createHash, randomBytes } from 'node:crypto';
import { request as httpRequest, type ClientRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { Socket } from 'node:net';
import { TypedEmitter } from '../common/typed-emitter.ts';
import { StreamFrameReader, type FrameReaderState, type FrameViolation } from './stream-frame-reader.ts';

const WS_GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

/** A masked client control frame (pong, close): this client never sends data. Payload ≤ 125 bytes. */
export function maskedControlFrame(opcode: number, payload: Buffer): Buffer {
  const mask = randomBytes(4);
  const frame = Buffer.alloc(6 + payload.length);
  frame[0] = 0x80 | opcode;
  frame[1] = 0x80 | payload.length;
  mask.copy(frame, 2);
  for (let i = 0; i < payload.length; i++) frame[6 + i] = payload[i]! ^ mask[i & 3]!;
  return frame;
}

export interface StreamSocketOptions {
  url: URL;
  protocol: string;
  headers: Record<string, string>;
  handshakeTimeoutMs: number;
  maxPayload: number;
  tls?: { rejectUnauthorized: boolean; ca?: string[] };
}

export interface StreamSocketEvents {
  /** 101 received (before any check): for TLS notes. */
  upgrade: (res: IncomingMessage) => void;
  open: () => void;
  binary: (data: Buffer) => void;
  violation: (kind: FrameViolation | 'accept' | 'subprotocol', message: string) => void;
  /** The server answered the upgrade with another status: nothing was opened. */
  httpStatus: (status: number) => void;
  error: (err: Error & { code?: string }) => void;
  /** The TCP connection is gone; `code` is the server's close code, or 1006 without one. */
  close: (code: number) => void;
}

/**
 * The stream-channel connection without `ws`: our own handshake over node:http(s), then a
 * read-only frame reader. Once the server has answered 101, nothing in here closes the
 * connection: protocol errors are reported and the bytes discarded; the only writes are pongs,
 * the echo of the server's close, and {@link forceClose} (an explicit user choice).
 */
export class StreamChannelSocket {
  readonly events = new TypedEmitter<StreamSocketEvents>();
  private readonly opts: StreamSocketOptions;
  private req: ClientRequest | undefined;
  private socket: Socket | undefined;
  private timer: NodeJS.Timeout | undefined;
  private serverCloseCode: number | undefined;
  private reader: StreamFrameReader | undefined;
  private secure = false;
  private closeSent = false;
  private gone = false;
  /** The protocol the server selected. */
  selectedProtocol: string | undefined;

  constructor(opts: StreamSocketOptions) {
    this.opts = opts;
  }

  get isOpen(): boolean {
    return this.socket !== undefined && !this.gone;
  }

  connect(): void {
    const { url } = this.opts;
    const key = randomBytes(16).toString('base64');
    const secure = url.protocol === 'wss:';
    this.secure = secure;
    const request = secure ? httpsRequest : httpRequest;
    const req = request({
      host: url.hostname.replace(/^\[|\]$/g, ''),
      port: url.port || (secure ? 443 : 80),
      path: `${url.pathname}${url.search}`,
      agent: false,
      headers: {
        ...this.opts.headers,
        Connection: 'Upgrade',
        Upgrade: 'websocket',
        'Sec-WebSocket-Key': key,
        'Sec-WebSocket-Version': '13',
        'Sec-WebSocket-Protocol': this.opts.protocol,
      },
      ...(secure && this.opts.tls ? { rejectUnauthorized: this.opts.tls.rejectUnauthorized, servername: url.hostname, ...(this.opts.tls.ca ? { ca: this.opts.tls.ca } : {}) } : {}),
    });
    this.req = req;
    this.timer = setTimeout(() => {
      const err: Error & { code?: string } = new Error('Opening handshake has timed out');
      err.code = 'HANDSHAKE_TIMEOUT';
      this.fail(err);
    }, this.opts.handshakeTimeoutMs);
    req.on('error', (err: Error & { code?: string }) => this.fail(err));
    req.on('response', (res: IncomingMessage) => {
      res.resume();
      this.clearTimer();
      this.events.emit('httpStatus', res.statusCode ?? 0);
      req.destroy();
      this.goneNow(1006);
    });
    req.on('upgrade', (res: IncomingMessage, socket: Socket, head: Buffer) => this.onUpgrade(res, socket, head, key));
    req.end();
  }

  /** Closes from this side whatever the risk: a close frame, then TCP after `graceMs`. */
  forceClose(graceMs: number): void {
    if (!this.socket) {
      this.req?.destroy();
      this.goneNow(1006);
      return;
    }
    if (this.gone) return;
    this.sendClose(1000);
    const socket = this.socket;
    // Asterisk never answers the close frame; do not wait for it.
    setTimeout(() => socket.destroy(), graceMs).unref();
  }

  private onUpgrade(res: IncomingMessage, socket: Socket, head: Buffer, key: string): void {
    this.clearTimer();
    this.socket = socket;
    socket.setNoDelay(true);
    socket.setTimeout(0);
    this.events.emit('upgrade', res);
    const reader = (this.reader = new StreamFrameReader(
      {
        binary: (data) => this.events.emit('binary', data),
        ping: (payload) => this.write(0xa, payload),
        close: (code) => this.onServerClose(code),
        violation: (kind, message) => this.events.emit('violation', kind, message),
      },
      this.opts.maxPayload,
    ));
    socket.on('data', (chunk: Buffer) => reader.push(chunk));
    // The server ended its side: end ours (that is an answer, not a first close).
    socket.on('end', () => socket.end());
    socket.on('error', (err: Error & { code?: string }) => this.events.emit('error', err));
    socket.on('close', () => this.goneNow(this.serverCloseCode ?? 1006));
    const expected = createHash('sha1').update(key + WS_GUID).digest('base64');
    this.selectedProtocol = typeof res.headers['sec-websocket-protocol'] === 'string' ? res.headers['sec-websocket-protocol'] : undefined;
    this.events.emit('open');
    // After a 101 a wrong answer is reported, never acted on by closing: it may still be Asterisk.
    if (res.headers['sec-websocket-accept'] !== expected) this.events.emit('violation', 'accept', 'the server answered the upgrade with a wrong Sec-WebSocket-Accept');
    if (this.selectedProtocol !== this.opts.protocol) {
      this.events.emit('violation', 'subprotocol', `the server did not select the "${this.opts.protocol}" sub-protocol (got ${this.selectedProtocol === undefined ? 'none' : `"${this.selectedProtocol}"`})`);
    }
    if (head.length > 0) reader.push(head);
  }

  /**
   * Gives the open connection to another process to drain (plain TCP only: a TLS session cannot
   * move). Reading stops at an exact byte, what was already read is parsed here, and the reader's
   * position goes with the socket. This side then only forgets the socket: it never ends it
   * (no FIN), and the other process's copy of the descriptor keeps the connection up.
   */
  handOff(): { socket: Socket; state: FrameReaderState } | undefined {
    const socket = this.socket;
    const reader = this.reader;
    if (!socket || !reader || this.gone || this.secure || this.serverCloseCode !== undefined || this.closeSent) return undefined;
    const handle = (socket as unknown as { _handle?: { readStop?: () => number } })._handle;
    if (typeof handle?.readStop !== 'function') return undefined;
    handle.readStop();
    socket.pause();
    socket.removeAllListeners('data');
    for (let chunk = socket.read() as Buffer | null; chunk !== null; chunk = socket.read() as Buffer | null) reader.push(chunk);
    // read() may have asked the handle to read again; stop it before the event loop runs (no byte is read in between).
    handle.readStop();
    (handle as { reading?: boolean }).reading = false;
    (socket as unknown as { _read: () => void })._read = () => undefined;
    if (this.gone || this.serverCloseCode !== undefined) return undefined;
    const state = reader.snapshot();
    socket.removeAllListeners('end');
    socket.removeAllListeners('close');
    socket.on('error', () => undefined);
    this.gone = true;
    return { socket, state };
  }

  private onServerClose(code: number): void {
    if (this.serverCloseCode !== undefined) return;
    this.serverCloseCode = code === 1005 ? 1000 : code;
    // The server closed first: echo its close and end our side, as RFC 6455 asks.
    this.sendClose(code === 1005 ? 1000 : code);
    this.socket?.end();
  }

  private sendClose(code: number): void {
    if (this.closeSent) return;
    this.closeSent = true;
    const payload = Buffer.alloc(2);
    payload.writeUInt16BE(code, 0);
    this.write(0x8, payload);
  }

  private write(opcode: number, payload: Buffer): void {
    const socket = this.socket;
    if (!socket || socket.destroyed || !socket.writable) return;
    socket.write(maskedControlFrame(opcode, payload), () => undefined);
  }

  private fail(err: Error & { code?: string }): void {
    if (this.socket || this.gone) return;
    this.clearTimer();
    this.events.emit('error', err);
    this.req?.destroy();
    this.goneNow(1006);
  }

  private goneNow(code: number): void {
    if (this.gone) return;
    this.gone = true;
    this.clearTimer();
    this.events.emit('close', code);
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
