import { contextBridge, ipcRenderer } from 'electron';
import { EVENT_CHANNELS, isInvokeChannel, type ElectronPreloadApi, type EventChannel } from './contract.ts';
import { decodePcmPacket } from './pcm-wire.ts';

/**
 * The preload: the only renderer-side code that touches ipcRenderer. It exposes a small named API
 * (`window.tap`); every `on*` returns its unsubscribe. PCM arrives on a MessagePort per tap.
 */
type PcmListener = (leg: number, wallClockMs: number, samples: Int16Array) => void;
const pcmListeners = new Map<number, Set<PcmListener>>();

ipcRenderer.on('tap:port', (event, msg: { tapNumber: number }) => {
  const port = event.ports[0];
  if (!port) return;
  port.onmessage = (ev: MessageEvent<ArrayBuffer>) => {
    const p = ev.data instanceof ArrayBuffer ? decodePcmPacket(ev.data) : undefined;
    if (!p) return;
    // The port belongs to one tap: its number, not the packet's, routes the audio.
    for (const l of pcmListeners.get(msg.tapNumber) ?? []) l(p.leg, p.wallClockMs, p.samples);
  };
  port.start();
});

const api: ElectronPreloadApi = {
  invoke: (channel, req) => {
    if (!isInvokeChannel(channel)) return Promise.resolve({ ok: false, error: { code: 'bad-request', message: `Unknown request ${String(channel)}` } });
    return ipcRenderer.invoke(channel, req);
  },
  on: (channel, listener) => {
    if (!EVENT_CHANNELS.includes(channel as EventChannel)) return () => undefined;
    const wrapped = (_e: unknown, payload: Parameters<typeof listener>[0]): void => listener(payload);
    ipcRenderer.on(channel, wrapped);
    return () => ipcRenderer.removeListener(channel, wrapped);
  },
  onPcm: (tapNumber, listener) => {
    let set = pcmListeners.get(tapNumber);
    if (!set) pcmListeners.set(tapNumber, (set = new Set()));
    set.add(listener);
    return () => set.delete(listener);
  },
};

contextBridge.exposeInMainWorld('tap', api);
