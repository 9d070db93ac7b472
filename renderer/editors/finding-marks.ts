import type { FindingView } from '../../preload/contract.ts';
import { h } from '../common/dom.ts';

/**
 * Findings drawn over a leg's scrolling waveform: a mark of its kind where it started and, for a
 * stretch (silence, one-way, network trouble), a band to where it ended or to now while it grows.
 * An overlay of a few elements, placed by the wall-clock time of the newest audio on the canvas.
 * It moves with the waveform, so it is updated often: elements are kept per finding and only
 * what changed is written (a rebuild per update cost the page a style, layout and paint pass).
 */
export class FindingMarks {
  readonly element: HTMLElement;
  private readonly canvas: HTMLElement;
  private readonly windowMs: number;
  private readonly shown = new Map<string, HTMLElement>();

  constructor(canvas: HTMLElement, windowS: number) {
    this.canvas = canvas;
    this.windowMs = windowS * 1000;
    this.element = h('div', { class: 'finding-marks', 'data-part': 'finding-marks', 'aria-hidden': 'true' });
  }

  /** Places the marks: `newestWallMs` is the wall-clock time at the canvas's right edge. */
  update(findings: FindingView[], newestWallMs: number): void {
    const c = this.canvas;
    // Reads first, then writes: at most one layout per update.
    const box = [c.offsetLeft, c.offsetTop, c.offsetWidth, c.offsetHeight];
    const s = this.element.style;
    set(s, 'left', `${box[0]}px`);
    set(s, 'top', `${box[1]}px`);
    set(s, 'width', `${box[2]}px`);
    set(s, 'height', `${box[3]}px`);
    const from = newestWallMs - this.windowMs;
    const pct = (t: number): number => Math.max(0, Math.min(100, ((t - from) / this.windowMs) * 100));
    const keep = new Set<string>();
    for (const f of findings) {
      if ((f.endedAt ?? newestWallMs) < from || f.startedAt > newestWallMs) continue;
      const key = `${f.leg ?? ''}|${f.kind}|${f.startedAt}`;
      keep.add(key);
      let el = this.shown.get(key);
      if (!el) {
        el = h('div', { 'data-kind': f.kind }, h('span', { class: 'finding-mark-label' }, f.kind));
        this.shown.set(key, el);
        this.element.append(el);
      }
      const className = `finding-mark kind-${f.kind} sev-${f.severity}${f.endedAt === null ? ' in-progress' : ''}`;
      if (el.className !== className) el.className = className;
      if (el.title !== f.message) el.title = f.message;
      const left = pct(f.startedAt);
      const right = pct(f.endedAt ?? newestWallMs);
      set(el.style, 'left', `${left.toFixed(2)}%`);
      set(el.style, 'width', right - left > 0.3 ? `${(right - left).toFixed(2)}%` : '0');
    }
    for (const [key, el] of this.shown) {
      if (keep.has(key)) continue;
      el.remove();
      this.shown.delete(key);
    }
  }
}

/** Writes a style property only when it changes. */
function set(style: CSSStyleDeclaration, prop: 'left' | 'top' | 'width' | 'height', value: string): void {
  if (style[prop] !== value) style[prop] = value;
}
