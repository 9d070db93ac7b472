import { spawn } from 'node:child_process';
import { packageRoot } from '../core/app/app-paths.ts';
import { findElectronBinary } from '../core/app/electron-binary.ts';
import { say } from './cli-common.ts';
import { serveCommand } from './cmd-serve.ts';

export const APP_HELP = `asterisk-tap app
  Opens the desktop app (Electron) on the built-in demo PBX. Where no Electron binary is
  installed (it cannot be downloaded on every machine), serves the same workbench to a browser
  with the demo PBX instead and prints its URL.`;

export async function appCommand(argv: string[]): Promise<number> {
  const electron = findElectronBinary();
  if (electron) {
    const child = spawn(electron, [packageRoot(), ...argv], { stdio: 'inherit' });
    return new Promise((resolve) => child.on('exit', (code) => resolve(code ?? 0)));
  }
  say('No Electron binary is installed here, so the workbench is served to your browser instead (same app, same demo PBX).');
  return serveCommand(['--demo', ...argv]);
}
