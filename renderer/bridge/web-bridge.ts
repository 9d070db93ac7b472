import type { BridgeError, EventChannel, EventMap, InvokeChannel, InvokeMap, PcmSource, TapBridge } from '../../preload/contract.ts';
import { RemoteError } from './bridge-error.ts';

interface Pending {
  resolve: (v: unknown) => void;
  reject: (e: Error) => void;
}

/**
 * The contract over the web host's sockets: JSON for control on /bridge; PCM on /pcm, which the
 * page's live worker opens. The token travels as the HttpOnly cookie the host set when the page
 * was opened.
 */
export class WebBridge implements TapBridge {
  private readonly ws: WebSocket;
  private readonly ready: Promise<void>;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly listeners = new Map<EventChannel, Set<(p: never) => void>>();
  private closedHandler: (() => void) | undefined;

  constructor(url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/bridge`) {
    this.ws = new WebSocket(url);
    this.ws.binaryType = 'arraybuffer';
    this.ready = new Promise((resolve, reject) => {
      this.ws.addEventListener('open', () => resolve(), { once: true });
      this.ws.addEventListener('error', () => reject(new RemoteError({ code: 'bridge-unavailable', message: 'Cannot reach the Asterisk Tap host. Is "asterisk-tap serve" still running?' })), { once: true });
    });
    this.ws.addEventListener('message', (ev: MessageEvent<ArrayBuffer | string>) => this.onMessage(ev.data));
    this.ws.addEventListener('close', () => {
      for (const p of this.pending.values()) p.reject(new RemoteError({ code: 'bridge-closed', message: 'The connection to the Asterisk Tap host was lost.' }));
      this.pending.clear();
      this.closedHandler?.();
    });
  }

  /** Called once when the host goes away, so the UI can say so. */
  onClosed(handler: () => void): void {
    this.closedHandler = handler;
  }

  private onMessage(data: ArrayBuffer | string): void {
    // Only JSON comes on this socket (PCM has its own).
    if (typeof data !== 'string') return;
    const msg = JSON.parse(data) as { id?: number; ok?: boolean; res?: unknown; error?: BridgeError; event?: EventChannel; payload?: unknown };
    if (msg.event !== undefined) {
      for (const l of this.listeners.get(msg.event) ?? []) (l as (p: unknown) => void)(msg.payload);
      return;
    }
    const p = msg.id === undefined ? undefined : this.pending.get(msg.id);
    if (!p) return;
    this.pending.delete(msg.id!);
    if (msg.ok) p.resolve(msg.res);
    else p.reject(new RemoteError(msg.error ?? { code: 'internal', message: 'Unknown error' }));
  }

  async invoke<C extends InvokeChannel>(channel: C, req: InvokeMap[C]['req']): Promise<InvokeMap[C]['res']> {
    await this.ready;
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.ws.send(JSON.stringify({ id, channel, req }));
    });
  }

  on<C extends EventChannel>(channel: C, listener: (payload: EventMap[C]) => void): () => void {
    let set = this.listeners.get(channel);
    if (!set) this.listeners.set(channel, (set = new Set()));
    set.add(listener as (p: never) => void);
    return () => set.delete(listener as (p: never) => void);
  }

  pcmSource(): PcmSource {
    return { kind: 'socket', url: `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/pcm` };
  }
}
