import { h, setChildren } from '../common/dom.ts';
import { errorMessage } from '../bridge/bridge-error.ts';

export interface InputOptions {
  title: string;
  value?: string;
  placeholder?: string;
  /** Part of the value selected at first (e.g. the name without ".wav"). */
  selection?: [number, number];
  /** A problem with the value as typed (shown under the box, Enter refused), or null. */
  validate?: (value: string) => string | null;
  /** Runs on Enter; a rejection is shown under the box, which stays open to fix the value. */
  accept?: (value: string) => Promise<void>;
}

export interface ConfirmOptions {
  title: string;
  message: string;
  /** The button that does it, e.g. "Delete". */
  confirmLabel: string;
}

export interface PickItem<T> {
  label: string;
  detail?: string;
  value: T;
}

/**
 * The workbench's quick input (as VS Code's): a box at the top of the window for a name, a yes/no
 * question or a pick from a list. Keyboard first: it takes focus, Enter confirms, Esc cancels,
 * problems show under the box; focus goes back where it was.
 */
export class QuickInput {
  readonly element: HTMLElement;
  private readonly titleEl: HTMLElement;
  private readonly body: HTMLElement;
  private readonly message: HTMLElement;
  private finish: (() => void) | undefined;
  private returnFocus: HTMLElement | null = null;

  constructor() {
    this.titleEl = h('div', { class: 'quick-input-title', id: 'quick-input-title' });
    this.body = h('div', { class: 'quick-input-body' });
    this.message = h('div', { class: 'quick-input-message', role: 'alert', id: 'quick-input-message' });
    this.element = h('div', { class: 'palette quick-input', role: 'dialog', 'aria-modal': 'true', 'aria-labelledby': 'quick-input-title', hidden: true }, this.titleEl, this.body, this.message);
    this.element.addEventListener('keydown', (ev) => {
      if (ev.key === 'Escape') {
        ev.preventDefault();
        ev.stopPropagation();
        this.finish?.();
      }
    });
    // Clicking elsewhere cancels, as VS Code's quick input does.
    this.element.addEventListener('focusout', (ev) => {
      if (!this.element.hidden && ev.relatedTarget !== null && !this.element.contains(ev.relatedTarget as Node)) this.finish?.();
    });
  }

  get isOpen(): boolean {
    return !this.element.hidden;
  }

  /** Asks for a line of text; resolves with it (after `accept` succeeded), or undefined when cancelled. */
  input(opts: InputOptions): Promise<string | undefined> {
    return new Promise((resolve) => {
      const box = h('input', { type: 'text', class: 'palette-input', 'aria-labelledby': 'quick-input-title', 'aria-describedby': 'quick-input-message', placeholder: opts.placeholder ?? '', autocomplete: 'off', spellcheck: 'false' });
      box.value = opts.value ?? '';
      let busy = false;
      const check = (): string | null => opts.validate?.(box.value) ?? null;
      box.addEventListener('input', () => this.showMessage(check()));
      box.addEventListener('keydown', (ev) => {
        if (ev.key !== 'Enter' || busy) return;
        ev.preventDefault();
        const problem = check();
        if (problem) return this.showMessage(problem);
        const value = box.value;
        if (!opts.accept) return done(value);
        busy = true;
        opts.accept(value).then(
          () => done(value),
          (err: unknown) => {
            busy = false;
            this.showMessage(errorMessage(err));
            box.focus();
          },
        );
      });
      const done = this.open(opts.title, [box], resolve as (v: string | undefined) => void);
      box.focus();
      if (opts.selection) box.setSelectionRange(opts.selection[0], opts.selection[1]);
      else box.select();
    });
  }

  /** Asks a yes/no question; the confirming button has focus. */
  confirm(opts: ConfirmOptions): Promise<boolean> {
    return new Promise((resolve) => {
      const yes = h('button', { class: 'primary', 'data-action': 'quick-confirm', onclick: () => done(true) }, opts.confirmLabel);
      const no = h('button', { 'data-action': 'quick-cancel', onclick: () => done(false) }, 'Cancel');
      const done = this.open(opts.title, [h('p', { class: 'quick-input-text' }, opts.message), h('div', { class: 'quick-input-buttons' }, yes, no)], (v) => resolve(v === true));
      yes.focus();
    });
  }

  /** Picks one of a list (arrows, Enter; typing filters). */
  pick<T>(title: string, items: PickItem<T>[]): Promise<T | undefined> {
    return new Promise((resolve) => {
      const box = h('input', { type: 'text', class: 'palette-input', 'aria-labelledby': 'quick-input-title', 'aria-controls': 'quick-pick-list', autocomplete: 'off' });
      const list = h('ul', { class: 'palette-list', role: 'listbox', id: 'quick-pick-list' });
      let selected = 0;
      const shown = (): PickItem<T>[] => items.filter((i) => `${i.label} ${i.detail ?? ''}`.toLowerCase().includes(box.value.trim().toLowerCase()));
      const render = (): void => {
        const s = shown();
        selected = Math.max(0, Math.min(selected, s.length - 1));
        setChildren(list, ...s.map((item, i) => h('li', { role: 'option', id: `quick-pick-${i}`, 'aria-selected': String(i === selected), onmousedown: (ev: Event) => (ev.preventDefault(), done(item.value)) }, h('span', {}, item.label), item.detail ? h('span', { class: 'quick-pick-detail' }, item.detail) : null)));
        box.setAttribute('aria-activedescendant', s.length ? `quick-pick-${selected}` : '');
      };
      box.addEventListener('input', () => ((selected = 0), render()));
      box.addEventListener('keydown', (ev) => {
        const n = shown().length;
        if (ev.key === 'ArrowDown') selected = Math.min(n - 1, selected + 1);
        else if (ev.key === 'ArrowUp') selected = Math.max(0, selected - 1);
        else if (ev.key === 'Enter') {
          const item = shown()[selected];
          if (item) done(item.value);
        } else return;
        ev.preventDefault();
        render();
      });
      const done = this.open(title, [box, list], resolve as (v: T | undefined) => void);
      render();
      box.focus();
    });
  }

  /** Shows the box with its content; returns the function that closes it with a result. */
  private open<R>(title: string, content: HTMLElement[], resolve: (v: R | undefined) => void): (v?: R) => void {
    this.finish?.();
    this.returnFocus = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    setChildren(this.titleEl, title);
    setChildren(this.body, ...content);
    this.showMessage(null);
    this.element.hidden = false;
    let closed = false;
    const close = (v?: R): void => {
      if (closed) return;
      closed = true;
      this.finish = undefined;
      this.element.hidden = true;
      setChildren(this.body);
      if (this.returnFocus?.isConnected) this.returnFocus.focus();
      resolve(v);
    };
    this.finish = () => close();
    return close;
  }

  private showMessage(text: string | null): void {
    setChildren(this.message, text ?? '');
    this.message.hidden = !text;
  }
}
