import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { TestContext } from 'node:test';

/** The built CLI: tests run what users run (npm test builds first). */
export const CLI = new URL('../../out/node/main/cli/asterisk-tap.js', import.meta.url).pathname;

export interface CliRun {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exit: Promise<number | null>;
  /** Resolves when stderr or stdout matches `re`. */
  waitForOutput(re: RegExp, ms?: number): Promise<void>;
}

export function runCli(t: TestContext, args: string[], opts: { stdin?: 'pipe' } = {}): CliRun {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run "npm run build" first (npm test does).`);
  const child = spawn(process.execPath, [CLI, ...args], { stdio: [opts.stdin ?? 'ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  const waiters: (() => void)[] = [];
  child.stdout!.on('data', (d: Buffer) => {
    out += d.toString();
    waiters.forEach((w) => w());
  });
  child.stderr!.on('data', (d: Buffer) => {
    err += d.toString();
    waiters.forEach((w) => w());
  });
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  t.after(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    exit,
    waitForOutput(re, ms = 10_000) {
      return new Promise((resolve, reject) => {
        const check = (): void => {
          if (re.test(out) || re.test(err)) {
            clearTimeout(timer);
            resolve();
          }
        };
        const timer = setTimeout(() => reject(new Error(`no output matching ${re} within ${ms} ms.\nstdout: ${out}\nstderr: ${err}`)), ms);
        waiters.push(check);
        check();
        void exit.then(() => {
          check();
        });
      });
    },
  };
}
