import type { TapBridge, TapView } from '../../preload/contract.ts';
import { h, setChildren } from '../common/dom.ts';
import { errorMessage } from '../bridge/bridge-error.ts';
import { AudioEngine } from '../audio/audio-engine.ts';
import { LivePlane } from '../live/live-plane.ts';
import { CommandRegistry, chordOf, isTyping } from '../commands/command-registry.ts';
import { CommandPalette } from '../commands/command-palette.ts';
import { EditorArea } from '../editors/editor-area.ts';
import { ChannelsView } from '../views/channels-view.ts';
import { EndpointsView } from '../views/endpoints-view.ts';
import { RecordingsView } from '../views/recordings-view.ts';
import { AppState } from './app-state.ts';
import { createOutputPanel } from './output-panel.ts';
import { createStatusBar } from './status-bar.ts';
import { applyTheme, watchOsTheme, type ThemeChoice } from './theme.ts';
import { registerCommands } from './workbench-commands.ts';
import { QuickInput } from './quick-input.ts';
import { ProblemsPanel, type ProblemTarget } from './problems-panel.ts';
import { PanelTabs } from './panel-tabs.ts';
import { createHealthStatusItem } from './health-status.ts';

type ViewId = 'endpoints' | 'channels' | 'recordings';
const LAYOUT_KEY = 'asterisk-tap.layout';

/** The VS Code-shaped window: activity bar, side bar, editor, panel, status bar. */
export class Workbench {
  readonly state = new AppState();
  readonly commands = new CommandRegistry();
  readonly editors: EditorArea;
  readonly endpointsView: EndpointsView;
  readonly channelsView: ChannelsView;
  readonly recordingsView: RecordingsView;
  /** Names, confirmations and picks, asked in the workbench's own box (never the browser's prompt/confirm). */
  readonly quick = new QuickInput();
  private readonly bridge: TapBridge;
  /** The live worker's page side: every tap's audio, waveforms and listening run off this thread. */
  readonly live: LivePlane;
  /** The page's audio graph (one AudioContext, suspended while nobody listens). */
  readonly audio: AudioEngine;
  private readonly sidebar: HTMLElement;
  private readonly activity: HTMLElement;
  private readonly palette: CommandPalette;
  private readonly panel: HTMLElement;
  /** The panel's Problems tab: findings of the open taps and recordings. */
  readonly problems: ProblemsPanel;
  readonly panelTabs: PanelTabs;
  private view: ViewId = 'endpoints';
  /** Taps being opened, and which request opened which tap (a second Tap on the same channel focuses it). */
  private readonly opening = new Set<string>();
  private readonly openedAs = new Map<string, string>();

  constructor(root: HTMLElement, bridge: TapBridge) {
    this.bridge = bridge;
    applyTheme();
    watchOsTheme();
    const audio = (this.audio = new AudioEngine());
    this.live = new LivePlane(bridge.pcmSource());
    // Waveforms and audio stop if the data plane goes: say so where the user looks for errors.
    this.live.onClosed((message) => this.state.info(message, 'error'));
    this.editors = new EditorArea(this.state, bridge, audio, this.live, this.quick);
    this.endpointsView = new EndpointsView(this.state, bridge, this.quick, () => this.showView('channels'));
    this.channelsView = new ChannelsView(this.state, bridge, (ep, channels, title) => this.openTap(ep, channels, title));
    this.recordingsView = new RecordingsView(
      this.state,
      bridge,
      this.quick,
      (name) => this.editors.openReview(name),
      (name) => this.editors.closeReview(name),
    );
    this.sidebar = h('aside', { id: 'workbench.parts.sidebar', class: 'part sidebar', 'aria-label': 'Side bar' });
    this.activity = h('nav', { id: 'workbench.parts.activitybar', class: 'part activitybar', 'aria-label': 'Views' });
    this.palette = new CommandPalette(this.commands);
    this.problems = new ProblemsPanel(this.state, (t) => this.openProblem(t));
    this.panelTabs = new PanelTabs(this.state, this.problems, createOutputPanel(this.state));
    this.panel = this.panelTabs.element;
    const statusBar = createStatusBar(this.state);
    statusBar.append(createHealthStatusItem(this.state, () => this.showProblems()));
    root.replaceChildren(
      h('div', { class: 'workbench' }, this.activity, this.sidebar, h('div', { class: 'editor-column' }, this.editors.element, this.panel), statusBar),
      this.palette.element,
      this.quick.element,
    );
    registerCommands(this);
    this.renderActivity();
    this.restoreLayout();
    document.addEventListener('keydown', (ev) => this.onKey(ev));
    this.wireEvents();
  }

  private wireEvents(): void {
    const b = this.bridge;
    b.on('log:entry', (e) => this.state.addLog(e));
    b.on('endpoints:changed', (list) => this.state.setEndpoints(list));
    b.on('tap:changed', (tap) => this.state.upsertTap(tap));
    b.on('command:run', ({ id }) => void this.commands.run(id));
    b.on('tap:finding', (f) => this.state.health.upsert(f));
    b.on('tap:network', (v) => this.state.health.setNetwork(v));
    b.on('tap:stats', (s) => {
      this.state.stats.set(s.tapId, { legs: s.legs, recordingMs: s.recordingMs, recordingBytes: s.recordingBytes });
      this.state.changes.emit('stats', s.tapId);
    });
  }

  /** Loads what the host has; shows notices (e.g. a reset endpoint file). */
  async start(): Promise<void> {
    try {
      const [info, endpoints, taps] = await Promise.all([b(this.bridge, 'app:info'), b(this.bridge, 'endpoints:list'), b(this.bridge, 'tap:list')]);
      this.state.host = info.host;
      this.state.recordingsDir = info.recordingsDir;
      this.state.setEndpoints(endpoints);
      taps.forEach((t) => this.state.upsertTap(t));
      const health = await this.bridge.invoke('tap:findings', undefined);
      health.findings.forEach((f) => this.state.health.upsert(f));
      health.network.forEach((v) => this.state.health.setNetwork(v));
      this.state.info(`Asterisk Tap ${info.version} (${info.host}). Recordings go to ${info.recordingsDir}. Passwords: ${info.secretProtection}.`);
      for (const n of info.notices) this.state.info(n, 'warn');
      await this.bridge.invoke('app:setCommands', { commands: this.commands.all().map((c) => ({ id: c.id, title: c.title, keybinding: c.keybinding ?? null })) });
      document.body.dataset['ready'] = 'true';
    } catch (err) {
      this.state.info(errorMessage(err), 'error');
    }
  }

  hostDisconnected(): void {
    this.state.hostConnected = false;
    this.state.info('The connection to the Asterisk Tap host was lost. Restart it and reload this page.', 'error');
    this.state.changes.emit('connection');
  }

  /** The layout (side bar view, panel) comes back as it was left. */
  private restoreLayout(): void {
    const saved = JSON.parse(localStorage.getItem(LAYOUT_KEY) ?? '{}') as { view?: ViewId; panelHidden?: boolean };
    this.panel.hidden = saved.panelHidden === true;
    this.showView(saved.view === 'channels' || saved.view === 'recordings' ? saved.view : 'endpoints');
  }

  private saveLayout(): void {
    localStorage.setItem(LAYOUT_KEY, JSON.stringify({ view: this.view, panelHidden: this.panel.hidden }));
  }

  /** Shows a side bar view; `focus` moves the keyboard into it (keybindings, the activity bar). */
  showView(view: ViewId, focus = false): void {
    this.view = view;
    this.saveLayout();
    if (view === 'channels') this.channelsView.show();
    else this.channelsView.hide();
    setChildren(this.sidebar, view === 'endpoints' ? this.endpointsView.element : view === 'channels' ? this.channelsView.element : this.recordingsView.element);
    if (view === 'recordings') void this.recordingsView.refresh().then(() => focus && this.view === 'recordings' && this.recordingsView.element.contains(document.activeElement) && this.recordingsView.focus());
    this.renderActivity();
    if (focus && view === 'endpoints') this.endpointsView.focus();
    else if (focus && view === 'channels') this.channelsView.focus();
    else if (focus) this.recordingsView.focus();
  }

  /** Shows the panel's Problems tab and puts the keyboard in its list. */
  showProblems(): void {
    this.panel.hidden = false;
    this.saveLayout();
    this.panelTabs.show('problems');
    (this.problems.element.querySelector<HTMLElement>('.problem[tabindex="0"]') ?? this.problems.element.querySelector<HTMLElement>('.problems-filter'))?.focus();
  }

  /** A problem's row was chosen: its tap comes to the front, or its recording opens at that moment. */
  private openProblem(t: ProblemTarget): void {
    if ('recording' in t) {
      void this.editors.openReview(t.recording).seekToMs(t.atMs);
      return;
    }
    const tap = this.state.taps.get(t.tapId);
    if (!tap || tap.detached) return this.state.info('That tap is closed; its findings are kept in its recording, if it was recorded.', 'warn');
    this.editors.focusTap(t.tapId);
  }

  togglePanel(): void {
    this.panel.hidden = !this.panel.hidden;
    this.saveLayout();
  }

  openPalette(): void {
    this.palette.open();
  }

  setTheme(choice: ThemeChoice): void {
    applyTheme(choice);
  }

  /**
   * Opens a tap and focuses its editor; a channel (or call) already tapped on that endpoint only
   * gets its tab focused: no second socket. Rejects with the reason when nothing opened.
   */
  async openTap(endpointId: string, channels: string[], title?: string): Promise<void> {
    const key = `${endpointId}\n${channels.join('\n')}`;
    const existing = this.alreadyTapped(endpointId, channels);
    if (existing) {
      this.editors.focusTap(existing.id);
      return;
    }
    if (this.opening.has(key)) return;
    this.opening.add(key);
    try {
      const tap = await this.bridge.invoke('tap:open', { endpointId, channels, ...(title ? { title } : {}) });
      this.openedAs.set(key, tap.id);
      this.state.upsertTap(tap);
      this.editors.focusTap(tap.id);
    } catch (err) {
      this.state.info(errorMessage(err), 'error');
      throw err;
    } finally {
      this.opening.delete(key);
    }
  }

  private alreadyTapped(endpointId: string, channels: string[]): TapView | undefined {
    const open = this.state.openTaps().filter((t) => t.endpointId === endpointId);
    const byRequest = this.openedAs.get(`${endpointId}\n${channels.join('\n')}`);
    const same = (t: TapView): boolean => {
      const legs = [...new Set(t.legs.map((l) => l.channel))].sort();
      return legs.join('\n') === [...new Set(channels)].sort().join('\n');
    };
    return open.find((t) => t.id === byRequest) ?? open.find(same);
  }

  private renderActivity(): void {
    const item = (id: ViewId, label: string, icon: string, key: string): HTMLElement =>
      h('button', { class: 'activity-item', 'aria-pressed': String(this.view === id), title: `${label} (${key})`, 'aria-label': label, 'data-view': id, onclick: () => this.showView(id, true) }, icon);
    setChildren(this.activity, item('endpoints', 'Endpoints', '⛁', 'Ctrl+Shift+E'), item('channels', 'Channels', '☎', 'Ctrl+Shift+C'), item('recordings', 'Recordings', '♒', 'Ctrl+Shift+Y'));
  }

  private onKey(ev: KeyboardEvent): void {
    if (this.palette.isOpen || this.quick.isOpen) return;
    const typing = isTyping(ev.target);
    const chord = chordOf(ev);
    // Single-key shortcuts (M, R, L) only act when the user is not typing.
    if (typing && !chord.includes('+')) return;
    const cmd = this.commands.forChord(chord);
    if (!cmd || !this.commands.isEnabled(cmd)) return;
    ev.preventDefault();
    void this.commands.run(cmd.id);
  }
}

function b<C extends 'app:info' | 'endpoints:list' | 'tap:list'>(bridge: TapBridge, channel: C) {
  return bridge.invoke(channel, undefined);
}
