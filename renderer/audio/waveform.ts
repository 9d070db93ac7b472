/**
 * A scrolling live waveform: the last `seconds` of audio as min/max columns, newest at the right.
 * Audio is folded into columns as it arrives; drawing happens at most once per animation frame.
 */
export class LiveWaveform {
  readonly canvas: HTMLCanvasElement;
  private readonly seconds: number;
  private mins = new Float32Array(0);
  private maxs = new Float32Array(0);
  private head = 0;
  private colSamples = 0;
  private pendingMin = 1;
  private pendingMax = -1;
  private pendingCount = 0;
  private dirty = false;
  private raf = 0;
  /** Columns added since creation: lets tests see the picture move without pixel guessing. */
  columnsAdded = 0;

  constructor(seconds = 10) {
    this.seconds = seconds;
    this.canvas = document.createElement('canvas');
    this.canvas.className = 'waveform';
    this.resize(600, 80);
  }

  /** Draws now (e.g. when its tab is shown again). */
  redraw(): void {
    this.schedule();
  }

  resize(width: number, height: number): void {
    const w = Math.max(50, Math.floor(width));
    if (w === this.mins.length && height === this.canvas.height) return;
    this.canvas.width = w;
    this.canvas.height = height;
    this.mins = new Float32Array(w);
    this.maxs = new Float32Array(w);
    this.head = 0;
    this.colSamples = Math.max(1, Math.round((16_000 * this.seconds) / w));
    this.schedule();
  }

  push(samples: Int16Array): void {
    for (let i = 0; i < samples.length; i++) {
      const v = samples[i]! / 32768;
      if (v < this.pendingMin) this.pendingMin = v;
      if (v > this.pendingMax) this.pendingMax = v;
      if (++this.pendingCount >= this.colSamples) {
        this.mins[this.head] = this.pendingMin;
        this.maxs[this.head] = this.pendingMax;
        this.head = (this.head + 1) % this.mins.length;
        this.columnsAdded++;
        this.pendingMin = 1;
        this.pendingMax = -1;
        this.pendingCount = 0;
      }
    }
    this.schedule();
  }

  private schedule(): void {
    // A waveform in a hidden tab keeps its columns but draws nothing until it is shown again.
    if (this.dirty || !this.canvas.isConnected) return;
    this.dirty = true;
    this.raf = requestAnimationFrame(() => this.draw());
  }

  private draw(): void {
    this.dirty = false;
    const ctx = this.canvas.getContext('2d');
    if (!ctx) return;
    const { width, height } = this.canvas;
    const style = getComputedStyle(this.canvas);
    ctx.fillStyle = style.getPropertyValue('--wave-bg') || '#111';
    ctx.fillRect(0, 0, width, height);
    ctx.fillStyle = style.getPropertyValue('--wave-fg') || '#4fc3f7';
    const mid = height / 2;
    for (let x = 0; x < width; x++) {
      const i = (this.head + x) % width;
      const top = mid - this.maxs[i]! * mid;
      const bottom = mid - this.mins[i]! * mid;
      ctx.fillRect(x, top, 1, Math.max(1, bottom - top));
    }
  }

  dispose(): void {
    cancelAnimationFrame(this.raf);
  }
}
