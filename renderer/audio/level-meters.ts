import { h } from '../common/dom.ts';

const meterPct = (db: number): number => Math.max(0, Math.min(100, ((db + 60) / 60) * 100));
const levelClass = (db: number): string => (db > -1 ? ' clip' : db > -9 ? ' hot' : '');

interface Bar {
  fill: HTMLElement;
  meter: HTMLElement;
  kind: 'peak' | 'rms';
  db: number;
}

/**
 * One leg's peak and RMS meters (−60..0 dBFS) and their readout. Built once; an update changes
 * only what moved (a width, a class, a number), so a stats tick costs no element creation and,
 * when the levels hold, no layout at all.
 */
export class LevelMeters {
  readonly element: HTMLElement;
  private readonly bars: Bar[];
  private readonly text: HTMLElement;
  private shownText = '';

  constructor() {
    this.bars = (['peak', 'rms'] as const).map((kind) => {
      const fill = h('div', { class: `meter-fill ${kind}` });
      const meter = h('div', { class: 'meter', title: kind === 'peak' ? 'Peak' : 'RMS', role: 'meter', 'aria-valuemin': -60, 'aria-valuemax': 0, 'aria-valuenow': -60, 'aria-label': `${kind} level` }, fill);
      // Widths go through the CSSOM: the CSP (rightly) refuses inline style attributes.
      fill.style.width = '0%';
      return { fill, meter, kind, db: NaN };
    });
    this.text = h('span', { class: 'meter-text' });
    this.element = h('div', { class: 'meters' }, ...this.bars.map((b) => b.meter), this.text);
  }

  update(peakDbfs: number, rmsDbfs: number): void {
    for (const bar of this.bars) {
      const db = bar.kind === 'peak' ? peakDbfs : rmsDbfs;
      if (db === bar.db) continue;
      bar.db = db;
      bar.fill.style.width = `${meterPct(db)}%`;
      bar.fill.className = `meter-fill ${bar.kind}${levelClass(db)}`;
      bar.meter.setAttribute('aria-valuenow', String(Math.max(-60, db)));
    }
    const text = `peak ${peakDbfs.toFixed(1)} dBFS · RMS ${rmsDbfs.toFixed(1)} dBFS`;
    if (text !== this.shownText) this.text.textContent = this.shownText = text;
  }
}
