import { WaveColumns } from './wave-columns.ts';
import { comparePictures, drawUpdate, type PictureCheck, type WaveColors } from './wave-draw.ts';
import { waveWorker } from './wave-worker-client.ts';

/**
 * How often a live waveform may present a new picture. Every picture costs the page a compositor
 * frame (about 1.5-2 ms of CPU in Chromium's software compositing, whatever is drawn), so this
 * interval, not the drawing, sets what a live tap costs; see bench/README.md (latency).
 */
export const WAVE_FRAME_MS = 40;

const SAMPLE_RATE = 16_000;

/**
 * A scrolling live waveform: the last `seconds` of audio as min/max pixel columns, newest at the
 * right. Columns are folded in as PCM arrives ({@link WaveColumns}); a new picture scrolls by the
 * columns added since the last one and draws only those, at most every WAVE_FRAME_MS, and only
 * while the canvas is on screen (in the document, its page visible, inside the viewport). Drawing
 * happens in a worker on a transferred canvas where the browser allows it, on this thread otherwise.
 */
export class LiveWaveform {
  readonly canvas: HTMLCanvasElement;
  private readonly seconds: number;
  private cols: WaveColumns;
  private height = 80;
  /** Columns of earlier sizes (a resize starts the picture afresh). */
  private addedBefore = 0;
  /** `cols.added` when the picture was last brought up to date. */
  private drawnUpTo = 0;
  private needsFull = true;
  private themeKey: string | undefined;
  private colors: WaveColors = { bg: '#111', fg: '#4fc3f7' };
  private intersecting = true;
  private lastDrawAt = -Infinity;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private raf = 0;
  private readonly observer: IntersectionObserver | undefined;
  private readonly onVisibility = (): void => this.schedule();
  /** Where drawing happens: a worker surface id, or this thread's 2D context. */
  private readonly surface: { worker: number } | { ctx: CanvasRenderingContext2D | null };
  private scratch = new Int16Array(0);
  /** Pictures presented since creation: lets tests see that a hidden waveform draws nothing. */
  draws = 0;

  constructor(seconds = 10) {
    this.seconds = seconds;
    this.canvas = document.createElement('canvas');
    this.canvas.className = 'waveform';
    this.cols = this.columnsFor(600);
    this.canvas.width = 600;
    this.canvas.height = this.height;
    const worker = waveWorker();
    const id = worker?.attach(this.canvas);
    this.surface = id !== undefined ? { worker: id } : { ctx: this.canvas.getContext('2d', { alpha: false }) };
    if (typeof IntersectionObserver === 'function') {
      this.observer = new IntersectionObserver((entries) => {
        this.intersecting = entries.at(-1)?.isIntersecting ?? true;
        this.schedule();
      });
      this.observer.observe(this.canvas);
    }
    document.addEventListener('visibilitychange', this.onVisibility);
  }

  /** Columns added since creation: lets tests see the picture move without pixel guessing. */
  get columnsAdded(): number {
    return this.addedBefore + this.cols.added;
  }

  /** Brings the picture up to date now (e.g. when its tab is shown again). */
  redraw(): void {
    this.schedule();
  }

  resize(width: number, height: number): void {
    const w = Math.max(50, Math.floor(width));
    if (w === this.cols.width && height === this.height) return;
    this.addedBefore += this.cols.added;
    this.cols = this.columnsFor(w);
    this.height = height;
    this.drawnUpTo = 0;
    this.needsFull = true;
    if ('ctx' in this.surface) {
      this.canvas.width = w;
      this.canvas.height = height;
    }
    this.schedule();
  }

  push(samples: Int16Array): void {
    if (this.cols.push(samples) > 0) this.schedule();
  }

  private columnsFor(width: number): WaveColumns {
    return new WaveColumns(width, Math.max(1, Math.round((SAMPLE_RATE * this.seconds) / width)));
  }

  private get visible(): boolean {
    return this.canvas.isConnected && document.visibilityState === 'visible' && this.intersecting;
  }

  /** Draws now if allowed, else once the frame interval has passed; nothing while hidden. */
  private schedule(): void {
    if (!this.visible || this.timer !== undefined || this.raf !== 0) return;
    if (!this.needsFull && this.cols.added === this.drawnUpTo) return;
    const wait = this.lastDrawAt + WAVE_FRAME_MS - performance.now();
    if (wait > 0) {
      this.timer = setTimeout(() => {
        this.timer = undefined;
        this.schedule();
      }, wait);
    } else if ('worker' in this.surface) this.draw();
    // On this thread, draw where the browser paints anyway: in an animation frame.
    else this.raf = requestAnimationFrame(() => ((this.raf = 0), this.draw()));
  }

  private draw(): void {
    if (!this.visible) return;
    this.lastDrawAt = performance.now();
    const key = `${document.documentElement.dataset['theme'] ?? ''}`;
    let colors: WaveColors | undefined;
    if (key !== this.themeKey) {
      // Read the theme's colours only when the theme changes (getComputedStyle can force a style pass).
      const style = getComputedStyle(this.canvas);
      this.colors = colors = { bg: style.getPropertyValue('--wave-bg').trim() || '#111', fg: style.getPropertyValue('--wave-fg').trim() || '#4fc3f7' };
      this.themeKey = key;
      this.needsFull = true;
    }
    const full = this.needsFull;
    const n = full ? this.cols.width : Math.min(this.cols.width, this.cols.added - this.drawnUpTo);
    this.needsFull = false;
    this.drawnUpTo = this.cols.added;
    this.draws++;
    const w = this.cols.width;
    if ('worker' in this.surface) {
      // A small array of its own, transferred: the worker owns it from here.
      const cols = this.cols.newest(n, new Int16Array(n * 2));
      waveWorker()!.post({ kind: 'draw', id: this.surface.worker, width: w, height: this.height, cols, full, ...(colors ? { colors } : {}) }, [cols.buffer]);
    } else if (this.surface.ctx) {
      if (this.scratch.length < w * 2) this.scratch = new Int16Array(w * 2);
      drawUpdate(this.surface.ctx, w, this.height, this.cols.newest(n, this.scratch), full, this.colors);
    }
  }

  /** Tests: the picture, brought up to date, against a full redraw of the same columns. */
  async check(): Promise<PictureCheck> {
    if (this.timer !== undefined) clearTimeout(this.timer);
    cancelAnimationFrame(this.raf);
    this.timer = undefined;
    this.raf = 0;
    this.draw();
    const w = this.cols.width;
    const cols = this.cols.newest(w, new Int16Array(w * 2));
    if ('worker' in this.surface) return waveWorker()!.check(this.surface.worker, cols);
    const ctx = this.surface.ctx!;
    const ref = document.createElement('canvas');
    ref.width = w;
    ref.height = this.height;
    const refCtx = ref.getContext('2d', { alpha: false })!;
    drawUpdate(refCtx, w, this.height, cols, true, this.colors);
    return comparePictures(ctx.getImageData(0, 0, w, this.height), refCtx.getImageData(0, 0, w, this.height));
  }

  dispose(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    cancelAnimationFrame(this.raf);
    this.observer?.disconnect();
    document.removeEventListener('visibilitychange', this.onVisibility);
    if ('worker' in this.surface) waveWorker()?.post({ kind: 'detach', id: this.surface.worker });
  }
}
