import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The project root: the nearest folder above this module with our package.json (source or built). */
export function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg) && (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'asterisk-tap') return dir;
    const up = dirname(dir);
    if (up === dir) throw new Error('cannot find the asterisk-tap package root');
    dir = up;
  }
}

export function packageVersion(): string {
  return (JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version: string }).version;
}

/**
 * Where endpoints live: the same folder Electron uses as userData for this app
 * (~/.config/asterisk-tap on Linux), so the desktop app and `serve` share one endpoint file.
 */
export function defaultConfigDir(): string {
  if (process.platform === 'win32') return join(process.env['APPDATA'] ?? join(homedir(), 'AppData', 'Roaming'), 'asterisk-tap');
  if (process.platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'asterisk-tap');
  return join(process.env['XDG_CONFIG_HOME'] ?? join(homedir(), '.config'), 'asterisk-tap');
}

export function defaultRecordingsDir(): string {
  return join(homedir(), 'Asterisk Tap recordings');
}
