import { app, dialog, shell, type BrowserWindow } from 'electron';
import { join } from 'node:path';
import { openElectronEndpointStore } from './electron-stores.ts';
import { registerAppScheme, serveRenderer } from './app-protocol.ts';
import { buildMenu } from './app-menu.ts';
import { chooseExportDestinations } from './export-dialog.ts';
import { connectWindow, registerIpc } from './ipc-main.ts';
import { createMainWindow } from './main-window.ts';
import { DemoPbx } from '../sim/demo-pbx.ts';
import { TapService } from '../core/service/tap-service.ts';
import { defaultRecordingsDir } from '../core/app/app-paths.ts';
import { readSettings, writeSettings } from '../core/app/app-settings.ts';
import { installCrashGuard } from '../core/app/crash-guard.ts';
import { quitQuestion, runQuitFlow } from '../core/app/quit-flow.ts';

// Electron main: the thin shell around the core. Everything it calls also runs under plain Node.
// An unexpected error is logged and shown in the Output panel; the app never exits of it (its taps' sockets stay open).
installCrashGuard({ log: (text) => console.error(text), onFault: (fault) => service?.log('error', fault.message) });
registerAppScheme();
if (!app.requestSingleInstanceLock()) app.quit();

let win: BrowserWindow | undefined;
let service: TapService | undefined;
let pbx: DemoPbx | undefined;
let quitting = false;

app.on('second-instance', () => {
  if (win?.isMinimized()) win.restore();
  win?.focus();
});

async function start(): Promise<void> {
  const outDir = join(app.getAppPath(), 'out');
  const { store, warning } = openElectronEndpointStore(app.getPath('userData'));
  const settings = await readSettings(app.getPath('userData'));
  // The demo PBX runs in-process so the app shows live audio on first run with no setup.
  pbx = new DemoPbx();
  await pbx.start();
  service = new TapService({
    store,
    // ASTERISK_TAP_RECORDINGS_DIR: for one run (tests), like serve's --recordings-dir.
    recordingsDir: process.env['ASTERISK_TAP_RECORDINGS_DIR'] ?? settings.recordingsDir ?? defaultRecordingsDir(),
    saveRecordingsDir: (dir) => writeSettings(app.getPath('userData'), { ...settings, recordingsDir: dir }),
    ...(settings.networkThresholds ? { networkThresholds: settings.networkThresholds } : {}),
    chooseFolder: async (current) => {
      const opts = { title: 'Folder for recordings', defaultPath: current, properties: ['openDirectory' as const, 'createDirectory' as const] };
      const r = win ? await dialog.showOpenDialog(win, opts) : await dialog.showOpenDialog(opts);
      return r.canceled ? undefined : r.filePaths[0];
    },
    host: 'electron',
    version: app.getVersion(),
    notices: warning ? [warning] : [],
    demo: { wsUrl: pbx.wsUrl, ariUrl: pbx.ariUrl, ariUser: 'demo', ariPassword: 'demo' },
    onCommands: (commands) => win && buildMenu(win, commands),
    trash: (path) => shell.trashItem(path),
    reveal: async (path) => shell.showItemInFolder(path),
    chooseExportDestinations: (_jobId, names) => chooseExportDestinations(win, app.getPath('downloads'), names),
  });
  await service.init();
  serveRenderer(join(outDir, 'renderer'), service);
  registerIpc(service);
  openWindow();
}

function openWindow(): void {
  if (!service || (win && !win.isDestroyed())) return;
  win = createMainWindow(join(app.getAppPath(), 'out', 'preload'));
  connectWindow(win.webContents, service);
}

/** Quitting never closes a stream-channel socket first unless the user chooses to (main/core/app/quit-flow.ts). */
let quitRunning = false;
app.on('before-quit', (ev) => {
  if (quitting || !service) return;
  ev.preventDefault();
  if (quitRunning) return;
  quitRunning = true;
  void runQuitFlow(service, pbx, {
    ask: async (count) => {
      const q = quitQuestion(count);
      const opts = { type: 'warning' as const, buttons: q.buttons.map((b) => b.label), defaultId: 0, cancelId: 0, message: q.message, detail: q.detail };
      const { response } = win ? await dialog.showMessageBox(win, opts) : await dialog.showMessageBox(opts);
      return q.buttons[response]?.choice ?? 'stay';
    },
    enterBackground: () => {
      // A new instance may start while this one waits for the calls to end.
      win?.destroy();
      app.releaseSingleInstanceLock();
    },
  }).then((result) => {
    quitRunning = false;
    // Stay: the window comes back if closing it was what asked to quit.
    if (!result.quit) return openWindow();
    quitting = true;
    app.quit();
  });
});

app.on('window-all-closed', () => app.quit());
void app.whenReady().then(start);
