import type { PcmSource } from '../../preload/contract.ts';
import type { LiveQuestion, LiveReply, LiveRequest } from './live-protocol.ts';
import { readPalette } from './palette.ts';

/**
 * The page's side of its live worker (live-worker.ts): starts it, connects it to the data plane,
 * keeps its colours in step with the theme, and carries questions and answers. The audio never
 * comes to this thread: per frame, the page's main thread does nothing at all.
 */
export class LivePlane {
  private readonly worker: Worker;
  private nextId = 1;
  private nextReq = 1;
  private readonly answers = new Map<number, (value: unknown) => void>();
  private readonly unsubscribe: () => void;
  private readonly themeObserver: MutationObserver;
  private closedHandler: ((message: string) => void) | undefined;

  constructor(source: PcmSource) {
    this.worker = new Worker(new URL('./live-worker.ts', import.meta.url), { type: 'module' });
    this.worker.onmessage = (ev: MessageEvent<LiveReply>) => {
      const msg = ev.data;
      if (msg.kind === 'source-closed') return this.closedHandler?.(msg.message);
      this.answers.get(msg.reqId)?.(msg.value);
      this.answers.delete(msg.reqId);
    };
    if (source.kind === 'socket') {
      this.post({ kind: 'source-socket', url: source.url });
      this.unsubscribe = () => undefined;
    } else {
      // The contract names the port structurally (it has no DOM types); in the page it is a MessagePort.
      this.unsubscribe = source.onPort((tapNumber, p) => {
        const port = p as MessagePort;
        this.post({ kind: 'source-port', tapNumber, port }, [port]);
      });
    }
    // The theme is set on the root element's data-theme: new colours, drawn again.
    this.themeObserver = new MutationObserver(() => this.post({ kind: 'palette', palette: readPalette() }));
    this.themeObserver.observe(document.documentElement, { attributes: true, attributeFilter: ['data-theme'] });
    this.post({ kind: 'palette', palette: readPalette() });
  }

  /** Called when the data plane fails (the host went away). */
  onClosed(handler: (message: string) => void): void {
    this.closedHandler = handler;
  }

  /** Hands a leg's canvas to the worker; returns the id that names it from now on. */
  attach(tapNumber: number, leg: number, canvas: HTMLCanvasElement, seconds: number): number {
    const id = this.nextId++;
    const offscreen = canvas.transferControlToOffscreen();
    this.post({ kind: 'attach', id, tapNumber, leg, canvas: offscreen, width: canvas.width, height: canvas.height, seconds }, [offscreen]);
    return id;
  }

  post(msg: LiveRequest, transfer: Transferable[] = []): void {
    this.worker.postMessage(msg, transfer);
  }

  ask<T>(question: LiveQuestion): Promise<T> {
    const reqId = this.nextReq++;
    return new Promise<T>((resolve) => {
      this.answers.set(reqId, resolve as (v: unknown) => void);
      this.post({ kind: 'ask', reqId, question });
    });
  }

  /** Latency bench: stamps on what goes to the worklets, and arrival delays kept in the worker. */
  setProbe(on: boolean): void {
    this.post({ kind: 'probe', on });
  }

  dispose(): void {
    this.unsubscribe();
    this.themeObserver.disconnect();
    this.worker.terminate();
  }
}
