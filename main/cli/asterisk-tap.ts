#!/usr/bin/env node
import { isCodedError } from '../core/common/coded-error.ts';
import { installCrashGuard } from '../core/app/crash-guard.ts';
import { EXIT, UsageError, say } from './cli-common.ts';
import { processGuard } from './drain-guard.ts';

/** Commands that may hold stream-channel sockets: their signals are owned from the start. */
const HOLD_SOCKETS = new Set(['record', 'probe', 'serve']);

interface Command {
  run: (argv: string[]) => Promise<number>;
  help: string;
}

/**
 * Each command's module is loaded only when that command runs (`record` does not load the web
 * host, ajv or the demo PBX): startup time and resident memory per process stay small.
 */
const COMMANDS: Record<string, () => Promise<Command>> = {
  app: () => import('./cmd-app.ts').then((m) => ({ run: m.appCommand, help: m.APP_HELP })),
  demo: () => import('./cmd-demo.ts').then((m) => ({ run: m.demoCommand, help: m.DEMO_HELP })),
  sim: () => import('./cmd-sim.ts').then((m) => ({ run: m.simCommand, help: m.SIM_HELP })),
  record: () => import('./cmd-record.ts').then((m) => ({ run: m.recordCommand, help: m.RECORD_HELP })),
  probe: () => import('./cmd-probe.ts').then((m) => ({ run: m.probeCommand, help: m.PROBE_HELP })),
  channels: () => import('./cmd-channels.ts').then((m) => ({ run: m.channelsCommand, help: m.CHANNELS_HELP })),
  serve: () => import('./cmd-serve.ts').then((m) => ({ run: m.serveCommand, help: m.SERVE_HELP })),
  analyze: () => import('./cmd-analyze.ts').then((m) => ({ run: m.analyzeCommand, help: m.ANALYZE_HELP })),
};

async function usage(): Promise<string> {
  const helps = await Promise.all(Object.values(COMMANDS).map(async (load) => (await load()).help));
  return USAGE.replace('{{COMMANDS}}', helps.join('\n\n'));
}

const USAGE = `Asterisk Tap: listen to, record and check live Asterisk channel audio.

Usage: asterisk-tap <command> [options]   (asterisk-tap <command> --help for details)

{{COMMANDS}}

Exit codes: 0 ok, 1 other error (e.g. the disk), 2 usage, 3 connection failed, 4 no audio / channel not found, 5 unreadable or unsupported WAV (analyze).`;

async function main(argv: string[]): Promise<number> {
  // Never Node's default (exit): an exiting process would close its taps' sockets first.
  installCrashGuard({ log: (text) => say(text) });
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(`${await usage()}\n`);
    return name === undefined ? EXIT.usage : EXIT.ok;
  }
  const load = COMMANDS[name];
  if (!load) throw new UsageError(`Unknown command "${name}". Commands: ${Object.keys(COMMANDS).join(', ')}.`);
  // Signals are owned before the command's modules load: a Ctrl+C meanwhile is remembered, not fatal.
  if (HOLD_SOCKETS.has(name)) processGuard.install();
  const command = await load();
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(`${command.help}\n`);
    return EXIT.ok;
  }
  return command.run(rest);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
    processGuard.dispose();
  },
  (err: unknown) => {
    if (err instanceof UsageError) {
      say(`asterisk-tap: ${err.message}\nRun "asterisk-tap --help" for usage.`);
      process.exitCode = EXIT.usage;
    } else if (isCodedError(err)) {
      say(`asterisk-tap: ${err.message}`);
      process.exitCode = err.code.startsWith('ari-') && err.code !== 'ari-bad-response' ? EXIT.connection : EXIT.error;
    } else {
      say(`asterisk-tap: unexpected error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
      process.exitCode = EXIT.error;
    }
    processGuard.dispose();
  },
);
