import type { RecordingEntry, TapBridge } from '../../preload/contract.ts';
import { formatBytes, formatDuration, h, setChildren } from '../common/dom.ts';
import { errorMessage } from '../bridge/bridge-error.ts';
import type { AppState } from '../workbench/app-state.ts';

/**
 * The Recordings view: every WAV in the recordings folder with its wall-clock start, length,
 * channel, endpoint and size; filter, rename, delete to the trash. Damaged files are listed with
 * the reason, files repaired after a crash with a note.
 */
export class RecordingsView {
  readonly element: HTMLElement;
  private readonly state: AppState;
  private readonly bridge: TapBridge;
  private readonly filter: HTMLInputElement;
  private readonly list: HTMLElement;
  private readonly message: HTMLElement;
  private readonly folder: HTMLElement;
  private entries: RecordingEntry[] = [];
  private readonly onOpen: (name: string) => void;
  private readonly onGone: (name: string) => void;

  /** `onGone`: a recording was renamed or deleted here (its review tab closes). */
  constructor(state: AppState, bridge: TapBridge, onOpen: (name: string) => void, onGone: (name: string) => void) {
    this.state = state;
    this.bridge = bridge;
    this.onOpen = onOpen;
    this.onGone = onGone;
    this.filter = h('input', { type: 'search', id: 'recordings-filter', placeholder: 'Filter recordings', 'aria-label': 'Filter recordings', oninput: () => this.render() });
    this.list = h('ul', { class: 'recording-list', 'aria-label': 'Recordings' });
    this.message = h('div', { class: 'view-message', role: 'status' });
    this.folder = h('div', { class: 'recordings-folder', title: 'Where recordings go' });
    this.element = h(
      'section',
      { class: 'view', 'data-view': 'recordings', 'aria-label': 'Recordings' },
      h(
        'header',
        { class: 'view-title' },
        h('h2', {}, 'Recordings'),
        h('span', {}, h('button', { class: 'small', 'data-action': 'change-recordings-folder', title: 'Change the recordings folder', onclick: () => void this.changeFolder() }, 'Folder…'), h('button', { class: 'small', 'data-action': 'refresh-recordings', onclick: () => void this.refresh() }, 'Refresh')),
      ),
      h('div', { class: 'view-body' }, this.folder, this.filter, this.message, this.list),
    );
    // A recording that ends anywhere in the app shows up here.
    state.changes.on('log', (e) => {
      if (/^Saved /.test(e.message) && this.element.isConnected) void this.refresh();
    });
  }

  /** Picks another recordings folder: a dialog in the desktop app, a typed path in the browser (the folder is on the host). */
  async changeFolder(): Promise<void> {
    let path: string | undefined;
    if (this.state.host === 'web') {
      const typed = prompt('Full path of the folder for recordings (on the machine running Asterisk Tap):', this.state.recordingsDir);
      if (!typed || typed === this.state.recordingsDir) return;
      path = typed;
    }
    try {
      const info = await this.bridge.invoke('recordings:setFolder', path === undefined ? {} : { path });
      this.state.recordingsDir = info.recordingsDir;
      await this.refresh();
    } catch (err) {
      this.state.info(errorMessage(err), 'error');
      setChildren(this.message, h('span', { class: 'error' }, errorMessage(err)));
    }
  }

  async refresh(): Promise<void> {
    setChildren(this.folder, this.state.recordingsDir);
    try {
      this.entries = await this.bridge.invoke('recordings:list', undefined);
      setChildren(this.message, this.entries.length === 0 ? 'No recordings yet.' : '');
    } catch (err) {
      setChildren(this.message, h('span', { class: 'error' }, errorMessage(err)));
    }
    this.render();
  }

  private render(): void {
    const q = this.filter.value.trim().toLowerCase();
    const shown = this.entries.filter((r) => !q || `${r.name} ${r.channel ?? ''} ${r.endpoint ?? ''}`.toLowerCase().includes(q));
    setChildren(this.list, ...shown.map((r) => this.item(r)));
  }

  private item(r: RecordingEntry): HTMLElement {
    const act = (label: string, action: string, run: () => Promise<void>): HTMLElement =>
      h('button', { class: 'small', 'data-action': action, title: `${label} ${r.name}`, onclick: () => void run().catch((e: unknown) => this.state.info(errorMessage(e), 'error')) }, label);
    const started = r.startedAt ? new Date(r.startedAt).toLocaleString() : 'start time unknown';
    const open = (): void => {
      if (!r.damaged) this.onOpen(r.name);
    };
    return h(
      'li',
      {
        class: `recording${r.damaged ? ' damaged' : ''}`,
        'data-recording': r.name,
        tabindex: 0,
        title: r.damaged ? undefined : 'Enter or double-click to review',
        ondblclick: open,
        onkeydown: (ev: Event) => {
          if ((ev as KeyboardEvent).key === 'Enter' && ev.target === ev.currentTarget) open();
        },
      },
      h('div', { class: 'tree-label' }, h('strong', {}, r.name), r.damaged ? h('span', { class: 'badge bad' }, 'damaged') : null, r.repaired ? h('span', { class: 'badge' }, 'repaired') : null, r.channels === 2 ? h('span', { class: 'badge' }, 'stereo') : null),
      r.damaged
        ? h('div', { class: 'tree-detail error' }, r.damaged)
        : h('div', { class: 'tree-detail' }, `${started} · ${formatDuration(r.durationMs)} · ${r.channel ?? '?'}${r.endpoint ? ` · ${r.endpoint}` : ''} · ${formatBytes(r.bytes)}`),
      r.repaired ? h('div', { class: 'tree-detail note' }, 'Repaired after a crash: it holds what reached the disk.') : null,
      r.note ? h('div', { class: 'tree-detail note' }, r.note) : null,
      h(
        'div',
        { class: 'tree-actions' },
        r.damaged ? null : act('Open', 'open-recording', async () => open()),
        this.state.host === 'electron' ? act('Reveal', 'reveal-recording', () => this.bridge.invoke('recordings:reveal', { name: r.name })) : null,
        act('Rename', 'rename-recording', async () => {
          const newName = prompt(`New name for ${r.name}`, r.name);
          if (!newName || newName === r.name) return;
          await this.bridge.invoke('recordings:rename', { name: r.name, newName });
          this.onGone(r.name);
          await this.refresh();
        }),
        act('Delete', 'delete-recording', async () => {
          if (!confirm(`Move ${r.name} to the trash?`)) return;
          await this.bridge.invoke('recordings:delete', { name: r.name });
          this.onGone(r.name);
          this.state.info(`Moved ${r.name} to the trash.`);
          await this.refresh();
        }),
      ),
    );
  }
}
