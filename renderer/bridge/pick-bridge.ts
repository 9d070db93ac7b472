import type { ElectronPreloadApi, TapBridge } from '../../preload/contract.ts';
import { RemoteError } from './bridge-error.ts';
import { WebBridge } from './web-bridge.ts';
import { electronPcmPorts } from './pcm-ports.ts';

declare global {
  interface Window {
    /** Set by the Electron preload; absent in a browser. */
    tap?: ElectronPreloadApi;
  }
}

/** Rebuilds coded errors on this side of Electron's IPC. */
function electronBridge(api: ElectronPreloadApi): TapBridge {
  // Listening from the start: a tap's port may come before the workbench asks for it.
  const pcm = electronPcmPorts();
  return {
    invoke: async (channel, req) => {
      const result = await api.invoke(channel, req);
      if (!result.ok) throw new RemoteError(result.error);
      return result.res;
    },
    on: (channel, listener) => api.on(channel, listener),
    pcmSource: () => pcm,
  };
}

/** The only place that knows which host the page runs in. */
export function pickBridge(): { bridge: TapBridge; web: WebBridge | undefined } {
  if (window.tap) return { bridge: electronBridge(window.tap), web: undefined };
  const web = new WebBridge();
  return { bridge: web, web };
}
