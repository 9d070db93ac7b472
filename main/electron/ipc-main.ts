import { ipcMain, MessageChannelMain, type MessagePortMain, type WebContents } from 'electron';
import { INVOKE_CHANNELS, type EventChannel, type EventMap } from '../../preload/contract.ts';
import type { Disposable } from '../core/common/disposable.ts';
import { encodePcmPacket } from '../../preload/pcm-wire.ts';
import { toBridgeError, type TapService } from '../core/service/tap-service.ts';
import { isTrustedSender } from './sender-check.ts';

/**
 * The only module that touches ipcMain. Every handler checks its sender first; answers carry
 * errors as data ({ok:false, error:{code,message}}) so codes survive the trip. PCM goes on a
 * MessagePort per tap, never through ipcMain.
 */
export function registerIpc(service: TapService): Disposable {
  for (const channel of INVOKE_CHANNELS) {
    ipcMain.handle(channel, async (event, req: unknown) => {
      if (!isTrustedSender(event.senderFrame)) return { ok: false, error: { code: 'forbidden', message: 'IPC from an untrusted page was refused.' } };
      try {
        return { ok: true, res: await service.handle(channel, req) };
      } catch (err) {
        return { ok: false, error: toBridgeError(err) };
      }
    });
  }
  return { dispose: () => INVOKE_CHANNELS.forEach((c) => ipcMain.removeHandler(c)) };
}

/** Connects one window to the service: events over IPC, PCM over one MessagePort per tap. */
export function connectWindow(contents: WebContents, service: TapService): Disposable {
  const ports = new Map<number, MessagePortMain>();
  const portFor = (tapNumber: number): MessagePortMain => {
    let port = ports.get(tapNumber);
    if (!port) {
      const { port1, port2 } = new MessageChannelMain();
      contents.postMessage('tap:port', { tapNumber }, [port2]);
      ports.set(tapNumber, (port = port1));
    }
    return port;
  };
  const registration = service.addSink({
    event<C extends EventChannel>(channel: C, payload: EventMap[C]): void {
      if (contents.isDestroyed()) return;
      contents.send(channel, payload);
      if (channel === 'tap:changed') {
        const tap = payload as EventMap['tap:changed'];
        if (tap.detached) {
          ports.get(tap.number)?.close();
          ports.delete(tap.number);
        }
      }
    },
    pcm(tapNumber, leg, wallClockMs, data): void {
      if (contents.isDestroyed()) return;
      const packet = encodePcmPacket(tapNumber, leg, wallClockMs, data);
      portFor(tapNumber).postMessage(packet);
    },
  });
  const dispose = (): void => {
    registration.dispose();
    for (const p of ports.values()) p.close();
    ports.clear();
  };
  contents.once('destroyed', dispose);
  return { dispose };
}
