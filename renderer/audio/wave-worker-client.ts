import type { PictureCheck } from './wave-draw.ts';
import type { WaveWorkerReply, WaveWorkerRequest } from './wave-worker-protocol.ts';

/** The page's one waveform drawing worker: canvases are attached to it by id. */
class WaveWorkerClient {
  private readonly worker: Worker;
  private nextId = 1;
  private nextReq = 1;
  private readonly checks = new Map<number, (r: PictureCheck) => void>();

  constructor(worker: Worker) {
    this.worker = worker;
    this.worker.onmessage = (ev: MessageEvent<WaveWorkerReply>) => {
      const { reqId, maxDiff, barHeights } = ev.data;
      this.checks.get(reqId)?.({ maxDiff, barHeights });
      this.checks.delete(reqId);
    };
  }

  /** Hands the canvas to the worker; returns its id, or undefined when the browser cannot. */
  attach(canvas: HTMLCanvasElement): number | undefined {
    if (typeof canvas.transferControlToOffscreen !== 'function') return undefined;
    const id = this.nextId++;
    const offscreen = canvas.transferControlToOffscreen();
    this.post({ kind: 'attach', id, canvas: offscreen, colors: { bg: '#111', fg: '#4fc3f7' } }, [offscreen]);
    return id;
  }

  post(msg: WaveWorkerRequest, transfer: Transferable[] = []): void {
    this.worker.postMessage(msg, transfer);
  }

  check(id: number, cols: Int16Array): Promise<PictureCheck> {
    const reqId = this.nextReq++;
    return new Promise((resolve) => {
      this.checks.set(reqId, resolve);
      this.post({ kind: 'check', id, reqId, cols }, [cols.buffer]);
    });
  }
}

let client: WaveWorkerClient | null | undefined;

/** The drawing worker, started on first use; null where workers or OffscreenCanvas are missing. */
export function waveWorker(): WaveWorkerClient | null {
  if (client === undefined) {
    try {
      client = typeof OffscreenCanvas === 'function' ? new WaveWorkerClient(new Worker(new URL('./wave-worker.ts', import.meta.url), { type: 'module' })) : null;
    } catch {
      client = null;
    }
  }
  return client;
}
