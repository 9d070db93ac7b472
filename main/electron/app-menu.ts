import { Menu, type BrowserWindow, type MenuItemConstructorOptions } from 'electron';
import type { CommandInfo } from '../../preload/contract.ts';

/** Electron accelerators from our keybindings ("Ctrl" → CmdOrCtrl). Single keys stay renderer-only. */
function accelerator(kb: string | null): string | undefined {
  if (!kb || !kb.includes('+')) return undefined;
  return kb.replace(/^Ctrl\+/, 'CmdOrCtrl+');
}

/** The application menu: the renderer's command list, grouped by its "Group: title" prefix. */
export function buildMenu(win: BrowserWindow, commands: CommandInfo[]): void {
  const groups = new Map<string, MenuItemConstructorOptions[]>();
  for (const c of commands) {
    const [group, title] = c.title.includes(': ') ? (c.title.split(/: (.*)/s) as [string, string]) : ['Go', c.title];
    const items = groups.get(group) ?? [];
    const acc = accelerator(c.keybinding);
    items.push({ label: title, ...(acc ? { accelerator: acc } : {}), click: () => win.webContents.send('command:run', { id: c.id }) });
    groups.set(group, items);
  }
  const template: MenuItemConstructorOptions[] = [
    ...(process.platform === 'darwin' ? [{ role: 'appMenu' as const }] : []),
    { label: 'File', submenu: [{ role: 'quit' }] },
    { role: 'editMenu' },
    ...[...groups].map(([label, submenu]) => ({ label, submenu })),
    { role: 'windowMenu' },
  ];
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));
}
