import type { CallView, TapBridge } from '../../preload/contract.ts';
import { h, setChildren } from '../common/dom.ts';
import { errorMessage } from '../bridge/bridge-error.ts';
import type { AppState } from '../workbench/app-state.ts';

const REFRESH_MS = 2000;

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
  private readonly message: HTMLElement;
  private calls: CallView[] = [];
  private timer: number | undefined;
  private loading = false;

  constructor(state: AppState, bridge: TapBridge, openTap: (endpointId: string, channels: string[], title?: string) => Promise<void>) {
    this.state = state;
    this.bridge = bridge;
    this.openTap = openTap;
    this.select = h('select', { id: 'channels-endpoint', 'aria-label': 'Endpoint', onchange: () => this.pick() });
    this.filter = h('input', { type: 'search', id: 'channels-filter', placeholder: 'Filter channels', 'aria-label': 'Filter channels', oninput: () => this.renderList() });
    const manual = h('input', { type: 'text', id: 'manual-channel', placeholder: 'Channel-ID (e.g. PJSIP/alice-00000001)', 'aria-label': 'Channel name or uniqueid' });
    const manualForm = h(
      'form',
      { class: 'manual', 'aria-label': 'Open a channel by name' },
      manual,
      h('button', { type: 'submit', class: 'small' }, 'Open'),
    );
    manualForm.addEventListener('submit', (ev) => {
      ev.preventDefault();
      const id = manual.value.trim();
      if (id && this.state.selectedEndpointId) void this.openTap(this.state.selectedEndpointId, [id]);
    });
    this.list = h('ul', { class: 'call-list', 'aria-label': 'Live calls' });
    this.message = h('div', { class: 'view-message', role: 'status' });
    this.element = h(
      'section',
      { class: 'view', 'data-view': 'channels', 'aria-label': 'Channels' },
      h('header', { class: 'view-title' }, h('h2', {}, 'Channels')),
      h('div', { class: 'view-body' }, this.select, this.filter, this.message, this.list, h('h3', {}, 'By name'), manualForm),
    );
    state.changes.on('endpoints', () => this.renderSelect());
    state.changes.on('selection', () => {
      this.renderSelect();
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

  private pick(): void {
    this.state.selectedEndpointId = this.select.value;
    this.calls = [];
    this.renderList();
    void this.refresh();
  }

  private renderSelect(): void {
    setChildren(this.select, ...this.state.endpoints.map((e) => h('option', { value: e.id, selected: e.id === this.state.selectedEndpointId }, e.name)));
  }

  private async refresh(): Promise<void> {
    const id = this.state.selectedEndpointId;
    if (!id || this.loading) return;
    const ep = this.state.endpoints.find((e) => e.id === id);
    if (!ep?.ariUrl) {
      this.calls = [];
      setChildren(this.message, 'This endpoint has no ARI: type the channel name below.');
      this.renderList();
      return;
    }
    this.loading = true;
    try {
      this.calls = await this.bridge.invoke('channels:list', { endpointId: id });
      setChildren(this.message, this.calls.length === 0 ? 'No channels are up.' : '');
      this.setStatus(true, `${ep.name}: ARI OK, ${this.calls.reduce((n, c) => n + c.legs.length, 0)} channels`);
    } catch (err) {
      setChildren(this.message, h('span', { class: 'error' }, errorMessage(err)));
      this.setStatus(false, `${ep.name}: ARI unreachable`);
    } finally {
      this.loading = false;
    }
    this.renderList();
  }

  private setStatus(ok: boolean, text: string): void {
    if (this.state.endpointStatus.ok === ok && this.state.endpointStatus.text === text) return;
    this.state.endpointStatus = { ok, text };
    this.state.changes.emit('connection');
  }

  private renderList(): void {
    const q = this.filter.value.trim().toLowerCase();
    const shown = this.calls.filter((c) => !q || c.legs.some((l) => `${l.name} ${l.caller} ${l.connected} ${l.id}`.toLowerCase().includes(q)));
    const epId = this.state.selectedEndpointId!;
    const focused = document.activeElement?.getAttribute('data-key');
    setChildren(
      this.list,
      ...shown.map((call) =>
        h(
          'li',
          { class: 'call' },
          call.legs.length > 1
            ? h('button', { class: 'small call-tap', 'data-key': `call:${call.legs[0]!.id}`, 'data-action': 'tap-call', title: 'Tap every leg of this call', onclick: () => void this.openTap(epId, call.legs.map((l) => l.name), call.legs.map((l) => l.name).join(' ⇄ ')) }, 'Tap call')
            : null,
          ...call.legs.map((leg) =>
            h(
              'div',
              { class: 'leg', 'data-channel': leg.name },
              h('button', { class: 'small', 'data-key': `leg:${leg.id}`, 'data-action': 'tap-channel', title: `Tap ${leg.name}`, onclick: () => void this.openTap(epId, [leg.name]) }, 'Tap'),
              h('span', { class: 'leg-name' }, leg.name),
              h('span', { class: 'leg-detail' }, `${leg.state}${leg.caller ? ` · ${leg.caller}` : ''}${leg.connected ? ` → ${leg.connected}` : ''} · ${Math.floor(leg.durationS / 60)}:${String(leg.durationS % 60).padStart(2, '0')}`),
            ),
          ),
        ),
      ),
    );
    // Refreshing must not steal keyboard focus from the button being used.
    if (focused) this.list.querySelector<HTMLElement>(`[data-key="${CSS.escape(focused)}"]`)?.focus();
  }
}
