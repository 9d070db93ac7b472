import type WaveSurfer from 'wavesurfer.js';
import type RegionsPlugin from 'wavesurfer.js/dist/plugins/regions.esm.js';
import type { FindingViewKind, ReviewMarker } from '../../preload/contract.ts';
import { h, setChildren } from '../common/dom.ts';
import type { WallClock } from './wall-clock.ts';

/** Region ids of findings start with this: the user's regions editor leaves them alone. */
export const FINDING_REGION = 'finding:';

/** A colour per kind, so a glance at the waveform tells silence from echo from network trouble. */
const KIND_COLOR: Record<FindingViewKind, string> = {
  silence: 'rgba(157, 157, 157, 0.28)',
  'one-way': 'rgba(241, 76, 76, 0.26)',
  clipping: 'rgba(255, 140, 0, 0.32)',
  dropout: 'rgba(204, 167, 0, 0.4)',
  echo: 'rgba(180, 120, 255, 0.26)',
  dtmf: 'rgba(79, 195, 247, 0.45)',
  tone: 'rgba(137, 209, 133, 0.3)',
  network: 'rgba(255, 99, 180, 0.28)',
};
const ICON = { error: '⊗', warning: '⚠', info: 'ⓘ' } as const;

/**
 * The findings kept with a recording (detectors, network), shown in the review editor as regions
 * (or markers) of their kind over the waveform, and as a list that filters by kind; choosing one
 * moves the cursor there. They are read-only here: analysing again replaces the detectors' ones.
 */
export class ReviewFindings {
  readonly element: HTMLElement;
  private readonly clock: WallClock;
  private readonly list: HTMLElement;
  private readonly filters: HTMLElement;
  private readonly hidden = new Set<FindingViewKind>();
  private findings: ReviewMarker[] = [];
  private ws: WaveSurfer | undefined;
  private plugin: ReturnType<typeof RegionsPlugin.create> | undefined;

  constructor(clock: WallClock, analyzeButton: HTMLElement) {
    this.clock = clock;
    this.list = h('ul', { class: 'finding-list', 'aria-label': 'Findings' });
    this.filters = h('div', { class: 'finding-filters', role: 'group', 'aria-label': 'Show findings of these kinds' });
    this.element = h('section', { class: 'review-findings', 'data-part': 'review-findings', 'aria-label': 'Findings' }, h('h3', {}, 'Findings ', analyzeButton), this.filters, this.list);
  }

  attach(ws: WaveSurfer, plugin: ReturnType<typeof RegionsPlugin.create>, findings: ReviewMarker[]): void {
    this.ws = ws;
    this.plugin = plugin;
    this.set(findings);
  }

  /** Replaces what is shown (after an analysis). */
  set(findings: ReviewMarker[]): void {
    this.findings = findings.filter((f) => f.kind !== undefined).sort((a, b) => a.atMs - b.atMs);
    this.render();
  }

  get count(): number {
    return this.findings.length;
  }

  private visible(): ReviewMarker[] {
    return this.findings.filter((f) => !this.hidden.has(f.kind!));
  }

  private render(): void {
    const kinds = [...new Set(this.findings.map((f) => f.kind!))];
    setChildren(
      this.filters,
      ...kinds.map((k) => {
        const n = this.findings.filter((f) => f.kind === k).length;
        const box = h('input', { type: 'checkbox', checked: !this.hidden.has(k), 'data-kind': k, onchange: () => (box.checked ? this.hidden.delete(k) : this.hidden.add(k), this.render()) });
        return h('label', { class: `finding-filter kind-${k}` }, box, ` ${k} (${n})`);
      }),
    );
    const shown = this.visible();
    setChildren(
      this.list,
      ...(this.findings.length === 0 ? [h('li', { class: 'hint' }, 'No findings kept with this recording. Analyse it to run the detectors over its audio.')] : []),
      ...shown.map((f) =>
        h(
          'li',
          { class: `finding-item sev-${f.severity ?? 'warning'}`, 'data-kind': f.kind, tabindex: 0, role: 'button', onclick: () => this.seek(f), onkeydown: (ev: Event) => (ev as KeyboardEvent).key === 'Enter' && this.seek(f) },
          h('span', { class: `problem-icon sev-${f.severity ?? 'warning'}`, 'aria-hidden': 'true' }, ICON[f.severity ?? 'warning']),
          h('span', { class: 'problem-kind' }, f.kind!),
          h('span', { class: 'region-span' }, f.endMs !== undefined ? `${this.clock.format(f.atMs / 1000, true)} – ${this.clock.format(f.endMs / 1000, true)}` : this.clock.describe(f.atMs / 1000)),
          h('span', { class: 'problem-message' }, f.label),
        ),
      ),
    );
    this.draw(shown);
  }

  /** The finding regions on the waveform: those of the kinds shown, not draggable. */
  private draw(shown: ReviewMarker[]): void {
    const plugin = this.plugin;
    if (!plugin) return;
    for (const r of plugin.getRegions()) if (r.id.startsWith(FINDING_REGION)) r.remove();
    shown.forEach((f, i) => {
      const start = f.atMs / 1000;
      const end = f.endMs !== undefined && f.endMs - f.atMs >= 20 ? f.endMs / 1000 : undefined;
      const content = h('span', { class: 'finding-region-label', title: f.label }, f.kind!);
      plugin.addRegion({ id: `${FINDING_REGION}${i}`, start, ...(end !== undefined ? { end } : {}), color: KIND_COLOR[f.kind!], content, drag: false, resize: false });
    });
  }

  private seek(f: ReviewMarker): void {
    this.ws?.setTime(f.atMs / 1000);
  }
}
