import type { EndpointView, TapBridge } from '../../preload/contract.ts';
import { h, setChildren } from '../common/dom.ts';
import { errorMessage } from '../bridge/bridge-error.ts';
import type { AppState } from '../workbench/app-state.ts';
import type { QuickInput } from '../workbench/quick-input.ts';
import { createEndpointForm } from './endpoint-form.ts';
import { ListNav } from '../common/list-nav.ts';

/** The Endpoints view: a tree of saved endpoints with add / edit / duplicate / delete / test. */
export class EndpointsView {
  readonly element: HTMLElement;
  private readonly body: HTMLElement;
  private readonly tree: HTMLElement;
  private readonly nav: ListNav;
  private readonly state: AppState;
  private readonly bridge: TapBridge;
  private readonly showChannels: () => void;
  private editing: EndpointView | 'new' | undefined;
  private readonly results = new Map<string, { text: string; ok: boolean }>();

  private readonly quick: QuickInput;

  constructor(state: AppState, bridge: TapBridge, quick: QuickInput, showChannels: () => void) {
    this.state = state;
    this.quick = quick;
    this.bridge = bridge;
    this.showChannels = showChannels;
    this.body = h('div', { class: 'view-body' });
    this.tree = h('ul', { class: 'tree', role: 'tree', 'aria-label': 'Saved endpoints' });
    this.nav = new ListNav(this.tree, (id) => {
      const ep = this.state.endpoints.find((e) => e.id === id);
      if (ep) this.open(ep);
    });
    this.element = h(
      'section',
      { class: 'view', 'data-view': 'endpoints', 'aria-label': 'Endpoints' },
      h('header', { class: 'view-title' }, h('h2', {}, 'Endpoints'), h('button', { class: 'small', 'data-action': 'add-endpoint', title: 'Add an endpoint', onclick: () => this.add() }, '+ Add')),
      this.body,
    );
    state.changes.on('endpoints', () => this.render());
    this.render();
  }

  add(): void {
    this.editing = 'new';
    this.render();
  }

  private render(): void {
    if (this.editing) {
      const endpoint = this.editing === 'new' ? undefined : this.editing;
      setChildren(
        this.body,
        createEndpointForm({
          ...(endpoint ? { endpoint } : {}),
          save: async (req) => {
            const saved = await this.bridge.invoke('endpoints:save', req);
            this.state.info(`Saved endpoint ${saved.name}.`);
            this.editing = undefined;
            this.state.setEndpoints(await this.bridge.invoke('endpoints:list', undefined));
          },
          cancel: () => {
            this.editing = undefined;
            this.render();
          },
        }),
      );
      return;
    }
    if (this.body.firstElementChild !== this.tree) setChildren(this.body, this.tree);
    this.nav.render(() => setChildren(this.tree, ...this.state.endpoints.map((ep) => this.item(ep))));
  }

  /** Keyboard focus into the view: the selected endpoint (or the form being edited). */
  focus(): void {
    if (this.editing) this.body.querySelector<HTMLElement>('input')?.focus();
    else if (!this.nav.focus()) this.element.querySelector<HTMLElement>('[data-action=add-endpoint]')?.focus();
  }

  private item(ep: EndpointView): HTMLElement {
    const result = this.results.get(ep.id);
    const act = (label: string, action: string, run: () => Promise<void> | void, disabled = false): HTMLElement =>
      h('button', { class: 'small', 'data-action': action, disabled, title: `${label} ${ep.name}`, onclick: () => void Promise.resolve(run()).catch((e: unknown) => this.state.info(errorMessage(e), 'error')) }, label);
    return h(
      'li',
      { role: 'treeitem', class: `tree-item${ep.id === this.state.selectedEndpointId ? ' current' : ''}`, 'data-id': ep.id, 'data-endpoint': ep.name, 'aria-current': ep.id === this.state.selectedEndpointId ? 'true' : undefined, ondblclick: () => this.open(ep) },
      h('div', { class: 'tree-label' }, h('strong', {}, ep.name), ep.builtin ? h('span', { class: 'badge' }, 'built-in') : null),
      h('div', { class: 'tree-detail' }, ep.wsUrl, ep.ariUrl ? ' · ARI' : '', ` · ${ep.transport ?? 'auto'}`),
      h(
        'div',
        { class: 'tree-actions' },
        act('Channels', 'open-endpoint', () => this.open(ep)),
        act('Test', 'test-endpoint', () => this.test(ep)),
        act('Edit', 'edit-endpoint', () => {
          this.editing = ep;
          this.render();
        }, ep.builtin),
        act('Duplicate', 'duplicate-endpoint', async () => {
          await this.bridge.invoke('endpoints:duplicate', { id: ep.id });
          this.state.setEndpoints(await this.bridge.invoke('endpoints:list', undefined));
        }),
        act('Delete', 'delete-endpoint', async () => {
          if (!(await this.quick.confirm({ title: `Delete the endpoint "${ep.name}"?`, message: 'Its stored passwords are deleted too.', confirmLabel: 'Delete' }))) return;
          await this.bridge.invoke('endpoints:delete', { id: ep.id });
          this.state.setEndpoints(await this.bridge.invoke('endpoints:list', undefined));
        }, ep.builtin),
      ),
      result ? h('div', { class: `test-result ${result.ok ? 'ok' : 'bad'}`, role: 'status' }, result.text) : null,
    );
  }

  private open(ep: EndpointView): void {
    this.state.selectedEndpointId = ep.id;
    this.state.changes.emit('selection');
    this.showChannels();
  }

  private async test(ep: EndpointView): Promise<void> {
    this.results.set(ep.id, { text: 'Testing…', ok: true });
    this.render();
    try {
      const r = await this.bridge.invoke('endpoints:test', { id: ep.id });
      const ok = r.verdict === 'reachable' || r.verdict === 'streaming';
      this.results.set(ep.id, { text: `${r.summary}${r.handshakeMs !== null ? ` (handshake ${r.handshakeMs} ms)` : ''}`, ok });
      this.state.info(`Test of ${ep.name}: ${r.summary}`, ok ? 'info' : 'warn');
    } catch (err) {
      this.results.set(ep.id, { text: errorMessage(err), ok: false });
    }
    this.render();
  }
}
