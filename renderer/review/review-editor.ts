import WaveSurfer from 'wavesurfer.js';
import TimelinePlugin from 'wavesurfer.js/dist/plugins/timeline.esm.js';
import ZoomPlugin from 'wavesurfer.js/dist/plugins/zoom.esm.js';
import MinimapPlugin from 'wavesurfer.js/dist/plugins/minimap.esm.js';
import HoverPlugin from 'wavesurfer.js/dist/plugins/hover.esm.js';
import SpectrogramPlugin from 'wavesurfer.js/dist/plugins/spectrogram.esm.js';
import type { ExportClip, RecordingDetail, TapBridge } from '../../preload/contract.ts';
import { formatBytes, formatDuration, h, setChildren } from '../common/dom.ts';
import { errorMessage } from '../bridge/bridge-error.ts';
import { isTyping } from '../commands/command-registry.ts';
import type { AppState } from '../workbench/app-state.ts';
import { ExportProgress } from './export-progress.ts';
import { ReviewRegions } from './review-regions.ts';
import { ReviewFindings } from './review-findings.ts';
import { keepTimelineLabelsInside } from './timeline-labels.ts';
import { WallClock, offset } from './wall-clock.ts';

/**
 * Benchmark baseline only (set through the page's debug hook): give wavesurfer the URL alone, so
 * it downloads and decodes the whole file here, as it does by default. Never set by the app.
 */
export const reviewBaseline = { decodeInRenderer: false };

const RATES = [0.5, 0.75, 1, 1.25, 1.5, 2];
const cssVar = (name: string): string => getComputedStyle(document.documentElement).getPropertyValue(name).trim();
const nonce = (): string | undefined => document.querySelector<HTMLMetaElement>('meta[name="csp-nonce"]')?.content || undefined;

/**
 * The review editor of one recording, on wavesurfer.js: peaks and duration from main (the audio
 * is never decoded here), playback streamed by a media element over range requests, a wall-clock
 * timeline, zoom, minimap, hover, spectrogram on demand, regions and markers, and exports.
 */
export class ReviewEditor {
  readonly element: HTMLElement;
  readonly name: string;
  private readonly bridge: TapBridge;
  private readonly state: AppState;
  private ws: WaveSurfer | undefined;
  private detail: RecordingDetail | undefined;
  private regions: ReviewRegions | undefined;
  /** Findings kept with the recording (detectors, network): regions of their kind, filterable. */
  private findings: ReviewFindings | undefined;
  private spectrogram: ReturnType<typeof SpectrogramPlugin.create> | undefined;
  private readonly waveHost: HTMLElement;
  private readonly specHost: HTMLElement;
  private readonly sideHost: HTMLElement;
  private readonly info: HTMLElement;
  private readonly time: HTMLElement;
  private readonly playButton: HTMLButtonElement;
  private readonly loopButton: HTMLButtonElement;
  private readonly specButton: HTMLButtonElement;
  private readonly rate: HTMLSelectElement;
  private readonly volume: HTMLInputElement;
  private readonly exports: ExportProgress;
  private zoomPxPerSec = 0;
  /** When the waveform was first drawn (ms since the editor opened), for the benchmark. */
  drawnAfterMs: number | null = null;
  private readonly openedAt = performance.now();

  constructor(name: string, state: AppState, bridge: TapBridge) {
    this.name = name;
    this.state = state;
    this.bridge = bridge;
    const btn = (label: string, action: string, title: string, run: () => void): HTMLButtonElement => h('button', { 'data-action': action, title, onclick: run }, label);
    this.playButton = btn('▶ Play', 'play', 'Play/pause (Space)', () => void this.ws?.playPause());
    this.loopButton = h('button', { 'data-action': 'loop', 'aria-pressed': 'false', title: 'Loop the selection', onclick: () => this.toggleLoop() }, '⟳ Loop');
    this.specButton = h('button', { 'data-action': 'spectrogram', 'aria-pressed': 'false', title: 'Show the spectrogram', onclick: () => this.toggleSpectrogram() }, '▤ Spectrogram');
    this.rate = h('select', { 'aria-label': 'Playback rate', onchange: () => this.ws?.setPlaybackRate(Number(this.rate.value), true) }, ...RATES.map((r) => h('option', { value: r, selected: r === 1 }, `${r}×`)));
    this.volume = h('input', { type: 'range', min: 0, max: 1, step: 0.05, value: 1, 'aria-label': 'Volume', oninput: () => this.ws?.setVolume(Number(this.volume.value)) });
    this.time = h('span', { class: 'review-time', 'aria-live': 'off' });
    this.info = h('div', { class: 'review-info' }, 'Loading…');
    this.waveHost = h('div', { class: 'review-wave', 'data-part': 'waveform' });
    this.specHost = h('div', { class: 'review-spectrogram', hidden: true });
    this.sideHost = h('div', { class: 'review-side' });
    this.exports = new ExportProgress(bridge, (m, level) => this.state.info(m, level));
    this.element = h(
      'div',
      { class: 'review-editor', 'data-recording': name, tabindex: -1, onkeydown: (ev: Event) => this.onKey(ev as KeyboardEvent) },
      h(
        'div',
        { class: 'toolbar', role: 'toolbar', 'aria-label': 'Review controls' },
        this.playButton,
        this.loopButton,
        this.rate,
        this.volume,
        btn('−', 'zoom-out', 'Zoom out (-)', () => this.zoomBy(0.5)),
        btn('+', 'zoom-in', 'Zoom in (+)', () => this.zoomBy(2)),
        this.specButton,
        btn('⚑ Marker', 'add-marker', 'Add a marker at the cursor (M)', () => this.addMarker()),
        btn('⇩ Export selection', 'export-selection', 'Export the selection as a WAV', () => void this.exportSelection()),
        btn('⇩ Export labelled', 'export-labelled', 'Export every labelled region, one WAV each', () => void this.exportLabelled()),
        // Only the desktop app can show a file in the OS file manager.
        state.host === 'electron' ? btn('Reveal', 'reveal', 'Show the file in the file manager', () => void this.bridge.invoke('recordings:reveal', { name }).catch((e: unknown) => this.state.info(errorMessage(e), 'error'))) : null,
      ),
      // The cursor's time sits with the file's details, leaving the toolbar one row at 1280 px.
      h('div', { class: 'review-status' }, this.info, this.time),
      this.exports.element,
      this.waveHost,
      this.specHost,
      this.sideHost,
    );
  }

  get title(): string {
    return this.name;
  }
  get waveSurfer(): WaveSurfer | undefined {
    return this.ws;
  }
  get regionsView(): ReviewRegions | undefined {
    return this.regions;
  }

  async load(): Promise<void> {
    try {
      this.detail = await this.bridge.invoke('recordings:open', { name: this.name });
    } catch (err) {
      setChildren(this.info, h('span', { class: 'error' }, `Cannot open ${this.name}: ${errorMessage(err)}`));
      return;
    }
    const d = this.detail;
    // Nothing to draw or play: say so in words (wavesurfer refuses empty audio with an internal error).
    if (d.entry.durationMs <= 0 || d.peaks.data.length === 0 || d.peaks.data.every((ch) => ch.length === 0)) {
      setChildren(this.info, h('span', { class: 'empty-recording', role: 'status' }, `${this.name} holds no audio (0 s, ${formatBytes(d.entry.bytes)}): nothing reached it while it was recorded, e.g. the leg sent no audio. There is nothing to play or export.`));
      this.element.querySelectorAll<HTMLButtonElement>('.toolbar button:not([data-action=reveal]), .toolbar select, .toolbar input').forEach((c) => (c.disabled = true));
      return;
    }
    const clock = new WallClock(d.entry.startedAt);
    const duration = d.entry.durationMs / 1000;
    setChildren(this.info, `${d.entry.startedAt ? new Date(d.entry.startedAt).toLocaleString() : 'start unknown'} · ${formatDuration(d.entry.durationMs)} · ${d.entry.channel ?? '?'}${d.entry.endpoint ? ` · ${d.entry.endpoint}` : ''} · ${d.entry.channels === 2 ? 'stereo (L/R = legs) · ' : ''}${formatBytes(d.entry.bytes)}`);
    this.regions = new ReviewRegions(clock, (markers) => void this.bridge.invoke('recordings:saveMarkers', { name: this.name, markers }).catch((e: unknown) => this.state.info(errorMessage(e), 'error')));
    const wave = cssVar('--wave-fg') || '#4fc3f7';
    const peaks = d.peaks.data.map((ch) => Float32Array.from(ch, (v) => v / d.peaks.scale));
    const cspNonce = nonce();
    // Fill the width at first: a whole recording in view, zoom from there.
    this.zoomPxPerSec = Math.max(1, (this.waveHost.clientWidth || 800) / Math.max(duration, 0.1));
    const timeline = TimelinePlugin.create({ formatTimeCallback: (s) => clock.format(s, this.zoomPxPerSec > 200), secondaryLabelOpacity: 0.6 });
    timeline.on('ready', () => this.ws && keepTimelineLabelsInside(this.ws.getWrapper()));
    this.ws = WaveSurfer.create({
      container: this.waveHost,
      height: d.entry.channels === 2 ? 80 : 128,
      waveColor: wave,
      progressColor: cssVar('--accent') || '#0e639c',
      cursorColor: cssVar('--rec') || '#f14c4c',
      url: d.audioUrl,
      ...(reviewBaseline.decodeInRenderer ? {} : { peaks, duration }),
      backend: 'MediaElement',
      sampleRate: d.sampleRate,
      normalize: false,
      ...(d.entry.channels === 2 ? { splitChannels: [{ waveColor: wave }, { waveColor: cssVar('--ok') || '#89d185' }] } : {}),
      ...(cspNonce ? { cspNonce } : {}),
      plugins: [
        timeline,
        ZoomPlugin.create({ scale: 0.2, maxZoom: 4000 }),
        MinimapPlugin.create({ height: 28, waveColor: cssVar('--fg-dim') || '#888', progressColor: wave, ...(cspNonce ? { cspNonce } : {}) }),
        HoverPlugin.create({ formatTimeCallback: (s) => clock.describe(s), lineColor: cssVar('--fg') || '#ddd', labelBackground: cssVar('--bg-3') || '#333', labelColor: cssVar('--fg') || '#ddd' }),
        this.regions.plugin,
      ],
    });
    const ws = this.ws;
    ws.on('redrawcomplete', () => {
      if (this.drawnAfterMs === null && ws.getDecodedData()) this.drawnAfterMs = performance.now() - this.openedAt;
    });
    ws.on('zoom', (px) => (this.zoomPxPerSec = px));
    ws.on('play', () => this.renderPlaying());
    ws.on('pause', () => this.renderPlaying());
    ws.on('finish', () => this.renderPlaying());
    ws.on('timeupdate', (t) => setChildren(this.time, `${clock.describe(t)} / ${offset(duration, true)}`));
    ws.on('error', (err) => this.state.info(`Playback of ${this.name}: ${errorMessage(err)}`, 'error'));
    // Regions clamp to the duration they know: add them once wavesurfer has it.
    const regions = this.regions;
    const analyzeButton = h('button', { class: 'small', 'data-action': 'analyze', title: 'Run the call-health detectors over this recording (its findings replace the earlier ones)', onclick: () => void this.analyze(analyzeButton) }, 'Analyse');
    const findings = (this.findings = new ReviewFindings(clock, analyzeButton));
    ws.once('decode', () => {
      regions.attach(ws, d.markers.filter((m) => m.kind === undefined), true);
      findings.attach(ws, regions.plugin, d.markers);
      this.state.health.setRecording(this.name, d.markers);
    });
    setChildren(this.sideHost, this.findings.element, this.regions.element);
    setChildren(this.time, `${clock.describe(0)} / ${offset(duration, true)}`);
  }

  /** Runs the detectors over the recording (made before they existed, or again), with progress. */
  async analyze(button: HTMLButtonElement): Promise<void> {
    button.disabled = true;
    const off = this.bridge.on('recordings:analyzeProgress', (p) => p.name === this.name && (button.textContent = `Analysing… ${Math.round((100 * p.doneS) / Math.max(p.totalS, 0.001))} %`));
    button.textContent = 'Analysing…';
    try {
      const markers = await this.bridge.invoke('recordings:analyze', { name: this.name });
      this.findings?.set(markers);
      this.state.health.setRecording(this.name, markers);
      this.state.info(`Analysed ${this.name}: ${markers.filter((m) => m.kind !== undefined && m.kind !== 'network').length} findings.`);
    } catch (err) {
      this.state.info(errorMessage(err), 'error');
    } finally {
      off();
      button.disabled = false;
      button.textContent = 'Analyse';
    }
  }

  /** Moves the cursor to a moment (ms from the first sample) once the recording is shown (a finding's moment). */
  async seekToMs(ms: number): Promise<void> {
    // Opening streams peaks and sets up wavesurfer: wait (at most a few seconds) until it knows the duration.
    for (let i = 0; i < 100 && !this.ws?.getDuration(); i++) await new Promise((r) => setTimeout(r, 50));
    this.ws?.setTime(Math.max(0, Math.min(ms / 1000, this.ws.getDuration())));
    this.element.focus();
  }

  private renderPlaying(): void {
    const playing = this.ws?.isPlaying() ?? false;
    this.playButton.textContent = playing ? '❚❚ Pause' : '▶ Play';
    this.playButton.setAttribute('aria-pressed', String(playing));
  }

  toggleLoop(): void {
    if (!this.regions) return;
    this.regions.loop = !this.regions.loop;
    this.loopButton.setAttribute('aria-pressed', String(this.regions.loop));
    if (this.regions.loop) this.regions.selection?.play(true);
  }

  toggleSpectrogram(): void {
    if (!this.ws || !this.detail) return;
    if (this.spectrogram) {
      this.spectrogram.destroy();
      this.spectrogram = undefined;
      this.specHost.hidden = true;
    } else {
      this.specHost.hidden = false;
      // Computed in main from the file (frequenciesDataUrl): nothing is decoded here.
      this.spectrogram = this.ws.registerPlugin(
        SpectrogramPlugin.create({ container: this.specHost, frequenciesDataUrl: this.detail.spectrogramUrl, sampleRate: this.detail.sampleRate, labels: true, height: 160, splitChannels: this.detail.entry.channels === 2, scale: 'linear', colorMap: 'roseus' }),
      );
    }
    this.specButton.setAttribute('aria-pressed', String(this.spectrogram !== undefined));
  }

  zoomBy(factor: number): void {
    if (!this.ws) return;
    this.zoomPxPerSec = Math.min(4000, Math.max(1, this.zoomPxPerSec * factor));
    this.ws.zoom(this.zoomPxPerSec);
  }

  playPause(): void {
    void this.ws?.playPause();
  }

  addMarker(): void {
    if (this.ws) this.regions?.addMarker(this.ws.getCurrentTime());
  }

  async exportSelection(): Promise<void> {
    const clip = this.regions?.selectionClip();
    if (!clip) return this.state.info('Select part of the recording first: drag across the waveform.', 'warn');
    await this.export([clip]);
  }

  async exportLabelled(): Promise<void> {
    const clips = this.regions?.labelledClips() ?? [];
    if (clips.length === 0) return this.state.info('No labelled regions: select a part and type a label for it.', 'warn');
    await this.export(clips);
  }

  private async export(clips: ExportClip[]): Promise<void> {
    if (this.exports.busy) return this.state.info('An export of this recording is already running.', 'warn');
    try {
      const job = await this.bridge.invoke('recordings:export', { name: this.name, clips });
      if (job) this.exports.track(job);
    } catch (err) {
      this.exports.failed(err);
      this.state.info(errorMessage(err), 'error');
    }
  }

  /** Keys while the editor has focus: the transport and nudges, like an audio editor's. */
  private onKey(ev: KeyboardEvent): void {
    const ws = this.ws;
    if (!ws || isTyping(ev.target) || ev.ctrlKey || ev.metaKey || ev.altKey) return;
    const step = ev.shiftKey ? 10 : 1;
    const at = ws.getCurrentTime();
    const actions: Record<string, () => void> = {
      ArrowLeft: () => ws.setTime(Math.max(0, at - step)),
      ArrowRight: () => ws.setTime(Math.min(ws.getDuration(), at + step)),
      ',': () => ws.setTime(Math.max(0, at - 0.02)),
      '.': () => ws.setTime(Math.min(ws.getDuration(), at + 0.02)),
      '[': () => this.regions?.setEdge('start', at),
      ']': () => this.regions?.setEdge('end', at),
      '+': () => this.zoomBy(2),
      '=': () => this.zoomBy(2),
      '-': () => this.zoomBy(0.5),
      Home: () => ws.setTime(0),
      End: () => ws.setTime(ws.getDuration()),
    };
    const run = actions[ev.key];
    if (!run) return;
    ev.preventDefault();
    ev.stopPropagation();
    run();
  }

  shown(): void {
    // wavesurfer redraws itself on resize; nothing to catch up on.
  }

  dispose(): void {
    this.state.health.setRecording(this.name, []);
    this.regions?.dispose();
    this.exports.dispose();
    this.ws?.destroy();
  }
}
