import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { ClientFrameParser, OPCODE, closeFrame, encodeFrame, httpError, switchingProtocols } from './ws-server-frames.ts';
import { faultApplies, type SimFault } from './sim-faults.ts';
import type { SimChannel } from './sim-model.ts';

/** Close code and delay Asterisk uses when the tapped call hangs up (captured: 28-42 ms). */
const HANGUP_CLOSE_DELAY_MS = 35;
/** Captured: a missing or unknown channel is closed 1-3 ms after the 101. */
const NOT_FOUND_CLOSE_DELAY_MS = 2;
/** Frames queued on a slow client beyond this are not sent (Asterisk would drop them too). */
const MAX_SOCKET_BACKLOG = 1024 * 1024;

/** One stream-channel listener: a client socket attached to a channel. */
export interface StreamListener {
  socket: Duplex;
  channel: SimChannel;
  openedAt: number;
  framesSent: number;
  faults: SimFault[];
  stalled: boolean;
  closing: boolean;
}

export interface StreamEndpointHooks {
  findChannel(nameOrId: string): SimChannel | undefined;
  faults(): readonly SimFault[];
  attach(listener: StreamListener): void;
  detach(listener: StreamListener): void;
  /** A client closed (close frame or TCP) while its call was still up: what crashes res_ari_stream. */
  clientClosedFirst(listener: StreamListener): void;
  /** res_ari_stream writes `ERROR … Channel not found` to Asterisk's log for each such connection (part C). */
  channelNotFound(channelId: string | undefined): void;
}

/** The exact, case-sensitive header res_ari_stream reads (captured: other spellings are ignored). */
function exactChannelId(req: IncomingMessage): string | undefined {
  const raw = req.rawHeaders;
  for (let i = 0; i + 1 < raw.length; i += 2) if (raw[i] === 'Channel-ID') return raw[i + 1];
  return undefined;
}

/**
 * Answers an upgrade on /ws like Asterisk with res_ari_stream: 400 without the "stream-channel"
 * sub-protocol; otherwise 101 and then either audio or, for a missing/unknown channel, an
 * immediate close 1000 with no frames.
 */
export function handleStreamUpgrade(req: IncomingMessage, socket: Duplex, hooks: StreamEndpointHooks): void {
  const channelId = exactChannelId(req);
  const faults = hooks.faults().filter((f) => faultApplies(f, channelId));
  if (faults.some((f) => f.kind === 'stall-handshake')) {
    socket.on('error', () => undefined);
    return; // hold the socket and say nothing
  }
  const protocols = String(req.headers['sec-websocket-protocol'] ?? '').split(',').map((p) => p.trim());
  const key = req.headers['sec-websocket-key'];
  const version = req.headers['sec-websocket-version'];
  if (faults.some((f) => f.kind === 'no-module') || !protocols.includes('stream-channel') || typeof key !== 'string' || version !== '13') {
    socket.end(httpError(400, 'Bad Request', { 'Sec-WebSocket-Version': '7, 8, 13' }));
    return;
  }
  socket.write(switchingProtocols(key, 'stream-channel'));
  socket.on('error', () => undefined);
  const channel = channelId === undefined ? undefined : hooks.findChannel(channelId);
  if (!channel) {
    hooks.channelNotFound(channelId);
    setTimeout(() => closeAfterHandshake(socket), NOT_FOUND_CLOSE_DELAY_MS);
    return;
  }
  const listener: StreamListener = { socket, channel, openedAt: Date.now(), framesSent: 0, faults, stalled: false, closing: false };
  const parser = new ClientFrameParser();
  socket.on('data', (chunk: Buffer) => {
    const frames = parser.push(chunk);
    if (frames === 'too-large') {
      socket.destroy();
      return;
    }
    for (const frame of frames) {
      if (frame.opcode === OPCODE.close) {
        if (listener.closing) socket.end(); // the client answered our close: done
        else hooks.clientClosedFirst(listener); // Asterisk never answers this; it keeps streaming
      } else if (frame.opcode === OPCODE.ping && !socket.destroyed) socket.write(encodeFrame(OPCODE.pong, frame.payload));
    }
  });
  socket.on('close', () => {
    if (!listener.closing) hooks.clientClosedFirst(listener);
    hooks.detach(listener);
  });
  hooks.attach(listener);
  scheduleTimedFaults(listener);
}

function closeAfterHandshake(socket: Duplex): void {
  if (socket.destroyed) return;
  socket.write(closeFrame(1000));
  // The client answers the close; if it does not, let the socket go anyway.
  setTimeout(() => socket.destroy(), 2000).unref();
  socket.on('data', () => socket.end());
}

function scheduleTimedFaults(listener: StreamListener): void {
  const { socket } = listener;
  for (const fault of listener.faults) {
    const at = fault.afterMs ?? 0;
    const run = (): void => {
      if (socket.destroyed || listener.closing) return;
      if (fault.kind === 'stall') listener.stalled = true;
      else if (fault.kind === 'drop') socket.destroy();
      else if (fault.kind === 'text') socket.write(encodeFrame(OPCODE.text, Buffer.from('unexpected text')));
      else if (fault.kind === 'oversize') socket.write(encodeFrame(OPCODE.binary, Buffer.alloc(128 * 1024)));
      else if (fault.kind === 'flood') {
        const frame = encodeFrame(OPCODE.binary, Buffer.alloc(640, 1));
        for (let i = 0; i < (fault.count ?? 5000); i++) socket.write(frame);
      }
    };
    if (['stall', 'drop', 'text', 'oversize', 'flood'].includes(fault.kind)) setTimeout(run, at).unref();
  }
}

/** Sends one frame of audio to a listener, honouring stall and odd-frame faults. */
export function sendAudio(listener: StreamListener, wireFrame: Buffer, payload: Buffer): void {
  const { socket } = listener;
  if (listener.stalled || listener.closing || socket.destroyed) return;
  if ((socket as { writableLength?: number }).writableLength !== undefined && (socket as { writableLength: number }).writableLength > MAX_SOCKET_BACKLOG) return;
  if (listener.faults.some((f) => f.kind === 'odd-frames')) {
    const cut = listener.framesSent % 2 === 0 ? 333 : 307;
    socket.write(encodeFrame(OPCODE.binary, payload.subarray(0, cut)));
    socket.write(encodeFrame(OPCODE.binary, payload.subarray(cut)));
  } else socket.write(wireFrame);
  listener.framesSent++;
}

/** Ends a listener as Asterisk does at hangup: close 1000 about 35 ms later, empty reason. */
export function closeOnHangup(listener: StreamListener): void {
  setTimeout(() => {
    if (listener.socket.destroyed) return;
    listener.closing = true;
    listener.socket.write(closeFrame(1000));
    setTimeout(() => listener.socket.destroy(), 5000).unref();
  }, HANGUP_CLOSE_DELAY_MS);
}
