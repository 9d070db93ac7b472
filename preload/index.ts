import { contextBridge, ipcRenderer } from 'electron';
import { APP_ORIGIN, EVENT_CHANNELS, isInvokeChannel, type ElectronPreloadApi, type EventChannel } from './contract.ts';
import { PCM_PORT_MESSAGE } from './pcm-wire.ts';

/**
 * The preload: the only renderer-side code that touches ipcRenderer. It exposes a small named API
 * (`window.tap`); every `on*` returns its unsubscribe. PCM arrives on a MessagePort per tap, which
 * goes on into the page (to the app's own origin only) and from there to its live worker.
 */
// A port that comes while the page is still loading (a window opened while taps stream) waits
// until the page's scripts have run and listen for it: a window message has no queue.
const early: [number, MessagePort][] = [];
const postPort = (tapNumber: number, port: MessagePort): void => window.postMessage({ type: PCM_PORT_MESSAGE, tapNumber }, APP_ORIGIN, [port]);
window.addEventListener('DOMContentLoaded', () => early.splice(0).forEach(([n, p]) => postPort(n, p)), { once: true });

ipcRenderer.on('tap:port', (event, msg: { tapNumber?: unknown } | undefined) => {
  const port = event.ports[0];
  const tapNumber = msg?.tapNumber;
  if (!port || typeof tapNumber !== 'number' || !Number.isSafeInteger(tapNumber)) return;
  if (document.readyState === 'loading') early.push([tapNumber, port]);
  else postPort(tapNumber, port);
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
};

contextBridge.exposeInMainWorld('tap', api);
