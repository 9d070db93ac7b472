import { BrowserWindow, screen, shell } from 'electron';
import Store from 'electron-store';
import { join } from 'node:path';
import { APP_ORIGIN } from '../../preload/contract.ts';
import { isAllowedNavigation } from './sender-check.ts';
import { isAllowedExternalUrl, isPermissionAllowed } from './security-policy.ts';

interface Bounds {
  x?: number;
  y?: number;
  width: number;
  height: number;
  maximized: boolean;
}

/** The one window: isolated, sandboxed, no Node, navigation and new windows denied, bounds restored. */
export function createMainWindow(preloadDir: string): BrowserWindow {
  const store = new Store<{ bounds: Bounds }>({ name: 'window', defaults: { bounds: { width: 1280, height: 800, maximized: false } } });
  const saved = store.get('bounds');
  // A window saved on a monitor that is gone comes back centred on the primary one.
  const visible = saved.x !== undefined && saved.y !== undefined && screen.getAllDisplays().some((d) => {
    const a = d.workArea;
    return saved.x! >= a.x - 50 && saved.y! >= a.y - 50 && saved.x! < a.x + a.width && saved.y! < a.y + a.height;
  });
  const win = new BrowserWindow({
    width: saved.width,
    height: saved.height,
    ...(visible ? { x: saved.x!, y: saved.y! } : {}),
    minWidth: 800,
    minHeight: 500,
    title: 'Asterisk Tap',
    show: false,
    backgroundColor: '#1e1e1e',
    webPreferences: {
      preload: join(preloadDir, 'index.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webviewTag: false,
      spellcheck: false,
    },
  });
  if (saved.maximized) win.maximize();
  win.once('ready-to-show', () => win.show());
  win.on('close', () => store.set('bounds', { ...win.getNormalBounds(), maximized: win.isMaximized() }));
  win.webContents.on('will-navigate', (ev, url) => {
    if (!isAllowedNavigation(url)) ev.preventDefault();
  });
  win.webContents.setWindowOpenHandler(({ url }) => {
    // Links to allow-listed documentation open in the browser; nothing opens a new app window.
    if (isAllowedExternalUrl(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
  // Both handlers: the request one (a page asks) and the check one (state queries), one rule.
  const session = win.webContents.session;
  session.setPermissionRequestHandler((_wc, permission, callback, details) => callback(isPermissionAllowed(permission, details.requestingUrl)));
  session.setPermissionCheckHandler((_wc, permission, requestingOrigin) => isPermissionAllowed(permission, requestingOrigin));
  void win.loadURL(`${APP_ORIGIN}/index.html`);
  return win;
}
