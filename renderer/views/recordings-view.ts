import type { RecordingEntry, TapBridge } from '../../preload/contract.ts';
import { formatBytes, formatDuration, h, setChildren } from '../common/dom.ts';
import { errorMessage } from '../bridge/bridge-error.ts';
import type { AppState } from '../workbench/app-state.ts';
import type { QuickInput } from '../workbench/quick-input.ts';
import { ListNav } from '../common/list-nav.ts';
import { shortRecordingName } from '../common/recording-name.ts';
import { findingBadges } from './finding-badges.ts';

/** Text that wraps only between words (a file or channel name never breaks in the middle). */
function keepWords(text: string): (Node | string)[] {
  return text.split(' ').flatMap((w, i) => [i > 0 ? ' ' : '', h('span', { class: 'word' }, w)]);
}

/** A problem with a new recording name as typed, or null. */
function nameProblem(name: string): string | null {
  const n = name.trim();
  if (n === '') return 'Type a name for the recording.';
  if (/[\\/]/.test(n)) return 'A name cannot contain / or \\: recordings stay in the recordings folder.';
  if (n.startsWith('.')) return 'A name cannot start with a dot.';
  return null;
}

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
  private readonly nav: ListNav;
  private readonly message: HTMLElement;
  private readonly folder: HTMLElement;
  private entries: RecordingEntry[] = [];
  private readonly onOpen: (name: string) => void;
  private readonly onGone: (name: string) => void;
  private readonly quick: QuickInput;

  /** `onGone`: a recording was renamed or deleted here (its review tab closes). */
  constructor(state: AppState, bridge: TapBridge, quick: QuickInput, onOpen: (name: string) => void, onGone: (name: string) => void) {
    this.state = state;
    this.bridge = bridge;
    this.quick = quick;
    this.onOpen = onOpen;
    this.onGone = onGone;
    this.filter = h('input', { type: 'search', id: 'recordings-filter', placeholder: 'Filter recordings', 'aria-label': 'Filter recordings', oninput: () => this.render() });
    this.list = h('ul', { class: 'recording-list', role: 'listbox', 'aria-label': 'Recordings' });
    this.nav = new ListNav(this.list, (name) => {
      const r = this.entries.find((e) => e.name === name);
      if (r && !r.damaged) this.onOpen(r.name);
    });
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
    const apply = async (path: string | undefined): Promise<void> => {
      const info = await this.bridge.invoke('recordings:setFolder', path === undefined ? {} : { path });
      this.state.recordingsDir = info.recordingsDir;
      await this.refresh();
    };
    if (this.state.host === 'web') {
      // A refused path is reported in the box, which stays open to fix it.
      await this.quick.input({
        title: 'Folder for recordings: its full path on the machine running Asterisk Tap (Enter to use it, Esc to cancel)',
        value: this.state.recordingsDir,
        validate: (v) => (v.trim() === '' ? 'Type the full path of a folder.' : null),
        accept: async (v) => (v.trim() === this.state.recordingsDir ? undefined : apply(v.trim())),
      });
      return;
    }
    try {
      await apply(undefined);
    } catch (err) {
      this.state.info(errorMessage(err), 'error');
      setChildren(this.message, h('span', { class: 'error' }, errorMessage(err)));
    }
  }

  /** Renames a recording through the quick input (Enter renames, Esc cancels; a refused name is explained in place). */
  async rename(name: string): Promise<void> {
    const stem = name.toLowerCase().endsWith('.wav') ? name.length - 4 : name.length;
    await this.quick.input({
      title: `Rename ${name} (Enter to rename, Esc to cancel)`,
      value: name,
      selection: [0, stem],
      validate: nameProblem,
      accept: async (newName) => {
        if (newName.trim() === name) return;
        await this.bridge.invoke('recordings:rename', { name, newName: newName.trim() });
        this.onGone(name);
        this.state.info(`Renamed ${name} to ${newName.trim()}.`);
        await this.refresh();
      },
    });
  }

  /** Moves a recording to the trash after a confirmation. */
  async remove(name: string): Promise<void> {
    const trash = this.state.host === 'electron' ? 'the trash' : 'the .trash folder of the recordings folder';
    if (!(await this.quick.confirm({ title: `Delete ${name}?`, message: `${name} is moved to ${trash}.`, confirmLabel: 'Move to trash' }))) return;
    await this.bridge.invoke('recordings:delete', { name });
    this.onGone(name);
    this.state.info(`Moved ${name} to the trash.`);
    await this.refresh();
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
    this.nav.render(() => setChildren(this.list, ...shown.map((r) => this.item(r))));
  }

  /** Keyboard focus into the view: the selected recording, or the filter while there is none. */
  focus(): void {
    if (!this.nav.focus()) this.filter.focus();
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
        role: 'option',
        'data-id': r.name,
        'data-recording': r.name,
        'aria-label': r.name,
        title: r.damaged ? undefined : 'Enter or double-click to review',
        ondblclick: open,
      },
      h('div', { class: 'tree-label' }, h('strong', { class: 'recording-name', title: r.name }, shortRecordingName(r.name)), r.damaged ? h('span', { class: 'badge bad' }, 'damaged') : null, r.repaired ? h('span', { class: 'badge' }, 'repaired') : null, r.channels === 2 ? h('span', { class: 'badge' }, 'stereo') : null, findingBadges(r)),
      r.damaged
        ? h('div', { class: 'tree-detail error' }, r.damaged)
        : h('div', { class: 'tree-detail' }, ...keepWords(`${started} · ${formatDuration(r.durationMs)} · ${r.channel ?? '?'}${r.endpoint ? ` · ${r.endpoint}` : ''} · ${formatBytes(r.bytes)}`)),
      r.repaired ? h('div', { class: 'tree-detail note' }, 'Repaired after a crash: it holds what reached the disk.') : null,
      r.note ? h('div', { class: 'tree-detail note' }, r.note) : null,
      h(
        'div',
        { class: 'tree-actions' },
        r.damaged ? null : act('Open', 'open-recording', async () => open()),
        this.state.host === 'electron' ? act('Reveal', 'reveal-recording', () => this.bridge.invoke('recordings:reveal', { name: r.name })) : null,
        act('Rename', 'rename-recording', () => this.rename(r.name)),
        act('Delete', 'delete-recording', () => this.remove(r.name)),
      ),
    );
  }
}
