import { h, setText } from '../common/dom.ts';
import type { AppState } from './app-state.ts';
import type { ProblemsPanel } from './problems-panel.ts';

export type PanelTab = 'problems' | 'output';
const TAB_KEY = 'asterisk-tap.panelTab';

/** The panel under the editors, as VS Code's: tabs for Problems (with its count) and Output. */
export class PanelTabs {
  readonly element: HTMLElement;
  private readonly tabs: Record<PanelTab, HTMLButtonElement>;
  private readonly views: Record<PanelTab, HTMLElement>;
  private readonly problems: ProblemsPanel;
  /** The Problems tab's count, in the tab while there are problems. */
  private readonly badge = h('span', { class: 'badge', 'data-part': 'problems-count' });
  private current: PanelTab;

  constructor(state: AppState, problems: ProblemsPanel, output: HTMLElement) {
    this.problems = problems;
    this.views = { problems: problems.element, output };
    const tab = (id: PanelTab, label: string): HTMLButtonElement =>
      h('button', { class: 'panel-tab', role: 'tab', id: `panel-tab-${id}`, 'data-panel-tab': id, 'aria-controls': `panel-view-${id}`, onclick: () => this.show(id, true), onkeydown: (ev: Event) => this.onKey(ev as KeyboardEvent) }, label);
    this.tabs = { problems: tab('problems', 'Problems'), output: tab('output', 'Output') };
    for (const id of ['problems', 'output'] as const) {
      this.views[id].id = `panel-view-${id}`;
      this.views[id].setAttribute('role', 'tabpanel');
      this.views[id].setAttribute('aria-labelledby', `panel-tab-${id}`);
    }
    this.element = h(
      'section',
      { id: 'workbench.parts.panel', class: 'part panel', 'aria-label': 'Panel' },
      h('div', { class: 'panel-tabs', role: 'tablist', 'aria-label': 'Panel' }, this.tabs.problems, this.tabs.output),
      this.views.problems,
      this.views.output,
    );
    this.current = localStorage.getItem(TAB_KEY) === 'problems' ? 'problems' : 'output';
    state.health.changes.on('findings', () => this.renderBadge());
    this.show(this.current);
  }

  get active(): PanelTab {
    return this.current;
  }

  show(id: PanelTab, focus = false): void {
    this.current = id;
    localStorage.setItem(TAB_KEY, id);
    for (const t of ['problems', 'output'] as const) {
      this.tabs[t].setAttribute('aria-selected', String(t === id));
      this.tabs[t].tabIndex = t === id ? 0 : -1;
      this.views[t].hidden = t !== id;
    }
    this.problems.setVisible(id === 'problems');
    this.renderBadge();
    if (focus) this.tabs[id].focus();
  }

  /** On every finding: the count is written only when it changed. */
  private renderBadge(): void {
    const n = this.problems.count();
    if (n > 0) {
      setText(this.badge, String(n));
      if (this.badge.parentNode !== this.tabs.problems) this.tabs.problems.append(this.badge);
    } else this.badge.remove();
  }

  private onKey(ev: KeyboardEvent): void {
    if (ev.key !== 'ArrowRight' && ev.key !== 'ArrowLeft') return;
    ev.preventDefault();
    this.show(this.current === 'problems' ? 'output' : 'problems', true);
  }
}
