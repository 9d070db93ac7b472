/** A command: one registry feeds the palette, the menus and the keybindings. */
export interface Command {
  id: string;
  title: string;
  /** e.g. "Ctrl+Shift+P", "M"; "Ctrl" means Cmd on macOS. */
  keybinding?: string;
  /** Whether the command applies now (e.g. a tap is focused). */
  enabled?: () => boolean;
  run: () => void | Promise<void>;
}

const isMac = typeof navigator !== 'undefined' && /Mac/.test(navigator.platform);

/** The key chord of a keyboard event, normalised like keybindings are written. */
export function chordOf(ev: Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'metaKey' | 'shiftKey' | 'altKey'>, mac = isMac): string {
  const parts: string[] = [];
  if (mac ? ev.metaKey : ev.ctrlKey) parts.push('Ctrl');
  if (ev.altKey) parts.push('Alt');
  if (ev.shiftKey) parts.push('Shift');
  const key = ev.key === ' ' ? 'Space' : ev.key.length === 1 ? ev.key.toUpperCase() : ev.key;
  if (!['Control', 'Meta', 'Shift', 'Alt'].includes(key)) parts.push(key);
  return parts.join('+');
}

/** Whether keys go to text the user is typing (single-key shortcuts must then stay out of the way). */
export function isTyping(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  return el !== null && (['INPUT', 'TEXTAREA', 'SELECT'].includes(el.tagName) || el.isContentEditable === true);
}

/** How a keybinding reads on this platform (Ctrl → ⌘ on macOS). */
export function displayKeybinding(kb: string, mac = isMac): string {
  return mac ? kb.replace('Ctrl+', '⌘').replace('Shift+', '⇧').replace('Alt+', '⌥') : kb;
}

export class CommandRegistry {
  private readonly commands = new Map<string, Command>();

  register(cmd: Command): () => void {
    if (this.commands.has(cmd.id)) throw new Error(`command ${cmd.id} is registered twice`);
    if (cmd.keybinding && this.all().some((c) => c.keybinding === cmd.keybinding)) throw new Error(`keybinding ${cmd.keybinding} is taken`);
    this.commands.set(cmd.id, cmd);
    return () => this.commands.delete(cmd.id);
  }

  all(): Command[] {
    return [...this.commands.values()].sort((a, b) => a.title.localeCompare(b.title));
  }

  get(id: string): Command | undefined {
    return this.commands.get(id);
  }

  isEnabled(cmd: Command): boolean {
    return cmd.enabled ? cmd.enabled() : true;
  }

  async run(id: string): Promise<boolean> {
    const cmd = this.commands.get(id);
    if (!cmd || !this.isEnabled(cmd)) return false;
    await cmd.run();
    return true;
  }

  /** The command bound to a chord, if any. */
  forChord(chord: string): Command | undefined {
    return this.all().find((c) => c.keybinding === chord);
  }

  /** Commands whose title contains every word of `query`, in order of title. */
  search(query: string): Command[] {
    const words = query.toLowerCase().split(/\s+/).filter(Boolean);
    return this.all().filter((c) => words.every((w) => c.title.toLowerCase().includes(w) || c.id.toLowerCase().includes(w)));
  }
}
