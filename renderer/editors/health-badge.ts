import { h, setAttr, setText } from '../common/dom.ts';
import type { AppState } from '../workbench/app-state.ts';
import type { Health } from '../workbench/findings-state.ts';

const ICON: Record<Health, string> = { ok: '✓', warning: '⚠', error: '⊗' };
const WORD: Record<Health, string> = { ok: 'healthy', warning: 'warning', error: 'error' };

/** Writes only what changed: every finding event (and a 5 s timer) refreshes every badge. */
function fill(el: HTMLElement, health: Health): void {
  setAttr(el, 'data-health', health);
  setText(el, ICON[health]);
  setAttr(el, 'title', `Call health: ${WORD[health]}`);
  setAttr(el, 'aria-label', `call health ${WORD[health]}`);
}

/** A tap tab's health badge (ok / warning / error), kept up to date by {@link refreshHealthBadges}. */
export function healthBadge(state: AppState, tapId: string): HTMLElement {
  const el = h('span', { class: 'health-badge', 'data-health-tap': tapId });
  fill(el, state.health.health(tapId));
  return el;
}

/** Updates the badges in place (tabs are not rebuilt, so focus stays where it is). */
export function refreshHealthBadges(root: HTMLElement, state: AppState): void {
  for (const el of root.querySelectorAll<HTMLElement>('.health-badge[data-health-tap]')) fill(el, state.health.health(el.dataset['healthTap']!));
}
