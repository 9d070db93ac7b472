import type { PcmSource } from '../../preload/contract.ts';
import { PCM_PORT_MESSAGE } from '../../preload/pcm-wire.ts';

type PortListener = (tapNumber: number, port: MessagePort) => void;

/**
 * Electron's data plane as the page receives it: the preload posts each tap's MessagePort into
 * the page as a window message. Only messages from this window itself (the preload), of that
 * type, with a whole tap number and exactly one port are taken; ports that come before anyone
 * listens are kept for the first listener.
 */
export function electronPcmPorts(win: Window = window): PcmSource {
  const waiting: [number, MessagePort][] = [];
  let listener: PortListener | undefined;
  win.addEventListener('message', (ev: MessageEvent<unknown>) => {
    const tapNumber = pcmPortTapNumber(ev, win);
    if (tapNumber === undefined) return;
    const port = ev.ports[0]!;
    if (listener) listener(tapNumber, port);
    else waiting.push([tapNumber, port]);
  });
  return {
    kind: 'ports',
    onPort(l) {
      listener = l;
      for (const [n, p] of waiting.splice(0)) l(n, p);
      return () => {
        if (listener === l) listener = undefined;
      };
    },
  };
}

/** The tap number of a window message that carries a tap's port from the preload, or undefined for any other message. */
export function pcmPortTapNumber(ev: { source: unknown; data: unknown; ports: readonly unknown[] }, win: unknown): number | undefined {
  if (ev.source !== win || ev.ports.length !== 1) return undefined;
  const data = ev.data as { type?: unknown; tapNumber?: unknown } | null;
  if (typeof data !== 'object' || data === null || data.type !== PCM_PORT_MESSAGE) return undefined;
  const tapNumber = data.tapNumber;
  return typeof tapNumber === 'number' && Number.isSafeInteger(tapNumber) && tapNumber >= 0 ? tapNumber : undefined;
}
