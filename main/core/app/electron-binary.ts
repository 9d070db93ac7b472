import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/**
 * The installed Electron executable, or undefined. Looks without side effects: requiring the
 * `electron` package would start a download of the binary when it is missing (Electron 45 fetches
 * it lazily), which hangs or fails on machines that cannot reach the download host.
 */
export function findElectronBinary(): string | undefined {
  let pkgDir: string;
  try {
    pkgDir = dirname(createRequire(import.meta.url).resolve('electron/package.json'));
  } catch {
    return undefined;
  }
  const pathFile = join(pkgDir, 'path.txt');
  const name = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : undefined;
  if (!name) return undefined;
  const override = process.env['ELECTRON_OVERRIDE_DIST_PATH'];
  const binary = override ? join(override, name) : join(pkgDir, 'dist', name);
  return existsSync(binary) ? binary : undefined;
}
