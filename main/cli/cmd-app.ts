import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { packageRoot } from '../core/app/app-paths.ts';
import { say } from './cli-common.ts';
import { serveCommand } from './cmd-serve.ts';

export const APP_HELP = `asterisk-tap app
  Opens the desktop app (Electron) on the built-in demo PBX. Where no Electron binary is
  installed (it cannot be downloaded on every machine), serves the same workbench to a browser
  with the demo PBX instead and prints its URL.`;

/** The Electron binary's path, or undefined where the electron package has no binary. */
function electronBinary(): string | undefined {
  try {
    const path = createRequire(import.meta.url)('electron') as unknown;
    return typeof path === 'string' && existsSync(path) ? path : undefined;
  } catch {
    return undefined;
  }
}

export async function appCommand(argv: string[]): Promise<number> {
  const electron = electronBinary();
  if (electron) {
    const child = spawn(electron, [packageRoot(), ...argv], { stdio: 'inherit' });
    return new Promise((resolve) => child.on('exit', (code) => resolve(code ?? 0)));
  }
  say('No Electron binary is installed here, so the workbench is served to your browser instead (same app, same demo PBX).');
  return serveCommand(['--demo', ...argv]);
}
