import type { FindingView } from '../../preload/contract.ts';
import type { LiveLegState, LivePictureCheck, MarkSpec, PlayerFeed } from './live-protocol.ts';
import type { LivePlane } from './live-plane.ts';

/** Tooltips over marks are looked up at most this often while the pointer moves. */
const HIT_INTERVAL_MS = 100;

/**
 * One leg's live waveform as the page holds it: a canvas drawn by the live worker. This side
 * only tells the worker what changed — whether the canvas can be seen (in the document, its page
 * visible, inside the viewport), its size, the leg's findings, listening — so per audio frame it
 * costs the page's main thread nothing.
 */
export class LiveLeg {
  readonly canvas: HTMLCanvasElement;
  private readonly plane: LivePlane;
  private readonly leg: number;
  private readonly id: number;
  private intersecting = true;
  private visible: boolean | undefined;
  private width: number;
  private height: number;
  private marksKey = '';
  private hasMarks = false;
  private lastHit = 0;
  private readonly observer: IntersectionObserver;
  private readonly onVisibility = (): void => this.updateVisible();
  private readonly onPointer = (ev: MouseEvent): void => this.hover(ev);

  constructor(plane: LivePlane, tapNumber: number, leg: number, seconds = 10) {
    this.plane = plane;
    this.leg = leg;
    this.canvas = document.createElement('canvas');
    this.canvas.className = 'waveform';
    this.width = this.canvas.width = 600;
    this.height = this.canvas.height = 80;
    this.id = plane.attach(tapNumber, leg, this.canvas, seconds);
    this.observer = new IntersectionObserver((entries) => {
      this.intersecting = entries.at(-1)?.isIntersecting ?? true;
      this.updateVisible();
    });
    this.observer.observe(this.canvas);
    document.addEventListener('visibilitychange', this.onVisibility);
    this.canvas.addEventListener('mousemove', this.onPointer);
  }

  /** Re-evaluates whether the canvas can be seen (e.g. its tab was shown or hidden). */
  updateVisible(): void {
    const visible = this.canvas.isConnected && document.visibilityState === 'visible' && this.intersecting;
    if (visible === this.visible) return;
    this.visible = visible;
    this.plane.post({ kind: 'visible', id: this.id, visible });
  }

  resize(width: number, height: number): void {
    const w = Math.max(50, Math.floor(width));
    if (w === this.width && height === this.height) return;
    this.width = w;
    this.height = height;
    this.plane.post({ kind: 'resize', id: this.id, width: w, height });
  }

  /** The tap's findings: those of this leg or of the whole call become marks (sent only when they changed). */
  setFindings(findings: readonly FindingView[]): void {
    const marks: MarkSpec[] = findings
      .filter((f) => f.leg === this.leg || f.leg === null)
      .map((f) => ({ key: f.id, kind: f.kind, severity: f.severity, startedAt: f.startedAt, endedAt: f.endedAt, message: f.message }));
    const key = JSON.stringify(marks);
    if (key === this.marksKey) return;
    this.marksKey = key;
    this.hasMarks = marks.length > 0;
    if (!this.hasMarks) this.canvas.title = '';
    this.plane.post({ kind: 'marks', id: this.id, marks });
  }

  /** Feeds the leg's audio to a worklet, or stops (null). */
  listen(feed: PlayerFeed | null): void {
    this.plane.post({ kind: 'listen', id: this.id, feed }, feed && 'port' in feed ? [feed.port] : []);
  }

  /** Tests: columns folded in, pictures presented, kinds of the marks shown. */
  state(): Promise<LiveLegState> {
    return this.plane.ask({ kind: 'state', id: this.id });
  }

  /** Tests: the picture against a full redraw of its columns, and each column's bar height. */
  check(): Promise<LivePictureCheck> {
    return this.plane.ask({ kind: 'check', id: this.id });
  }

  private hover(ev: MouseEvent): void {
    const now = performance.now();
    if (!this.hasMarks || now - this.lastHit < HIT_INTERVAL_MS) return;
    this.lastHit = now;
    const x = ((ev.offsetX / (this.canvas.clientWidth || 1)) * this.width) | 0;
    const asked = this.marksKey;
    void this.plane.ask<string | null>({ kind: 'hit', id: this.id, x }).then((message) => {
      // Marks changed (or went) while the worker answered: the answer is about the old ones.
      if (asked === this.marksKey && this.hasMarks) this.canvas.title = message ?? '';
    });
  }

  dispose(): void {
    this.observer.disconnect();
    document.removeEventListener('visibilitychange', this.onVisibility);
    this.canvas.removeEventListener('mousemove', this.onPointer);
    this.plane.post({ kind: 'detach', id: this.id });
  }
}
