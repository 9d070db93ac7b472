import { h, setAttr, setClass, setText } from '../common/dom.ts';

/** A level's place on a meter, 0..1 of its width (−60..0 dBFS). */
const meterFraction = (db: number): number => Math.max(0, Math.min(1, (db + 60) / 60));
const levelClass = (db: number): string => (db > -1 ? ' clip' : db > -9 ? ' hot' : '');

interface Bar {
  fill: HTMLElement;
  meter: HTMLElement;
  kind: 'peak' | 'rms';
  /** The level shown, to the readout's 0.1 dB: the bar moves exactly when the readout does. */
  tenths: number;
}

/**
 * One leg's peak and RMS meters (−60..0 dBFS) and their readout. Built once; an update writes only
 * what moved. A bar's length is a `transform: scaleX()` of a full-width fill on its own compositor
 * layer (see workbench.css), so a level change costs no layout and no paint; the class and
 * aria-valuenow (whole dB) change only when they change.
 */
export class LevelMeters {
  readonly element: HTMLElement;
  private readonly bars: Bar[];
  private readonly text: HTMLElement;

  constructor() {
    this.bars = (['peak', 'rms'] as const).map((kind) => {
      const fill = h('div', { class: `meter-fill ${kind}` });
      const meter = h('div', { class: 'meter', title: kind === 'peak' ? 'Peak' : 'RMS', role: 'meter', 'aria-valuemin': -60, 'aria-valuemax': 0, 'aria-valuenow': -60, 'aria-label': `${kind} level` }, fill);
      // The scale goes through the CSSOM: the CSP (rightly) refuses inline style attributes.
      fill.style.transform = 'scaleX(0)';
      return { fill, meter, kind, tenths: NaN };
    });
    this.text = h('span', { class: 'meter-text' });
    this.element = h('div', { class: 'meters' }, ...this.bars.map((b) => b.meter), this.text);
  }

  update(peakDbfs: number, rmsDbfs: number): void {
    for (const bar of this.bars) {
      const tenths = Math.round(Math.max(-60, bar.kind === 'peak' ? peakDbfs : rmsDbfs) * 10);
      if (tenths === bar.tenths) continue;
      bar.tenths = tenths;
      const db = tenths / 10;
      bar.fill.style.transform = `scaleX(${meterFraction(db).toFixed(4)})`;
      setClass(bar.fill, `meter-fill ${bar.kind}${levelClass(db)}`);
      setAttr(bar.meter, 'aria-valuenow', String(Math.round(db)));
    }
    setText(this.text, `peak ${peakDbfs.toFixed(1)} dBFS · RMS ${rmsDbfs.toFixed(1)} dBFS`);
  }
}
