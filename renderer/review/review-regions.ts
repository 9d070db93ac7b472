import type WaveSurfer from 'wavesurfer.js';
import RegionsPlugin, { type Region } from 'wavesurfer.js/dist/plugins/regions.esm.js';
import type { ExportClip, ReviewMarker } from '../../preload/contract.ts';
import { h, setChildren } from '../common/dom.ts';
import type { WallClock } from './wall-clock.ts';
import { FINDING_REGION } from './review-findings.ts';

const COLORS = { selection: 'rgba(255, 196, 0, 0.28)', labelled: 'rgba(79, 195, 247, 0.25)', marker: '#f0a030' };

/**
 * Regions and markers of a recording under review: drag to select (one unlabelled selection at a
 * time), label a selection to keep it, live markers (M during capture) as labelled, draggable
 * markers. Every change is handed to `save` (debounced), which writes the recording's
 * .markers.json; the WAV itself is never touched.
 */
export class ReviewRegions {
  readonly plugin: ReturnType<typeof RegionsPlugin.create>;
  readonly element: HTMLElement;
  private readonly clock: WallClock;
  private readonly save: (markers: ReviewMarker[]) => void;
  private selected: Region | undefined;
  private looping = false;
  private saveTimer: ReturnType<typeof setTimeout> | undefined;
  private adding = false;
  private ws: WaveSurfer | undefined;
  private readonly list: HTMLElement;

  constructor(clock: WallClock, save: (markers: ReviewMarker[]) => void) {
    this.clock = clock;
    this.save = save;
    this.plugin = RegionsPlugin.create();
    this.list = h('ol', { class: 'region-list', 'aria-label': 'Markers and regions' });
    this.element = h('section', { class: 'review-regions', 'aria-label': 'Markers and regions' }, h('h3', {}, 'Markers and regions'), this.list);
    this.plugin.on('region-created', (r) => {
      // Findings are drawn on the same plugin but are not the user's regions (review-findings.ts).
      if (this.adding || r.id.startsWith(FINDING_REGION)) return;
      // A new drag replaces the previous selection unless that one was labelled (kept).
      if (this.selected && this.selected !== r && !this.labelOf(this.selected) && this.selected.end > this.selected.start) this.selected.remove();
      r.setOptions({ color: COLORS.selection });
      this.select(r);
      this.changed();
    });
    this.plugin.on('region-updated', (r) => {
      if (r.id.startsWith(FINDING_REGION)) return;
      this.select(r);
      this.changed();
    });
    this.plugin.on('region-removed', (r) => !r.id.startsWith(FINDING_REGION) && this.changed());
    this.plugin.on('region-clicked', (r, ev) => {
      ev.stopPropagation();
      if (r.id.startsWith(FINDING_REGION)) return void this.ws?.setTime(r.start);
      this.select(r);
    });
    // Loop: when playback leaves the looped selection, it starts again at its beginning.
    this.plugin.on('region-out', (r) => {
      if (this.looping && r === this.selected) r.play(true);
    });
  }

  attach(ws: WaveSurfer, markers: ReviewMarker[], dragSelection: boolean): void {
    this.ws = ws;
    this.adding = true;
    for (const m of markers) this.addRegion(m.atMs / 1000, m.endMs !== undefined ? m.endMs / 1000 : undefined, m.label);
    this.adding = false;
    if (dragSelection) this.plugin.enableDragSelection({ color: COLORS.selection });
    this.render();
  }

  private addRegion(start: number, end: number | undefined, label: string): Region {
    const marker = end === undefined || end <= start;
    return this.plugin.addRegion({ start, ...(marker ? {} : { end }), content: label, color: marker ? COLORS.marker : COLORS.labelled, drag: true, resize: !marker, minLength: marker ? 0 : 0.01 });
  }

  private labelOf(r: Region): string {
    const c = r.getContent(false);
    return typeof c === 'string' ? c : (c?.textContent ?? '');
  }

  get selection(): Region | undefined {
    return this.selected && !this.selected.isRemoved ? this.selected : undefined;
  }

  get loop(): boolean {
    return this.looping;
  }
  set loop(on: boolean) {
    this.looping = on;
  }

  private select(r: Region): void {
    this.selected = r;
    this.render();
  }

  /** A marker at a time (the playback cursor), labelled with its wall-clock time. */
  addMarker(seconds: number): void {
    this.adding = true;
    const r = this.addRegion(seconds, undefined, `Marker ${this.clock.format(seconds)}`);
    this.adding = false;
    this.select(r);
    this.changed();
  }

  /** Moves the selection's start or end to a time (keyboard nudges). */
  setEdge(edge: 'start' | 'end', seconds: number): void {
    const r = this.selection;
    if (!r || r.end <= r.start) return;
    const start = edge === 'start' ? Math.min(seconds, r.end - 0.01) : r.start;
    const end = edge === 'end' ? Math.max(seconds, r.start + 0.01) : r.end;
    r.setOptions({ start: Math.max(0, start), end: Math.min(this.ws?.getDuration() ?? end, end) });
    this.changed();
  }

  /** The selection as a clip to export. */
  selectionClip(): ExportClip | undefined {
    const r = this.selection;
    return r && r.end > r.start ? { startMs: r.start * 1000, endMs: r.end * 1000, label: this.labelOf(r) } : undefined;
  }

  /** Every labelled region (markers have no length and are not exported). */
  labelledClips(): ExportClip[] {
    return this.sorted()
      .filter((r) => r.end > r.start && this.labelOf(r).trim() !== '')
      .map((r) => ({ startMs: r.start * 1000, endMs: r.end * 1000, label: this.labelOf(r).trim() }));
  }

  private sorted(): Region[] {
    return [...this.plugin.getRegions()].filter((r) => !r.id.startsWith(FINDING_REGION)).sort((a, b) => a.start - b.start);
  }

  private changed(): void {
    this.render();
    clearTimeout(this.saveTimer);
    this.saveTimer = setTimeout(() => this.flush(), 400);
  }

  /** Saves now what is pending. Kept: markers and labelled regions; an unlabelled selection is only a selection. */
  private flush(): void {
    if (this.saveTimer === undefined) return;
    clearTimeout(this.saveTimer);
    this.saveTimer = undefined;
    const keep = this.sorted().filter((r) => r.end <= r.start || this.labelOf(r).trim() !== '');
    this.save(keep.map((r) => ({ atMs: Math.round(r.start * 1000), ...(r.end > r.start ? { endMs: Math.round(r.end * 1000) } : {}), label: this.labelOf(r) })));
  }

  private render(): void {
    const regions = this.sorted();
    setChildren(
      this.list,
      ...(regions.length === 0 ? [h('li', { class: 'hint' }, 'Drag across the waveform to select; press M to add a marker at the cursor.')] : []),
      ...regions.map((r) => {
        const marker = r.end <= r.start;
        const label = h('input', {
          type: 'text',
          value: this.labelOf(r),
          placeholder: marker ? 'Marker label' : 'Label to keep and export',
          'aria-label': `Label of the ${marker ? 'marker' : 'region'} at ${this.clock.format(r.start)}`,
          onchange: () => {
            r.setContent(label.value);
            if (!marker) r.setOptions({ color: label.value.trim() ? COLORS.labelled : COLORS.selection });
            this.changed();
          },
        });
        const span = marker ? this.clock.describe(r.start) : `${this.clock.format(r.start, true)} – ${this.clock.format(r.end, true)} (${(r.end - r.start).toFixed(2)} s)`;
        return h(
          'li',
          { class: `region-item${r === this.selected ? ' selected' : ''}${marker ? ' marker' : ''}`, 'data-region-start': r.start.toFixed(3) },
          h('button', { class: 'small', title: marker ? 'Play from here' : 'Play this region', 'aria-label': 'Play', onclick: () => (this.select(r), marker ? void this.ws?.play(r.start) : r.play(true)) }, '▶'),
          h('span', { class: 'region-span' }, span),
          label,
          h('button', { class: 'small', title: 'Remove', 'aria-label': 'Remove', onclick: () => r.remove() }, '✕'),
        );
      }),
    );
  }

  dispose(): void {
    // Closing the tab must not lose the last edit.
    this.flush();
  }
}
