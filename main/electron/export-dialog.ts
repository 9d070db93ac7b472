import { dialog, type BrowserWindow } from 'electron';
import { join } from 'node:path';
import type { ExportDestination } from '../core/service/export-jobs.ts';

/**
 * Where exports go in the desktop app: a save dialog for one clip, a folder for several (each
 * file named from its label). Undefined when the user cancels.
 */
export async function chooseExportDestinations(win: BrowserWindow | undefined, downloadsDir: string, names: string[]): Promise<ExportDestination[] | undefined> {
  if (names.length === 1) {
    const opts = { title: 'Export clip', defaultPath: join(downloadsDir, names[0]!), filters: [{ name: 'WAV audio', extensions: ['wav'] }] };
    const r = win ? await dialog.showSaveDialog(win, opts) : await dialog.showSaveDialog(opts);
    return r.canceled || !r.filePath ? undefined : [{ path: r.filePath }];
  }
  const opts = { title: `Export ${names.length} clips to a folder`, defaultPath: downloadsDir, properties: ['openDirectory' as const, 'createDirectory' as const] };
  const r = win ? await dialog.showOpenDialog(win, opts) : await dialog.showOpenDialog(opts);
  const dir = r.filePaths[0];
  return r.canceled || !dir ? undefined : names.map((n) => ({ path: join(dir, n) }));
}
