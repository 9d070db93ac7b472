import { Socket } from 'node:net';
import { maskedControlFrame } from '../core/tap/stream-channel-socket.ts';
import { StreamFrameReader, type FrameReaderState } from '../core/tap/stream-frame-reader.ts';

/**
 * The background drainer a CLI command hands its open stream-channel sockets to, so the command
 * can exit while nothing closes first (see drain-handoff.ts). Each socket arrives as an inherited
 * descriptor (3, 4, …) with the frame reader's exact position in argv[2] (JSON). It reads and
 * discards audio, answers pings, and when Asterisk closes (at hangup) echoes the close and ends;
 * it exits when every socket is gone. It runs detached (own session: no terminal signals) and
 * ignores SIGINT, SIGTERM and SIGHUP: only SIGKILL ends it early.
 */
interface Handed {
  fd: number;
  state: FrameReaderState;
  maxPayload: number;
}

for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => undefined);
process.on('uncaughtException', () => undefined);

const handed = JSON.parse(process.argv[2] ?? '[]') as Handed[];
let open = handed.length;
for (const h of handed) {
  const socket = new Socket({ fd: h.fd, readable: true, writable: true });
  let closeSent = false;
  const send = (opcode: number, payload: Buffer): void => {
    if (!socket.destroyed && socket.writable) socket.write(maskedControlFrame(opcode, payload), () => undefined);
  };
  const reader = StreamFrameReader.restore(
    {
      binary: () => undefined,
      ping: (payload) => send(0xa, payload),
      close: (code) => {
        if (closeSent) return;
        closeSent = true;
        const payload = Buffer.alloc(2);
        payload.writeUInt16BE(code === 1005 ? 1000 : code, 0);
        send(0x8, payload);
        socket.end();
      },
      violation: () => undefined,
    },
    h.maxPayload,
    h.state,
  );
  socket.on('data', (chunk: Buffer) => reader.push(chunk));
  socket.on('end', () => socket.end());
  socket.on('error', () => undefined);
  socket.on('close', () => {
    open -= 1;
    if (open === 0) process.exit(0);
  });
}
if (open === 0) process.exit(0);
