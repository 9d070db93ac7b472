import { WaveColumns } from '../audio/wave-columns.ts';
import { comparePictures, drawUpdate } from '../audio/wave-draw.ts';
import { drawBands, drawOverlays, markAt } from './mark-draw.ts';
import type { LiveLegState, LivePalette, LivePictureCheck, MarkSpec } from './live-protocol.ts';
import type { PlayerRing } from './player-ring.ts';

const SAMPLE_RATE = 16_000;
/**
 * A picture moves the waveform by a whole number of columns, the fewest that take at least this
 * long: every step is the same size (no judder from steps of 3 and 4 pixels), and each picture
 * costs a compositor frame whatever is drawn (see bench/README.md, latency), so this sets the rate.
 */
const MIN_PICTURE_MS = 40;

type Ctx = OffscreenCanvasRenderingContext2D;

function context2d(canvas: OffscreenCanvas): Ctx {
  const ctx = canvas.getContext('2d', { alpha: false });
  if (!ctx) throw new Error('This browser gives no 2D drawing context to an OffscreenCanvas.');
  return ctx;
}

/**
 * One leg's live view, inside the live worker: the last `seconds` of its audio as min/max pixel
 * columns, newest at the right, with its finding marks. A picture scrolls by the columns added
 * since the last one and draws only those (and the marks' bands over them). When marks are shown,
 * the scrolled picture is kept apart (`base`) and each picture is a copy of it with the marks'
 * labels on top, since labels move over the waveform rather than with it.
 */
export class LegView {
  readonly tapNumber: number;
  readonly leg: number;
  private readonly seconds: number;
  private readonly view: OffscreenCanvas;
  private readonly viewCtx: Ctx;
  private base: { canvas: OffscreenCanvas; ctx: Ctx } | undefined;
  private cols: WaveColumns;
  /** Columns of earlier sizes (a resize starts the picture afresh). */
  private addedBefore = 0;
  private drawnUpTo = 0;
  private needsFull = true;
  private marks: MarkSpec[] = [];
  private marksShown: string[] = [];
  private scratch = new Int16Array(0);
  private scratchTimes = new Float64Array(0);
  private shownTimesBuf = new Float64Array(0);
  /** Whether the canvas can be seen: nothing is drawn while it cannot. */
  visible = true;
  /** Pictures presented: lets tests see that a hidden waveform draws nothing. */
  draws = 0;
  /** Data-plane packets received (tests: audio only shown comes in fewer, larger packets). */
  packets = 0;
  /** Where this leg's audio goes to be heard (an audio worklet's ring or port), if it is listened to. */
  player: { ring: PlayerRing } | { port: MessagePort } | null = null;

  constructor(tapNumber: number, leg: number, canvas: OffscreenCanvas, width: number, height: number, seconds: number) {
    this.tapNumber = tapNumber;
    this.leg = leg;
    this.seconds = seconds;
    this.view = canvas;
    this.viewCtx = context2d(canvas);
    this.cols = this.columnsFor(Math.max(50, Math.floor(width)));
    this.applySize(height);
  }

  get columnsAdded(): number {
    return this.addedBefore + this.cols.added;
  }

  /** Whether a picture is due: visible, and a full one is needed or a whole step of columns is waiting. */
  get dirty(): boolean {
    return this.visible && (this.needsFull || this.cols.added - this.drawnUpTo >= this.step);
  }

  /** Columns per picture (see MIN_PICTURE_MS). */
  private get step(): number {
    return Math.max(1, Math.ceil(MIN_PICTURE_MS / this.colMs));
  }

  /** The end times of the picture's columns, left to right (0 where no audio was); valid until the next call. */
  private shownTimes(): Float64Array {
    const w = this.cols.width;
    if (this.shownTimesBuf.length !== w) this.shownTimesBuf = new Float64Array(w);
    const out = this.shownTimesBuf.fill(0);
    const held = Math.min(w, this.drawnUpTo, this.drawnUpTo - (this.cols.added - w));
    if (held > 0) this.cols.rangeTimes(this.drawnUpTo - held, held, out.subarray(w - held));
    return out;
  }

  private get colMs(): number {
    return (this.cols.samplesPerColumn * 1000) / SAMPLE_RATE;
  }

  private columnsFor(width: number): WaveColumns {
    return new WaveColumns(width, Math.max(1, Math.round((SAMPLE_RATE * this.seconds) / width)));
  }

  private applySize(height: number): void {
    // Resizing clears a canvas's bitmap: the next picture is a full one.
    this.view.width = this.cols.width;
    this.view.height = height;
    if (this.base) {
      this.base.canvas.width = this.cols.width;
      this.base.canvas.height = height;
    }
    this.needsFull = true;
  }

  push(samples: Int16Array, wallMs: number): void {
    this.packets++;
    this.cols.push(samples, wallMs);
  }

  resize(width: number, height: number): void {
    const w = Math.max(50, Math.floor(width));
    if (w === this.cols.width && height === this.view.height) return;
    this.addedBefore += this.cols.added;
    this.cols = this.columnsFor(w);
    this.drawnUpTo = 0;
    this.applySize(height);
  }

  setMarks(marks: MarkSpec[]): void {
    this.marks = marks;
    if (marks.length > 0 && !this.base) {
      const canvas = new OffscreenCanvas(this.view.width, this.view.height);
      this.base = { canvas, ctx: context2d(canvas) };
    } else if (marks.length === 0) this.base = undefined;
    // A finding is often reported after the audio it is about: draw the bands over the old columns too.
    this.needsFull = true;
  }

  /** A full redraw from next time (e.g. new colours). */
  invalidate(): void {
    this.needsFull = true;
  }

  /**
   * Moves the picture on by one step of columns (all that wait, after a stall of two steps or
   * more, or when `catchUp`), or draws it afresh when a full picture is needed.
   */
  picture(palette: LivePalette, catchUp = false): void {
    const target = this.base?.ctx ?? this.viewCtx;
    const w = this.cols.width;
    const h = this.view.height;
    const full = this.needsFull;
    const added = this.cols.added;
    const pending = added - this.drawnUpTo;
    const upTo = full || catchUp || pending >= 2 * this.step ? added : this.drawnUpTo + Math.min(pending, this.step);
    const n = full ? w : Math.min(w, upTo - this.drawnUpTo);
    this.needsFull = false;
    this.drawnUpTo = upTo;
    if (this.scratch.length < w * 2) {
      this.scratch = new Int16Array(w * 2);
      this.scratchTimes = new Float64Array(w);
    }
    // A full picture ends at the newest column (columns before any audio read as silence).
    const fresh = full ? this.cols.newest(n, this.scratch) : this.cols.range(upTo - n, n, this.scratch);
    const times = this.marks.length === 0 ? undefined : full ? this.cols.newestTimes(n, this.scratchTimes) : this.cols.rangeTimes(upTo - n, n, this.scratchTimes);
    this.paint(target, fresh, times, full, palette);
    if (this.base) {
      this.viewCtx.drawImage(this.base.canvas, 0, 0);
      this.marksShown = drawOverlays(this.viewCtx, this.shownTimes(), h, this.colMs, this.marks, palette);
    } else this.marksShown = [];
    this.draws++;
  }

  /** Draws `fresh` columns at the right of `ctx` (scrolling, or afresh when `full`) with the marks' bands over them, dated by `times`. */
  private paint(ctx: Ctx, fresh: Int16Array, times: Float64Array | undefined, full: boolean, palette: LivePalette): void {
    const h = this.view.height;
    const colMs = this.colMs;
    const marks = this.marks;
    drawUpdate(ctx, this.cols.width, h, fresh, full, { bg: palette.waveBg, fg: palette.waveFg }, times ? (x0, k) => drawBands(ctx, x0, times.subarray(times.length - k), h, marks, colMs, palette) : undefined);
  }

  state(): LiveLegState {
    return { columnsAdded: this.columnsAdded, draws: this.draws, packets: this.packets, marks: this.marksShown };
  }

  /** Tests: the scrolled picture (labels aside) against a full redraw of the same columns and marks. */
  check(palette: LivePalette): LivePictureCheck {
    if (this.visible && (this.needsFull || this.cols.added !== this.drawnUpTo)) this.picture(palette, true);
    const w = this.cols.width;
    const h = this.view.height;
    const ref = context2d(new OffscreenCanvas(w, h));
    this.paint(ref, this.cols.newest(w, new Int16Array(w * 2)), this.cols.newestTimes(w, new Float64Array(w)), true, palette);
    const live = (this.base?.ctx ?? this.viewCtx).getImageData(0, 0, w, h);
    return comparePictures(live, ref.getImageData(0, 0, w, h));
  }

  /** The message of the mark under x (canvas pixels), if any. */
  hit(x: number): string | null {
    return markAt(x, this.shownTimes(), this.colMs, this.marks);
  }
}
