import type { TapBridge, TapView } from '../../preload/contract.ts';
import { h, setChildren } from '../common/dom.ts';
import type { AudioEngine } from '../audio/audio-engine.ts';
import type { LivePlane } from '../live/live-plane.ts';
import type { AppState } from '../workbench/app-state.ts';
import { ReviewEditor } from '../review/review-editor.ts';
import { TapEditor } from './tap-editor.ts';
import { healthBadge, refreshHealthBadges } from './health-badge.ts';
import type { QuickInput } from '../workbench/quick-input.ts';
import { shortRecordingName } from '../common/recording-name.ts';

type Editor = TapEditor | ReviewEditor;
const REVIEW = 'review:';


/**
 * The editor part: a tab per open tap (closed when the tap stops; its socket drains in main) and
 * a tab per recording under review (closed with its ✕ or Ctrl+W).
 */
export class EditorArea {
  readonly element: HTMLElement;
  private readonly tabs: HTMLElement;
  private readonly overflow: HTMLButtonElement;
  private readonly content: HTMLElement;
  private readonly editors = new Map<string, Editor>();
  private active: string | undefined;
  private readonly state: AppState;
  private readonly bridge: TapBridge;
  private readonly audio: AudioEngine;
  private readonly live: LivePlane;
  private readonly quick: QuickInput;

  constructor(state: AppState, bridge: TapBridge, audio: AudioEngine, live: LivePlane, quick: QuickInput) {
    this.state = state;
    this.bridge = bridge;
    this.audio = audio;
    this.live = live;
    this.quick = quick;
    this.tabs = h('div', { class: 'tabs', role: 'tablist', 'aria-label': 'Open editors', onscroll: () => this.renderOverflow() });
    // The sign that more tabs are open than fit; it lists them all.
    this.overflow = h('button', { class: 'tabs-overflow', 'data-action': 'more-tabs', hidden: true, onclick: () => void this.pickEditor() });
    this.content = h('div', { class: 'editor-content' });
    this.element = h('main', { id: 'workbench.parts.editor', class: 'part editor', 'aria-label': 'Editor' }, h('div', { class: 'tab-bar' }, this.tabs, this.overflow), this.content);
    new ResizeObserver(() => this.renderOverflow()).observe(this.tabs);
    state.changes.on('taps', () => this.sync());
    state.health.changes.on('findings', () => refreshHealthBadges(this.tabs, state));
    // A finished problem stops colouring its tab after a while.
    setInterval(() => refreshHealthBadges(this.tabs, state), 5000);
    this.sync();
  }

  /** The focused tap editor, if the focused tab is a tap. */
  get activeEditor(): TapEditor | undefined {
    const ed = this.active ? this.editors.get(this.active) : undefined;
    return ed instanceof TapEditor ? ed : undefined;
  }

  /** The focused review editor, if the focused tab is a recording. */
  get activeReview(): ReviewEditor | undefined {
    const ed = this.active ? this.editors.get(this.active) : undefined;
    return ed instanceof ReviewEditor ? ed : undefined;
  }

  editor(tapId: string): TapEditor | undefined {
    const ed = this.editors.get(tapId);
    return ed instanceof TapEditor ? ed : undefined;
  }

  review(name: string): ReviewEditor | undefined {
    return this.editors.get(REVIEW + name) as ReviewEditor | undefined;
  }

  focusTap(tapId: string): void {
    this.focus(tapId);
  }

  /** Opens a recording for review (or focuses its tab). */
  openReview(name: string): ReviewEditor {
    const key = REVIEW + name;
    let ed = this.editors.get(key) as ReviewEditor | undefined;
    if (!ed) {
      ed = new ReviewEditor(name, this.state, this.bridge);
      this.editors.set(key, ed);
      this.focus(key);
      void ed.load();
    } else this.focus(key);
    return ed;
  }

  /** Closes a recording's review tab, if open (it was renamed or deleted). */
  closeReview(name: string): void {
    if (!this.editors.has(REVIEW + name)) return;
    this.close(REVIEW + name);
    this.render();
  }

  /** Closes the focused review tab (taps close by stopping them). */
  closeActiveReview(): void {
    if (this.active?.startsWith(REVIEW)) this.close(this.active);
    this.render();
  }

  private focus(key: string): void {
    this.active = key;
    this.render();
    this.editors.get(key)?.element.focus();
  }

  private sync(): void {
    for (const tap of this.state.taps.values()) {
      const ed = this.editors.get(tap.id);
      if (tap.detached) {
        if (ed) this.close(tap.id);
        continue;
      }
      if (ed instanceof TapEditor) ed.update(tap);
      else this.openEditor(tap);
    }
    this.render();
  }

  private openEditor(tap: TapView): void {
    this.editors.set(tap.id, new TapEditor(tap, this.state, this.bridge, this.audio, this.live));
    this.active = tap.id;
  }

  private close(key: string): void {
    this.editors.get(key)?.dispose();
    this.editors.delete(key);
    if (this.active === key) this.active = [...this.editors.keys()].at(-1);
  }

  /** The full title of a tab (its tooltip, and the list of open editors). */
  private fullTitle(key: string, ed: Editor): string {
    return ed instanceof ReviewEditor ? ed.name : (this.state.taps.get(key)?.title ?? key);
  }

  private tabLabel(key: string, ed: Editor): (Node | string)[] {
    if (ed instanceof ReviewEditor) return [h('span', { class: 'tab-icon', 'aria-hidden': 'true' }, '♒ '), h('span', { class: 'tab-text' }, shortRecordingName(ed.name))];
    const tap = this.state.taps.get(key);
    return [tap?.recording ? h('span', { class: 'rec-dot', 'aria-label': 'recording' }, '● ') : '', healthBadge(this.state, key), h('span', { class: 'tab-text' }, tap?.title ?? key)];
  }

  private render(): void {
    const focusInTabs = this.tabs.contains(document.activeElement);
    setChildren(
      this.tabs,
      ...[...this.editors.entries()].map(([key, ed]) => {
        const selected = key === this.active;
        const review = ed instanceof ReviewEditor;
        const title = this.fullTitle(key, ed);
        return h(
          'div',
          { class: `tab-wrap${selected ? ' active' : ''}`, 'data-key': key },
          h('button', { role: 'tab', class: 'tab', title, 'aria-label': title, 'aria-selected': String(selected), tabindex: selected ? 0 : -1, 'data-tap': review ? undefined : key, 'data-review': review ? ed.name : undefined, onclick: () => this.focus(key), onkeydown: (ev: Event) => this.onTabKey(ev as KeyboardEvent) }, ...this.tabLabel(key, ed)),
          // A tap tab closes by stopping the tap (its socket drains in main until the call ends).
          review
            ? h('button', { class: 'tab-close', 'data-action': 'close-tab', tabindex: -1, title: `Close ${ed.name}`, 'aria-label': `Close ${ed.name}`, onclick: () => (this.close(key), this.render()) }, '✕')
            : h('button', { class: 'tab-close', 'data-action': 'close-tab', tabindex: -1, title: `Stop the tap ${title}`, 'aria-label': `Stop the tap ${title}`, onclick: () => void (ed as TapEditor).stop() }, '✕'),
        );
      }),
    );
    if (focusInTabs) this.activeTab()?.focus();
    const ed = this.active ? this.editors.get(this.active) : undefined;
    if (ed && !ed.element.isConnected) queueMicrotask(() => ed.shown());
    // The shown editor stays in place (moving it would drop the keyboard focus inside it).
    const shown = ed ? ed.element : h('div', { class: 'empty-editor' }, h('p', {}, 'No tap open.'), h('p', {}, 'Pick a channel in the Channels view, open a recording in the Recordings view, or press Ctrl+Shift+P for all commands.'));
    if (this.content.firstElementChild !== shown || this.content.childElementCount !== 1) {
      const before = this.content.firstElementChild;
      setChildren(this.content, shown);
      // The tap that was in front stops drawing its waveforms.
      for (const other of this.editors.values()) if (other instanceof TapEditor && other.element === before) other.hidden();
    }
    this.activeTab()?.scrollIntoView({ block: 'nearest', inline: 'nearest' });
    this.renderOverflow();
  }

  private activeTab(): HTMLElement | null {
    return this.active ? this.tabs.querySelector<HTMLElement>(`.tab-wrap[data-key="${CSS.escape(this.active)}"] [role=tab]`) : null;
  }

  /** Shows how many tabs are out of sight, if any. */
  private renderOverflow(): void {
    const box = this.tabs.getBoundingClientRect();
    const hidden = [...this.tabs.children].filter((t) => {
      const r = t.getBoundingClientRect();
      return r.left < box.left - 1 || r.right > box.right + 1;
    }).length;
    this.overflow.hidden = hidden === 0;
    setChildren(this.overflow, `⋯ ${hidden}`);
    this.overflow.title = `${hidden} more open editor${hidden === 1 ? '' : 's'}: show all`;
    this.overflow.setAttribute('aria-label', this.overflow.title);
  }

  /** Every open editor in the quick input: pick one to show it. */
  private async pickEditor(): Promise<void> {
    const key = await this.quick.pick('Open editors', [...this.editors.entries()].map(([k, ed]) => ({ label: this.fullTitle(k, ed), detail: ed instanceof ReviewEditor ? 'recording' : 'live tap', value: k })));
    if (key) this.focus(key);
  }

  private onTabKey(ev: KeyboardEvent): void {
    const ids = [...this.editors.keys()];
    const i = ids.indexOf(this.active ?? '');
    if (ev.key === 'ArrowRight') this.focusTab(ids[(i + 1) % ids.length]);
    else if (ev.key === 'ArrowLeft') this.focusTab(ids[(i - 1 + ids.length) % ids.length]);
    else return;
    ev.preventDefault();
  }

  private focusTab(id: string | undefined): void {
    if (!id) return;
    this.active = id;
    this.render();
    this.activeTab()?.focus();
  }
}
