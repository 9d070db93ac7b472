import type { CallView, ChannelView, TapBridge } from '../../preload/contract.ts';
import { h, setAttr, setChildNodes, setChildren, setText } from '../common/dom.ts';
import { RemoteError, errorMessage } from '../bridge/bridge-error.ts';
import { ListNav } from '../common/list-nav.ts';
import type { AppState } from '../workbench/app-state.ts';

const REFRESH_MS = 2000;

/** A call's row as built: kept across refreshes while its legs are the same, only its details updated. */
interface CallRow {
  element: HTMLElement;
  /** Each leg's detail line (state, parties, duration): the only part a refresh changes. */
  details: HTMLElement[];
}

const legDetail = (leg: ChannelView): string => `${leg.state}${leg.caller ? ` · ${leg.caller}` : ''}${leg.connected ? ` → ${leg.connected}` : ''} · ${Math.floor(leg.durationS / 60)}:${String(leg.durationS % 60).padStart(2, '0')}`;

/**
 * The Channels view: live channels of the selected endpoint through ARI (refreshed every 2 s
 * while visible), bridged legs grouped as a call, a filter, and a box for a Channel-ID typed by hand.
 */
export class ChannelsView {
  readonly element: HTMLElement;
  private readonly state: AppState;
  private readonly bridge: TapBridge;
  private readonly openTap: (endpointId: string, channels: string[], title?: string) => Promise<void>;
  private readonly select: HTMLSelectElement;
  private readonly filter: HTMLInputElement;
  private readonly list: HTMLElement;
  private readonly nav: ListNav;
  private readonly message: HTMLElement;
  private readonly manual: HTMLInputElement;
  private readonly manualError: HTMLElement;
  private calls: CallView[] = [];
  /** The rows shown, by what they were built from (endpoint and legs): a refresh keeps them. */
  private rows = new Map<string, CallRow>();
  /** The endpoint the shown list belongs to (a list never shows under another endpoint). */
  private listedFor: string | undefined;
  private timer: number | undefined;
  private loading = false;
  private again = false;

  constructor(state: AppState, bridge: TapBridge, openTap: (endpointId: string, channels: string[], title?: string) => Promise<void>) {
    this.state = state;
    this.bridge = bridge;
    this.openTap = openTap;
    this.select = h('select', { id: 'channels-endpoint', 'aria-label': 'Endpoint', onchange: () => this.pick() });
    this.filter = h('input', { type: 'search', id: 'channels-filter', placeholder: 'Filter channels', 'aria-label': 'Filter channels', oninput: () => this.renderList() });
    this.manual = h('input', { type: 'text', id: 'manual-channel', placeholder: 'Channel-ID (e.g. PJSIP/alice-00000001)', 'aria-label': 'Channel name or uniqueid', 'aria-describedby': 'manual-channel-error', oninput: () => this.showManualError(null) });
    this.manualError = h('div', { id: 'manual-channel-error', class: 'field-error', role: 'alert' });
    const manualForm = h('form', { class: 'manual', 'aria-label': 'Open a channel by name' }, this.manual, h('button', { type: 'submit', class: 'small' }, 'Open'));
    manualForm.addEventListener('submit', (ev) => {
      ev.preventDefault();
      void this.openManual();
    });
    this.list = h('ul', { class: 'call-list', role: 'listbox', 'aria-label': 'Live calls' });
    this.nav = new ListNav(this.list, (id, row) => row.querySelector<HTMLButtonElement>(id.startsWith('call:') ? '[data-action=tap-call]' : '[data-action=tap-channel]')?.click());
    this.message = h('div', { class: 'view-message', role: 'status' });
    this.element = h(
      'section',
      { class: 'view', 'data-view': 'channels', 'aria-label': 'Channels' },
      h('header', { class: 'view-title' }, h('h2', {}, 'Channels')),
      h('div', { class: 'view-body' }, this.select, this.filter, this.message, this.list, h('h3', {}, 'By name'), manualForm, this.manualError),
    );
    state.changes.on('endpoints', () => this.renderSelect());
    state.changes.on('selection', () => {
      this.renderSelect();
      this.clearList();
      void this.refresh();
    });
    this.renderSelect();
  }

  /** Starts refreshing (when the view is shown). */
  show(): void {
    void this.refresh();
    this.timer ??= window.setInterval(() => void this.refresh(), REFRESH_MS);
  }

  hide(): void {
    window.clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Keyboard focus into the view: the selected call, or the endpoint picker while the list is empty. */
  focus(): void {
    if (!this.nav.focus()) this.select.focus();
  }

  private pick(): void {
    this.state.selectedEndpointId = this.select.value;
    this.clearList();
    void this.refresh();
  }

  private clearList(): void {
    this.calls = [];
    this.listedFor = undefined;
    setText(this.message, '');
    this.showManualError(null);
    this.renderList();
  }

  private renderSelect(): void {
    setChildren(this.select, ...this.state.endpoints.map((e) => h('option', { value: e.id, selected: e.id === this.state.selectedEndpointId }, e.name)));
  }

  private async refresh(): Promise<void> {
    const id = this.state.selectedEndpointId;
    if (!id) return;
    // One request at a time; a switch of endpoint meanwhile asks again when it is back.
    if (this.loading) {
      this.again = true;
      return;
    }
    const ep = this.state.endpoints.find((e) => e.id === id);
    if (!ep?.ariUrl) {
      this.calls = [];
      setText(this.message, 'This endpoint has no ARI: type the channel name below.');
      this.setStatus(true, '');
      this.renderList();
      return;
    }
    this.loading = true;
    try {
      const list = await this.bridge.invoke('channels:list', { endpointId: id });
      if (this.state.selectedEndpointId !== id) return;
      const calls = list.calls;
      this.calls = calls;
      this.listedFor = id;
      // Asterisk Tap's own snoop and external media channels are not calls, but never silently hidden.
      const hidden = list.hiddenHelpers > 0 ? `${list.hiddenHelpers} helper channel${list.hiddenHelpers === 1 ? '' : 's'} of Asterisk Tap hidden.` : '';
      setText(this.message, [calls.length === 0 ? 'No channels are up.' : '', hidden].filter(Boolean).join(' '));
      this.setStatus(true, `${ep.name}: ARI OK, ${calls.reduce((n, c) => n + c.legs.length, 0)} channels`);
    } catch (err) {
      if (this.state.selectedEndpointId !== id) return;
      // The error replaces the list: what was listed before may be gone, or belong to another server.
      this.calls = [];
      this.listedFor = undefined;
      setChildren(this.message, h('span', { class: 'error' }, errorMessage(err)));
      this.setStatus(false, `${ep.name}: ${ariStatus(err)}`);
    } finally {
      this.loading = false;
      if (this.again) {
        this.again = false;
        void this.refresh();
      }
    }
    this.renderList();
  }

  /** A channel typed by hand: checked first where ARI can say; a problem shows at the field and opens nothing. */
  private async openManual(): Promise<void> {
    const name = this.manual.value.trim();
    const epId = this.state.selectedEndpointId;
    if (!epId) return this.showManualError('Pick an endpoint first.');
    if (!name) return this.showManualError('Type a channel name (e.g. PJSIP/alice-00000001) or its uniqueid.');
    try {
      await this.openTap(epId, [name]);
      this.showManualError(null);
    } catch (err) {
      this.showManualError(errorMessage(err));
      this.manual.focus();
    }
  }

  private showManualError(text: string | null): void {
    setText(this.manualError, text ?? '');
    setAttr(this.manual, 'aria-invalid', text ? 'true' : null);
  }

  private setStatus(ok: boolean, text: string): void {
    if (this.state.endpointStatus.ok === ok && this.state.endpointStatus.text === text) return;
    this.state.endpointStatus = { ok, text };
    this.state.changes.emit('connection');
  }

  private tap(epId: string, channels: string[], title?: string): void {
    this.openTap(epId, channels, title).catch((err: unknown) => setChildren(this.message, h('span', { class: 'error' }, errorMessage(err))));
  }

  /**
   * Shows the calls. Every 2 s a refresh brings the same calls with new durations: their rows are
   * kept and only a detail line whose text changed is written (no rebuild, no row re-selected).
   */
  private renderList(): void {
    const q = this.filter.value.trim().toLowerCase();
    const epId = this.state.selectedEndpointId!;
    const calls = this.listedFor === epId ? this.calls : [];
    const shown = calls.filter((c) => !q || c.legs.some((l) => `${l.name} ${l.caller} ${l.connected} ${l.id}`.toLowerCase().includes(q)));
    const rows = new Map<string, CallRow>();
    for (const call of shown) {
      // The key holds all a row's structure and buttons are built from; the rest is in `details`.
      const key = JSON.stringify([epId, call.legs.map((l) => [l.id, l.name])]);
      if (rows.has(key)) continue;
      const row = this.rows.get(key) ?? this.buildRow(epId, call);
      call.legs.forEach((leg, i) => setText(row.details[i]!, legDetail(leg)));
      rows.set(key, row);
    }
    this.rows = rows;
    this.nav.render(() => setChildNodes(this.list, [...rows.values()].map((r) => r.element)));
  }

  private buildRow(epId: string, call: CallView): CallRow {
    const details = call.legs.map(() => h('span', { class: 'leg-detail' }));
    const element = h(
      'li',
      { class: 'call', role: 'group' },
      call.legs.length > 1
        ? h(
            'div',
            { class: 'call-head', role: 'option', 'data-id': `call:${call.legs[0]!.id}`, 'aria-label': `Call ${call.legs.map((l) => l.name).join(' and ')}` },
            h('button', { class: 'small call-tap', 'data-action': 'tap-call', title: 'Tap every leg of this call (Enter)', onclick: () => this.tap(epId, call.legs.map((l) => l.name), call.legs.map((l) => l.name).join(' ⇄ ')) }, 'Tap call'),
            h('span', { class: 'call-label' }, `${call.legs.length} legs, bridged`),
          )
        : null,
      ...call.legs.map((leg, i) =>
        h(
          'div',
          { class: 'leg', role: 'option', 'data-id': `leg:${leg.id}`, 'data-channel': leg.name, 'aria-label': leg.name },
          h('button', { class: 'small', 'data-action': 'tap-channel', title: `Tap ${leg.name} (Enter)`, onclick: () => this.tap(epId, [leg.name]) }, 'Tap'),
          h('span', { class: 'leg-name' }, leg.name),
          details[i],
        ),
      ),
    );
    return { element, details };
  }
}

/** What the status bar says when ARI failed: a refused password is not an unreachable server. */
function ariStatus(err: unknown): string {
  switch (err instanceof RemoteError ? err.code : '') {
    case 'ari-unauthorized':
      return 'ARI authentication failed (user or password)';
    case 'ari-unreachable':
    case 'ari-timeout':
      return 'ARI unreachable';
    case 'ari-not-found':
      return 'ARI not found at that URL';
    default:
      return 'ARI error';
  }
}
