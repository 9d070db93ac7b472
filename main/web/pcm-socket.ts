import type WebSocket from 'ws';
import type { Disposable } from '../core/common/disposable.ts';
import { encodePcmPacket } from '../../preload/pcm-wire.ts';
import type { TapService } from '../core/service/tap-service.ts';

/** PCM waiting in a browser's socket beyond this is dropped for that browser (it cannot keep up). */
const MAX_BUFFERED = 4 * 1024 * 1024;

/**
 * One browser tab's data plane on the web host (`/pcm`): every tap's PCM as binary packets
 * (preload/pcm-wire.ts), read by the page's live worker, so audio never passes through the page's
 * main thread. It carries nothing else and the page sends nothing on it: whatever arrives is
 * counted and ignored (never parsed, never a reason to end the process).
 */
export function attachPcmSocket(ws: WebSocket, service: TapService): Disposable {
  let dropped = 0;
  let ignored = 0;
  const registration = service.addSink({
    event: () => undefined,
    pcm(tapNumber, leg, wallClockMs, data): void {
      if (ws.readyState !== ws.OPEN) return;
      if (ws.bufferedAmount > MAX_BUFFERED) {
        dropped++;
        return;
      }
      ws.send(encodePcmPacket(tapNumber, leg, wallClockMs, data), { binary: true });
    },
  });
  ws.on('message', () => void ignored++);
  // `ws` reports oversized frames and protocol errors here and closes this socket; without a
  // listener the error would end the process.
  ws.on('error', (err) => service.log('warn', `A browser tab's audio connection failed and was closed: ${err.message}.`));
  const dispose = (): void => {
    registration.dispose();
    if (dropped > 0) service.log('warn', `A browser tab could not keep up: ${dropped} audio batches were not sent to it.`);
    if (ignored > 0) service.log('warn', `A browser tab sent ${ignored} messages on its audio connection, which only carries audio to it; they were ignored.`);
  };
  ws.on('close', dispose);
  return { dispose };
}
