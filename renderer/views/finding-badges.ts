import type { RecordingEntry } from '../../preload/contract.ts';
import { h } from '../common/dom.ts';

/** A recording's finding counts in the Recordings list: errors and warnings (and DTMF-like info), from its sidecar. */
export function findingBadges(r: RecordingEntry): HTMLElement | null {
  const f = r.findings;
  if (!f) return null;
  const parts = [f.error > 0 ? `⊗ ${f.error}` : '', f.warning > 0 ? `⚠ ${f.warning}` : '', f.info > 0 ? `ⓘ ${f.info}` : ''].filter(Boolean);
  const title = `Findings kept with this recording: ${f.error} errors, ${f.warning} warnings, ${f.info} info`;
  return h('span', { class: `badge finding-counts${f.error > 0 ? ' bad' : ''}`, 'data-part': 'finding-counts', title, 'aria-label': title }, parts.length > 0 ? parts.join(' ') : '✓ 0');
}
