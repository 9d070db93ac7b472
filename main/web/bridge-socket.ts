import type WebSocket from 'ws';
import { isInvokeChannel, type EventChannel, type EventMap } from '../../preload/contract.ts';
import type { Disposable } from '../core/common/disposable.ts';
import { encodePcmPacket } from '../core/service/pcm-packet.ts';
import { toBridgeError, type ServiceSink, type TapService } from '../core/service/tap-service.ts';

/** PCM waiting in a browser's socket beyond this is dropped for that browser (it cannot keep up). */
const MAX_BUFFERED = 4 * 1024 * 1024;
const MAX_MESSAGE = 256 * 1024;

/**
 * One browser tab on the web host: control as JSON ({id, channel, req} → {id, ok, res|error};
 * {event, payload}), PCM as binary packets.
 */
export function attachBridgeSocket(ws: WebSocket, service: TapService): Disposable {
  let pcmDropped = 0;
  const sink: ServiceSink = {
    event<C extends EventChannel>(channel: C, payload: EventMap[C]): void {
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ event: channel, payload }));
    },
    pcm(tapNumber, leg, wallClockMs, data): void {
      if (ws.readyState !== ws.OPEN) return;
      if (ws.bufferedAmount > MAX_BUFFERED) {
        pcmDropped++;
        return;
      }
      ws.send(encodePcmPacket(tapNumber, leg, wallClockMs, data), { binary: true });
    },
  };
  const registration = service.addSink(sink);
  ws.on('message', (data, isBinary) => {
    if (isBinary || (data as Buffer).length > MAX_MESSAGE) return;
    let msg: { id?: unknown; channel?: unknown; req?: unknown };
    try {
      msg = JSON.parse(String(data)) as typeof msg;
    } catch {
      return;
    }
    const id = typeof msg.id === 'number' ? msg.id : -1;
    const reply = (body: object): void => {
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ id, ...body }));
    };
    if (!isInvokeChannel(msg.channel)) {
      reply({ ok: false, error: { code: 'bad-request', message: `Unknown request "${String(msg.channel)}".` } });
      return;
    }
    service.handle(msg.channel, msg.req).then(
      (res) => reply({ ok: true, res }),
      (err: unknown) => reply({ ok: false, error: toBridgeError(err) }),
    );
  });
  const dispose = (): void => {
    registration.dispose();
    if (pcmDropped > 0) service.log('warn', `A browser tab could not keep up: ${pcmDropped} audio batches were not sent to it.`);
  };
  ws.on('close', dispose);
  return { dispose };
}
