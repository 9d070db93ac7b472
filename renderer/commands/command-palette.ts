import { h, setChildren } from '../common/dom.ts';
import { displayKeybinding, type CommandRegistry } from './command-registry.ts';

/** The command palette (Ctrl/Cmd+Shift+P): every command with its keybinding, filtered as you type. */
export class CommandPalette {
  readonly element: HTMLElement;
  private readonly input: HTMLInputElement;
  private readonly list: HTMLElement;
  private readonly registry: CommandRegistry;
  private selected = 0;
  private returnFocus: HTMLElement | null = null;

  constructor(registry: CommandRegistry) {
    this.registry = registry;
    this.input = h('input', { type: 'text', class: 'palette-input', placeholder: 'Type a command', 'aria-label': 'Command', 'aria-controls': 'palette-list' });
    this.list = h('ul', { id: 'palette-list', class: 'palette-list', role: 'listbox' });
    this.element = h('div', { class: 'palette', role: 'dialog', 'aria-label': 'Command palette', hidden: true }, this.input, this.list);
    this.input.addEventListener('input', () => {
      this.selected = 0;
      this.render();
    });
    this.input.addEventListener('keydown', (ev) => this.onKey(ev));
    this.element.addEventListener('focusout', (ev) => {
      if (!this.element.contains(ev.relatedTarget as Node | null)) this.close();
    });
  }

  get isOpen(): boolean {
    return !this.element.hidden;
  }

  open(): void {
    this.returnFocus = document.activeElement as HTMLElement | null;
    this.element.hidden = false;
    this.input.value = '';
    this.selected = 0;
    this.render();
    this.input.focus();
  }

  close(): void {
    if (this.element.hidden) return;
    this.element.hidden = true;
    this.returnFocus?.focus?.();
  }

  private matches() {
    return this.registry.search(this.input.value);
  }

  private render(): void {
    const items = this.matches();
    setChildren(
      this.list,
      ...items.map((c, i) =>
        h(
          'li',
          { role: 'option', 'aria-selected': i === this.selected ? 'true' : 'false', 'aria-disabled': this.registry.isEnabled(c) ? undefined : 'true', 'data-command': c.id, onmousedown: (ev: Event) => { ev.preventDefault(); void this.runAt(i); } },
          h('span', { class: 'palette-title' }, c.title),
          c.keybinding ? h('kbd', {}, displayKeybinding(c.keybinding)) : null,
        ),
      ),
      items.length === 0 ? h('li', { class: 'palette-empty' }, 'No matching command') : null,
    );
  }

  private async runAt(i: number): Promise<void> {
    const cmd = this.matches()[i];
    if (!cmd) return;
    this.close();
    await this.registry.run(cmd.id);
  }

  private onKey(ev: KeyboardEvent): void {
    const n = this.matches().length;
    if (ev.key === 'Escape') this.close();
    else if (ev.key === 'ArrowDown') this.selected = Math.min(n - 1, this.selected + 1);
    else if (ev.key === 'ArrowUp') this.selected = Math.max(0, this.selected - 1);
    else if (ev.key === 'Enter') void this.runAt(this.selected);
    else return;
    ev.preventDefault();
    if (this.isOpen) this.render();
  }
}
