import { setAttr } from './dom.ts';

/**
 * Keyboard movement in a list of rows, as in VS Code's trees: the list is one tab stop (roving
 * tabindex on the selected row), arrows / Home / End move, Enter acts on the row. Rows carry
 * `data-id`; the selection is kept by id when rows come and go (so a refresh never moves the
 * keyboard to another row), and falls to the row now at its place when its row is gone.
 */
export class ListNav {
  private readonly container: HTMLElement;
  private readonly onEnter: (id: string, row: HTMLElement) => void;
  private selected: string | undefined;

  constructor(container: HTMLElement, onEnter: (id: string, row: HTMLElement) => void) {
    this.container = container;
    this.onEnter = onEnter;
    container.addEventListener('keydown', (ev) => this.onKey(ev));
    container.addEventListener('focusin', (ev) => {
      const row = (ev.target as HTMLElement).closest<HTMLElement>('[data-id]');
      if (row && this.container.contains(row) && row.dataset['id'] !== this.selected) {
        this.selected = row.dataset['id'];
        this.apply(false);
      }
    });
  }

  get selectedId(): string | undefined {
    return this.selected;
  }

  rows(): HTMLElement[] {
    return [...this.container.querySelectorAll<HTMLElement>('[data-id]')];
  }

  /** Re-renders the rows with `render`, keeping the selected row (and keyboard focus on it). */
  render(render: () => void): void {
    const active = document.activeElement;
    const hadFocus = active !== null && this.container.contains(active);
    const focusedRow = hadFocus && active instanceof HTMLElement && active.dataset['id'] !== undefined;
    const before = this.rows().findIndex((r) => r.dataset['id'] === this.selected);
    const focusedAction = hadFocus && !focusedRow ? (active as HTMLElement).getAttribute('data-action') : null;
    render();
    const rows = this.rows();
    if (!rows.some((r) => r.dataset['id'] === this.selected)) this.selected = rows[Math.min(Math.max(before, 0), rows.length - 1)]?.dataset['id'];
    this.apply(false);
    if (!hadFocus) return;
    const row = this.row();
    // A button of the selected row that had focus keeps it; otherwise the row takes it.
    const action = focusedAction ? row?.querySelector<HTMLElement>(`[data-action="${CSS.escape(focusedAction)}"]`) : null;
    (action ?? row ?? this.container).focus();
  }

  /** Moves keyboard focus into the list (the selected row, or the first). */
  focus(): boolean {
    this.selected ??= this.rows()[0]?.dataset['id'];
    this.apply(false);
    const row = this.row();
    row?.focus();
    return row !== undefined;
  }

  private row(): HTMLElement | undefined {
    return this.rows().find((r) => r.dataset['id'] === this.selected);
  }

  /** Selected row: the tab stop, aria-selected, its buttons reachable by Tab; other rows' controls are skipped by Tab. */
  private apply(focus: boolean): void {
    const rows = this.rows();
    if (this.selected === undefined || !rows.some((r) => r.dataset['id'] === this.selected)) this.selected = rows[0]?.dataset['id'];
    // Written only where they change: a refresh that kept the rows and the selection writes nothing.
    for (const r of rows) {
      const on = r.dataset['id'] === this.selected;
      const tabindex = on ? '0' : '-1';
      setAttr(r, 'tabindex', tabindex);
      setAttr(r, 'aria-selected', String(on));
      for (const c of r.querySelectorAll<HTMLElement>('button, input, select')) if (c.closest('[data-id]') === r) setAttr(c, 'tabindex', tabindex);
    }
    if (focus) this.row()?.focus();
  }

  private onKey(ev: KeyboardEvent): void {
    const row = ev.target as HTMLElement;
    // Keys on a row's own buttons and fields do what they do there.
    if (row.dataset['id'] === undefined || !this.container.contains(row) || ev.ctrlKey || ev.metaKey || ev.altKey) return;
    const rows = this.rows();
    const i = rows.indexOf(row);
    const to = (j: number): void => {
      this.selected = rows[Math.max(0, Math.min(rows.length - 1, j))]?.dataset['id'];
      this.apply(true);
    };
    if (ev.key === 'ArrowDown') to(i + 1);
    else if (ev.key === 'ArrowUp') to(i - 1);
    else if (ev.key === 'Home') to(0);
    else if (ev.key === 'End') to(rows.length - 1);
    else if (ev.key === 'Enter') this.onEnter(row.dataset['id']!, row);
    else return;
    ev.preventDefault();
  }
}
