import { h } from '../common/dom.ts';

/** The meters' range: -60 dBFS (empty) to 0 dBFS (full scale). */
export const METER_FLOOR_DB = -60;
const TICKS = [-60, -48, -36, -24, -12, -6, 0];

/** Where a level sits on a meter, in percent of its width. */
export function meterPct(db: number): number {
  return Math.max(0, Math.min(100, ((db - METER_FLOOR_DB) / -METER_FLOOR_DB) * 100));
}

/** A dBFS scale under a leg's meters: tick labels at the same positions the meters use. */
export function meterScale(): HTMLElement {
  const scale = h('div', { class: 'meter-scale', 'aria-hidden': 'true', 'data-part': 'meter-scale' });
  for (const db of TICKS) {
    const tick = h('span', { class: `meter-tick${db === 0 ? ' end' : db === METER_FLOOR_DB ? ' start' : ''}`, 'data-db': db }, db === 0 ? '0 dBFS' : String(db));
    // Positions go through the CSSOM: the CSP refuses inline style attributes.
    tick.style.left = `${meterPct(db)}%`;
    scale.append(tick);
  }
  return scale;
}
