import type { TapBridge, TapView } from '../../preload/contract.ts';
import { h, setChildren } from '../common/dom.ts';
import type { AudioEngine } from '../audio/audio-engine.ts';
import type { AppState } from '../workbench/app-state.ts';
import { TapEditor } from './tap-editor.ts';

/** The editor part: one tab per open tap. A stopped tap's tab closes; its socket drains in main. */
export class EditorArea {
  readonly element: HTMLElement;
  private readonly tabs: HTMLElement;
  private readonly content: HTMLElement;
  private readonly editors = new Map<string, TapEditor>();
  private active: string | undefined;
  private readonly state: AppState;
  private readonly bridge: TapBridge;
  private readonly audio: AudioEngine;

  constructor(state: AppState, bridge: TapBridge, audio: AudioEngine) {
    this.state = state;
    this.bridge = bridge;
    this.audio = audio;
    this.tabs = h('div', { class: 'tabs', role: 'tablist', 'aria-label': 'Open taps' });
    this.content = h('div', { class: 'editor-content' });
    this.element = h('main', { id: 'workbench.parts.editor', class: 'part editor', 'aria-label': 'Editor' }, this.tabs, this.content);
    state.changes.on('taps', () => this.sync());
    this.sync();
  }

  get activeEditor(): TapEditor | undefined {
    return this.active ? this.editors.get(this.active) : undefined;
  }

  editor(tapId: string): TapEditor | undefined {
    return this.editors.get(tapId);
  }

  focusTap(tapId: string): void {
    this.active = tapId;
    this.render();
    this.editors.get(tapId)?.element.focus();
  }

  private sync(): void {
    for (const tap of this.state.taps.values()) {
      const ed = this.editors.get(tap.id);
      if (tap.detached) {
        if (ed) this.close(tap.id);
        continue;
      }
      if (ed) ed.update(tap);
      else this.openEditor(tap);
    }
    this.render();
  }

  private openEditor(tap: TapView): void {
    this.editors.set(tap.id, new TapEditor(tap, this.state, this.bridge, this.audio));
    this.active = tap.id;
  }

  private close(tapId: string): void {
    this.editors.get(tapId)?.dispose();
    this.editors.delete(tapId);
    if (this.active === tapId) this.active = [...this.editors.keys()].at(-1);
  }

  private render(): void {
    setChildren(
      this.tabs,
      ...[...this.editors.values()].map((ed) => {
        const tap = this.state.taps.get(ed.tapId)!;
        const selected = ed.tapId === this.active;
        return h(
          'button',
          { role: 'tab', class: 'tab', 'aria-selected': String(selected), tabindex: selected ? 0 : -1, 'data-tap': tap.id, onclick: () => this.focusTap(ed.tapId), onkeydown: (ev: Event) => this.onTabKey(ev as KeyboardEvent) },
          tap.recording ? h('span', { class: 'rec-dot', 'aria-label': 'recording' }, '● ') : '',
          tap.title,
        );
      }),
    );
    const ed = this.activeEditor;
    if (ed && !ed.element.isConnected) queueMicrotask(() => ed.shown());
    setChildren(this.content, ed ? ed.element : h('div', { class: 'empty-editor' }, h('p', {}, 'No tap open.'), h('p', {}, 'Pick a channel in the Channels view, or press Ctrl+Shift+P for all commands.')));
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
    this.tabs.querySelector<HTMLElement>(`[data-tap="${CSS.escape(id)}"]`)?.focus();
  }
}
