import type { TapBridge, TapStatsView, TapView } from '../../preload/contract.ts';
import { formatBytes, formatDuration, h, setAttr, setChildren, setClass, setHidden, setText } from '../common/dom.ts';
import { errorMessage } from '../bridge/bridge-error.ts';
import { LevelMeters } from '../audio/level-meters.ts';
import { dominantHz, type AudioEngine, type LegPlayer } from '../audio/audio-engine.ts';
import type { AppState } from '../workbench/app-state.ts';
import { renderNetworkStrip } from './network-strip.ts';
import { LiveLeg } from '../live/live-leg.ts';
import type { LivePlane } from '../live/live-plane.ts';
import type { LiveLegState, LivePictureCheck } from '../live/live-protocol.ts';
import { meterScale } from './meter-scale.ts';
import { DIRECTION_WORDING, NO_AUDIO } from '../common/wording.ts';

/** A leg's meters with the dBFS scale right under the bars (above their readout). */
function withScale(meters: HTMLElement): HTMLElement {
  const bars = meters.querySelectorAll('.meter');
  bars[bars.length - 1]?.after(meterScale());
  return meters;
}

/** One tap's editor tab: per-leg live waveform and meters, listen, record, markers, stats, banner. */
export class TapEditor {
  readonly element: HTMLElement;
  readonly tapId: string;
  private tap: TapView;
  private readonly state: AppState;
  private readonly bridge: TapBridge;
  private readonly audio: AudioEngine;
  /** Each leg's live waveform, with its finding marks, drawn by the live worker. */
  private readonly waves: LiveLeg[];
  private readonly meters: LevelMeters[];
  private readonly legRows: HTMLElement[];
  /** Asterisk's RTP figures under each leg's waveform. */
  private readonly netStrips: HTMLElement[];
  private readonly netSubscription: { dispose(): void };
  private readonly findingsSubscription: { dispose(): void };
  private readonly banner: HTMLElement;
  private readonly statsLine: HTMLElement;
  private readonly listenButton: HTMLButtonElement;
  private readonly recordButton: HTMLButtonElement;
  private readonly recordInfo: HTMLElement;
  private readonly volume: HTMLInputElement;
  private readonly replaySeconds: HTMLSelectElement;
  private readonly recordMode: HTMLSelectElement;
  private readonly recordError: HTMLElement;
  private output: { gain: GainNode; players: LegPlayer[]; close: () => void } | undefined;
  /** How each leg's player is fed while listening: a shared ring, or a port where the page is not cross-origin isolated. */
  feeds: ('ring' | 'port')[] = [];
  private readonly statsSubscription: { dispose(): void };
  private resizeObserver: ResizeObserver | undefined;
  private openingOutput = false;
  private disposed = false;

  constructor(tap: TapView, state: AppState, bridge: TapBridge, audio: AudioEngine, live: LivePlane) {
    this.tap = tap;
    this.tapId = tap.id;
    this.state = state;
    this.bridge = bridge;
    this.audio = audio;
    this.waves = tap.legs.map((_, i) => new LiveLeg(live, tap.number, i, 10));
    this.meters = tap.legs.map(() => new LevelMeters());
    this.netStrips = tap.legs.map((_, i) => h('div', { class: 'net-strip', 'data-part': 'network', 'data-leg': i, hidden: true }));
    this.legRows = tap.legs.map((leg, i) =>
      h(
        'div',
        { class: 'leg-row', 'data-leg': i },
        h('div', { class: 'leg-head' }, h('span', { class: 'leg-channel' }, leg.transport === 'ari-media' ? `${leg.channel} · ${DIRECTION_WORDING[leg.direction]}` : leg.channel), h('span', { class: 'leg-state' })),
        h('div', { class: 'leg-note', role: 'status', 'data-part': 'no-audio', hidden: true }),
        this.waves[i]!.canvas,
        this.netStrips[i],
        withScale(this.meters[i]!.element),
      ),
    );
    this.banner = h('div', { class: 'banner', role: 'alert', hidden: true });
    this.statsLine = h('div', { class: 'tap-stats', 'aria-live': 'off' });
    this.listenButton = h('button', { 'data-action': 'listen', 'aria-pressed': 'false', title: 'Listen (L)', onclick: () => void this.toggleListen() }, '♫ Listen');
    this.volume = h('input', { type: 'range', min: 0, max: 1, step: 0.05, value: 0.8, 'aria-label': 'Volume', oninput: () => this.output && (this.output.gain.gain.value = Number(this.volume.value)) });
    this.recordButton = h('button', { 'data-action': 'record', 'aria-pressed': 'false', title: 'Record (R)', onclick: () => void this.toggleRecord() }, '● Record');
    const savedLength = localStorage.getItem('asterisk-tap.replaySeconds') ?? '30';
    this.replaySeconds = h('select', { 'aria-label': 'Instant replay length', onchange: () => localStorage.setItem('asterisk-tap.replaySeconds', this.replaySeconds.value) }, ...['10', '30', '60', '120'].map((v) => h('option', { value: v, selected: v === savedLength }, `${v} s`)));
    this.recordInfo = h('span', { class: 'record-info', 'data-part': 'record-info', 'aria-live': 'polite' });
    // Two legs of a call can go to one stereo file (leg A left, leg B right), besides or instead of a file per leg.
    this.recordMode = h(
      'select',
      { 'aria-label': 'What to record', 'data-action': 'record-mode', hidden: tap.legs.length !== 2 },
      h('option', { value: 'legs' }, 'Each leg'),
      h('option', { value: 'call' }, 'Call (stereo)'),
      h('option', { value: 'call+legs' }, 'Call + each leg'),
    );
    this.recordError = h('div', { class: 'banner bad', role: 'alert', 'data-part': 'record-error', hidden: true });
    this.element = h(
      'div',
      { class: 'tap-editor', 'data-tap': tap.id, tabindex: -1 },
      h(
        'div',
        { class: 'toolbar', role: 'toolbar', 'aria-label': 'Tap controls' },
        this.listenButton,
        this.volume,
        this.recordMode,
        this.recordButton,
        this.recordInfo,
        h('button', { 'data-action': 'marker', title: 'Add a marker (M)', onclick: () => void this.marker() }, '⚑ Marker'),
        h('button', { 'data-action': 'save-replay', title: 'Save the last seconds heard, even when not recording (Ctrl+Shift+S)', onclick: () => void this.saveReplay() }, '⟲ Save last'),
        this.replaySeconds,
        h('button', { class: 'toolbar-end', 'data-action': 'stop', title: 'Stop this tap (Ctrl+Shift+X)', onclick: () => void this.stop() }, '■ Stop'),
      ),
      this.banner,
      this.recordError,
      ...this.legRows,
      this.statsLine,
    );
    this.statsSubscription = state.changes.on('stats', (id) => id === this.tapId && this.renderStats());
    this.netSubscription = state.health.changes.on('network', (id) => id === this.tapId && this.renderNetwork());
    this.findingsSubscription = state.health.changes.on('findings', () => this.renderMarks());
    this.renderMarks();
    this.renderNetwork();
    this.update(tap);
    // A hidden tab reports width 0: resizing then would start every waveform afresh on a tab switch.
    this.resizeObserver = new ResizeObserver(() => {
      if (!this.element.isConnected) return;
      this.waves.forEach((w) => {
        const width = w.canvas.parentElement?.clientWidth ?? 0;
        if (width > 0) w.resize(width - 16, 80);
      });
    });
    this.resizeObserver.observe(this.element);
  }

  get listening(): boolean {
    return this.output !== undefined;
  }

  /** Test and readout hook: the dominant frequency of what a leg's player receives now. */
  dominantHz(leg = 0): number | null {
    const p = this.output?.players[leg];
    return p ? dominantHz(p.analyser) : null;
  }

  playerStats(leg = 0) {
    return this.output?.players[leg]?.stats ?? null;
  }

  /** Test hook: the leg's columns folded in, pictures presented (a hidden one presents none), marks shown. */
  waveState(leg = 0): Promise<LiveLegState> | null {
    return this.waves[leg]?.state() ?? null;
  }

  /** Test hook: the leg's waveform against a full redraw of its columns and marks, and its bar heights. */
  waveCheck(leg = 0): Promise<LivePictureCheck> | null {
    return this.waves[leg]?.check() ?? null;
  }

  /** Shows the tap's state; writes only what changed (a write of the same value still costs the page a frame). */
  update(tap: TapView): void {
    this.tap = tap;
    tap.legs.forEach((leg, i) => {
      const badge = this.legRows[i]?.querySelector<HTMLElement>('.leg-state');
      if (badge) {
        setText(badge, leg.state);
        setClass(badge, `leg-state state-${leg.state}`);
      }
    });
    const recording = tap.recording !== null;
    setAttr(this.recordButton, 'aria-pressed', String(recording));
    setText(this.recordButton, recording ? '■ Stop recording' : '● Record');
    const ended = tap.legs.filter((l) => l.state === 'ended' || l.state === 'failed');
    if (ended.length > 0) {
      setHidden(this.banner, false);
      setClass(this.banner, `banner ${ended.some((l) => l.state === 'failed' || l.reason === 'channel-not-found') ? 'bad' : 'info'}`);
      const lines = ended.map((l) => [l.reason === 'call-ended' ? 'Call ended. ' : l.reason === 'channel-not-found' ? 'Channel not found. ' : l.state === 'failed' ? 'Connection failed. ' : 'Ended. ', l.message ?? ''] as const);
      const shown = [...this.banner.children].map((d) => d.textContent).join('\n');
      if (shown !== lines.map(([head, text]) => head + text).join('\n')) setChildren(this.banner, ...lines.map(([head, text]) => h('div', {}, h('strong', {}, head), text)));
    }
    if (this.recordMode.disabled !== recording) this.recordMode.disabled = recording;
    if (recording) this.recordMode.value = tap.recordMode;
    setHidden(this.recordError, tap.recordingError === null);
    const errorText = tap.recordingError ? `Recording stopped. ${tap.recordingError}` : '';
    if (this.recordError.textContent !== errorText) setChildren(this.recordError, tap.recordingError ? h('div', {}, h('strong', {}, 'Recording stopped. '), tap.recordingError) : '');
    const allEnded = ended.length === tap.legs.length;
    if (this.recordButton.disabled !== (allEnded && !recording)) this.recordButton.disabled = allEnded && !recording;
    this.renderNoAudio();
  }

  /** Whether a leg has sent no audio at all since the tap opened. */
  private legSentNothing(i: number): boolean {
    const leg = this.tap.legs[i];
    return leg?.state === 'silent' && (this.state.stats.get(this.tapId)?.legs[i]?.frames ?? 0) === 0;
  }

  /** Says in words that a leg sends no audio (rather than a counter that does not move). */
  private renderNoAudio(): void {
    this.tap.legs.forEach((leg, i) => {
      const note = this.legRows[i]?.querySelector<HTMLElement>('[data-part=no-audio]');
      if (!note) return;
      const text = leg.state !== 'silent' ? '' : this.legSentNothing(i) ? `This leg has sent ${NO_AUDIO} since the tap opened: the channel is on hold, muted, or sends nothing (e.g. a Local channel's silent half). A recording of it stays at 0 s.` : 'No audio for over a second: on hold, muted or stalled.';
      setHidden(note, text === '');
      setText(note, text);
    });
    const s = this.state.stats.get(this.tapId);
    const recording = this.tap.recording !== null;
    const silent = recording && (s?.recordingMs ?? 0) === 0 && this.tap.legs.every((_, i) => this.legSentNothing(i));
    this.recordInfo.classList.toggle('warn', silent);
    if (!recording) setText(this.recordInfo, '');
    else if (silent) setText(this.recordInfo, `${NO_AUDIO} from the channel yet`);
    else if (s?.recordingMs != null) setText(this.recordInfo, `${formatDuration(s.recordingMs)} · ${formatBytes(s.recordingBytes ?? 0)}`);
  }

  /** Called when the tab is shown: the waveforms draw again (they drew nothing while hidden). */
  shown(): void {
    this.waves.forEach((w) => w.updateVisible());
    this.renderStats();
  }

  /** Called when the tab is hidden: the waveforms stop drawing. */
  hidden(): void {
    this.waves.forEach((w) => w.updateVisible());
  }

  /** The tap's findings as marks over its waveforms (drawn and moved by the live worker). */
  private renderMarks(): void {
    const findings = this.state.health.ofTap(this.tapId);
    this.waves.forEach((w) => w.setFindings(findings));
  }

  private renderNetwork(): void {
    this.netStrips.forEach((el, i) => renderNetworkStrip(el, this.state.health.networkOf(this.tapId, i)));
  }

  private renderStats(): void {
    const s = this.state.stats.get(this.tapId);
    // Nothing to show in a hidden tab or page: the next tick (4 a second) brings it up to date.
    if (!s || !this.element.isConnected || document.visibilityState !== 'visible') return;
    s.legs.forEach((leg: TapStatsView, i) => this.meters[i]?.update(leg.peakDbfs, leg.rmsDbfs));
    const tot = s.legs.reduce((a, l) => ({ frames: a.frames + l.frames, bytes: a.bytes + l.bytes, gaps: a.gaps + l.gaps, drops: a.drops + l.drops }), { frames: 0, bytes: 0, gaps: 0, drops: 0 });
    const p = this.playerStats();
    setText(this.statsLine, `frames ${tot.frames} · ${formatBytes(tot.bytes)} · gaps >40 ms ${tot.gaps} · drops ${tot.drops}${p ? ` · playback underruns ${p.underruns}, buffer ${p.bufferedMs.toFixed(0)} ms` : ''}`);
    this.renderNoAudio();
  }

  async toggleListen(): Promise<void> {
    // A second press while the first is still setting up (the worklet's first load) is the same press.
    if (this.openingOutput) return;
    if (this.output) {
      this.waves.forEach((w) => w.listen(null));
      this.feeds = [];
      this.output.close();
      this.output = undefined;
    } else {
      try {
        this.openingOutput = true;
        const output = await this.audio.createTapOutput(this.tap.legs.length).finally(() => (this.openingOutput = false));
        // Closed while it was being set up: nothing may keep playing.
        if (this.disposed) return output.close();
        this.output = output;
        this.output.gain.gain.value = Number(this.volume.value);
        // The live worker feeds each leg's player directly: audio never passes through this thread.
        this.feeds = this.output.players.map((p, i) => {
          const feed = p.feed();
          this.waves[i]?.listen(feed);
          return 'ring' in feed ? 'ring' : 'port';
        });
      } catch (err) {
        this.state.info(`Cannot play audio: ${errorMessage(err)}`, 'error');
      }
    }
    this.listenButton.setAttribute('aria-pressed', String(this.listening));
    this.listenButton.textContent = this.listening ? '♫ Listening' : '♫ Listen';
  }

  async toggleRecord(): Promise<void> {
    try {
      const on = this.tap.recording === null;
      this.update(await this.bridge.invoke('tap:record', { tapId: this.tapId, on, ...(on ? { mode: this.recordMode.value as 'legs' | 'call' | 'call+legs' } : {}) }));
    } catch (err) {
      this.state.info(errorMessage(err), 'error');
    }
  }

  async marker(): Promise<void> {
    try {
      await this.bridge.invoke('tap:marker', { tapId: this.tapId });
    } catch (err) {
      this.state.info(errorMessage(err), 'error');
    }
  }

  /** Instant replay: the core keeps the last 120 s of each leg. */
  async saveReplay(): Promise<void> {
    try {
      await this.bridge.invoke('tap:saveReplay', { tapId: this.tapId, seconds: Number(this.replaySeconds.value) });
    } catch (err) {
      this.state.info(errorMessage(err), 'error');
    }
  }

  async stop(): Promise<void> {
    try {
      await this.bridge.invoke('tap:stop', { tapId: this.tapId });
      const live = this.tap.legs.some((l) => l.state !== 'ended' && l.state !== 'failed');
      const draining = live && this.tap.legs.some((l) => l.transport === 'stream-channel');
      this.state.info(`Stopped the tap ${this.tap.title}.${draining ? ' Its socket stays open, discarding audio, until Asterisk ends the call (closing first can crash Asterisk with res_ari_stream).' : ''}`);
    } catch (err) {
      this.state.info(errorMessage(err), 'error');
    }
  }

  dispose(): void {
    this.disposed = true;
    this.statsSubscription.dispose();
    this.netSubscription.dispose();
    this.findingsSubscription.dispose();
    this.output?.close();
    this.resizeObserver?.disconnect();
    this.waves.forEach((w) => w.dispose());
  }
}
