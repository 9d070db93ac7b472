import type WebSocket from 'ws';
import type { Disposable } from '../core/common/disposable.ts';
import { encodePcmPacket } from '../../preload/pcm-wire.ts';
import type { TapService } from '../core/service/tap-service.ts';
import { PcmPacer } from './pcm-pacer.ts';

/** A page's word on what it does with its taps, as it may send it on /pcm; larger ones are ignored. */
const MAX_ATTENTION_BYTES = 16 * 1024;
const MAX_TAPS_NAMED = 1024;

/**
 * Reads `{"heard": [tap numbers], "shown": [tap numbers]}` (the page's live worker sends it when
 * either changes); undefined for anything else (it is ignored, never a reason to close).
 */
export function parseAttention(data: Buffer, isBinary: boolean): { heard: number[]; shown: number[] } | undefined {
  if (isBinary || data.length > MAX_ATTENTION_BYTES) return undefined;
  let msg: unknown;
  try {
    msg = JSON.parse(data.toString('utf8'));
  } catch {
    return undefined;
  }
  if (typeof msg !== 'object' || msg === null || Array.isArray(msg)) return undefined;
  const { heard, shown } = msg as Record<string, unknown>;
  const tapList = (v: unknown): v is number[] => Array.isArray(v) && v.length <= MAX_TAPS_NAMED && v.every((n) => typeof n === 'number' && Number.isSafeInteger(n) && n >= 0);
  return tapList(heard) && tapList(shown) ? { heard, shown } : undefined;
}

/** PCM waiting in a browser's socket beyond this is dropped for that browser (it cannot keep up). */
const MAX_BUFFERED = 4 * 1024 * 1024;

/**
 * One browser tab's data plane on the web host (`/pcm`): every tap's PCM as binary packets
 * (preload/pcm-wire.ts), read by the page's live worker, so audio never passes through the page's
 * main thread. The page says on it which taps it hears and which it shows ({@link parseAttention}),
 * and audio it does not hear is sent in fewer, larger pieces ({@link PcmPacer}); anything else
 * it sends is counted and ignored (never a reason to end the process).
 */
export function attachPcmSocket(ws: WebSocket, service: TapService): Disposable {
  let dropped = 0;
  let ignored = 0;
  const pacer = new PcmPacer((tapNumber, leg, wallClockMs, data) => {
    if (ws.readyState !== ws.OPEN) return;
    if (ws.bufferedAmount > MAX_BUFFERED) {
      dropped++;
      return;
    }
    ws.send(encodePcmPacket(tapNumber, leg, wallClockMs, data), { binary: true });
  });
  const registration = service.addSink({
    event: () => undefined,
    pcm: (tapNumber, leg, wallClockMs, data) => pacer.push(tapNumber, leg, wallClockMs, data),
  });
  ws.on('message', (data: Buffer | ArrayBuffer | Buffer[], isBinary: boolean) => {
    const attention = Buffer.isBuffer(data) ? parseAttention(data, isBinary) : undefined;
    if (attention) pacer.setAttention(attention.heard, attention.shown);
    else ignored++;
  });
  // `ws` reports oversized frames and protocol errors here and closes this socket; without a
  // listener the error would end the process.
  ws.on('error', (err) => service.log('warn', `A browser tab's audio connection failed and was closed: ${err.message}.`));
  const dispose = (): void => {
    registration.dispose();
    pacer.dispose();
    if (dropped > 0) service.log('warn', `A browser tab could not keep up: ${dropped} audio batches were not sent to it.`);
    if (ignored > 0) service.log('warn', `A browser tab sent ${ignored} messages on its audio connection that were not {heard, shown} lists of tap numbers; they were ignored.`);
  };
  ws.on('close', dispose);
  return { dispose };
}
