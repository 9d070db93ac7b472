import type { FindingView } from '../../preload/contract.ts';
import { h, setChildren } from '../common/dom.ts';

/**
 * Findings drawn over a leg's scrolling waveform: a mark of its kind where it started and, for a
 * stretch (silence, one-way, network trouble), a band to where it ended or to now while it grows.
 * An overlay of a few elements, placed by the wall-clock time of the newest audio on the canvas.
 */
export class FindingMarks {
  readonly element: HTMLElement;
  private readonly canvas: HTMLElement;
  private readonly windowMs: number;

  constructor(canvas: HTMLElement, windowS: number) {
    this.canvas = canvas;
    this.windowMs = windowS * 1000;
    this.element = h('div', { class: 'finding-marks', 'data-part': 'finding-marks', 'aria-hidden': 'true' });
  }

  /** Places the marks: `newestWallMs` is the wall-clock time at the canvas's right edge. */
  update(findings: FindingView[], newestWallMs: number): void {
    const c = this.canvas;
    const s = this.element.style;
    s.left = `${c.offsetLeft}px`;
    s.top = `${c.offsetTop}px`;
    s.width = `${c.offsetWidth}px`;
    s.height = `${c.offsetHeight}px`;
    const from = newestWallMs - this.windowMs;
    const pct = (t: number): number => Math.max(0, Math.min(100, ((t - from) / this.windowMs) * 100));
    const marks = findings
      .filter((f) => (f.endedAt ?? newestWallMs) >= from && f.startedAt <= newestWallMs)
      .map((f) => {
        const left = pct(f.startedAt);
        const right = pct(f.endedAt ?? newestWallMs);
        const el = h('div', { class: `finding-mark kind-${f.kind} sev-${f.severity}${f.endedAt === null ? ' in-progress' : ''}`, 'data-kind': f.kind, title: f.message });
        el.style.left = `${left}%`;
        el.style.width = right - left > 0.3 ? `${right - left}%` : '0';
        el.append(h('span', { class: 'finding-mark-label' }, f.kind));
        return el;
      });
    setChildren(this.element, ...marks);
  }
}
