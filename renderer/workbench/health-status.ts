import { h, setAttr, setText } from '../common/dom.ts';
import type { AppState } from './app-state.ts';
import type { Health } from './findings-state.ts';

const ICON: Record<Health, string> = { ok: '✓', warning: '⚠', error: '⊗' };

/** The worst health of the open taps. */
export function overallHealth(state: AppState, now = Date.now()): Health {
  let worst: Health = 'ok';
  for (const t of state.openTaps()) {
    const hl = state.health.health(t.id, now);
    if (hl === 'error') return 'error';
    if (hl === 'warning') worst = 'warning';
  }
  return worst;
}

/**
 * The status bar's health badge, as VS Code's problem counts: the open taps' health (ok / warning
 * / error) and the counts of errors and warnings; clicking it shows the Problems panel.
 */
export function createHealthStatusItem(state: AppState, showProblems: () => void): HTMLElement {
  const label = document.createTextNode('');
  const counts = h('span', { class: 'status-counts' });
  const el = h('button', { class: 'status-item status-health', 'data-status': 'health', title: 'Call health of the open taps: show the Problems panel (Ctrl+Shift+M)', onclick: showProblems }, label, counts);
  // Built once; a render (on every finding, and every 5 s) writes only what changed.
  const render = (): void => {
    const health = overallHealth(state);
    const open = new Set(state.openTaps().map((t) => t.id));
    const c = state.health.counts(open);
    setAttr(el, 'data-health', health);
    setAttr(el, 'aria-label', `Call health ${health}: ${c.error} errors, ${c.warning} warnings`);
    const text = `${ICON[health]} ${health === 'ok' ? 'Calls OK' : health === 'warning' ? 'Warning' : 'Error'}`;
    if (label.data !== text) label.data = text;
    setText(counts, ` ⊗ ${c.error} ⚠ ${c.warning}`);
  };
  state.health.changes.on('findings', render);
  state.changes.on('taps', render);
  // A finished problem stops counting for the badge after a minute: look again now and then.
  setInterval(render, 5000);
  render();
  return el;
}
