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
  win = createMainWindow(join(outDir, 'preload'));
  connectWindow(win.webContents, service);
}

/**
 * Quitting with stopped taps whose calls are still up: closing them could crash Asterisk
 * (res_ari_stream), so ask: keep running in the background until the calls end, or quit anyway.
 */
app.on('before-quit', (ev) => {
  if (quitting || !service) return;
  ev.preventDefault();
  void (async () => {
    // Hanging up the demo PBX's calls ends its taps cleanly; real servers' taps are detached and drained.
    const left = await service.shutdown(300);
    if (left > 0) {
      const { response } = await dialog.showMessageBox({
        type: 'warning',
        buttons: ['Keep running until the calls end', 'Quit anyway'],
        defaultId: 0,
        cancelId: 0,
        message: `${left} stopped tap${left === 1 ? ' is' : 's are'} still connected to Asterisk.`,
        detail: 'Closing a stream-channel connection while its call is up can crash Asterisk (res_ari_stream). Asterisk Tap can stay in the background and exit when the calls end.',
      });
      if (response === 0) {
        win?.destroy();
        await service.shutdown(24 * 3600 * 1000);
      } else service.forceCloseAll();
    }
    await pbx?.stop();
    service.dispose();
    quitting = true;
    app.quit();
  })();
});

app.on('window-all-closed', () => app.quit());
void app.whenReady().then(start);
