#!/usr/bin/env node
import { isCodedError } from '../core/common/coded-error.ts';
import { installCrashGuard } from '../core/app/crash-guard.ts';
import { EXIT, UsageError, say } from './cli-common.ts';
import { CHANNELS_HELP, channelsCommand } from './cmd-channels.ts';
import { DEMO_HELP, demoCommand } from './cmd-demo.ts';
import { PROBE_HELP, probeCommand } from './cmd-probe.ts';
import { RECORD_HELP, recordCommand } from './cmd-record.ts';
import { SIM_HELP, simCommand } from './cmd-sim.ts';
import { SERVE_HELP, serveCommand } from './cmd-serve.ts';
import { APP_HELP, appCommand } from './cmd-app.ts';
import { ANALYZE_HELP, analyzeCommand } from './cmd-analyze.ts';
import { processGuard } from './drain-guard.ts';

/** Commands that may hold stream-channel sockets: their signals are owned from the start. */
const HOLD_SOCKETS = new Set(['record', 'probe', 'serve']);

const COMMANDS: Record<string, { run: (argv: string[]) => Promise<number>; help: string }> = {
  app: { run: appCommand, help: APP_HELP },
  demo: { run: demoCommand, help: DEMO_HELP },
  sim: { run: simCommand, help: SIM_HELP },
  record: { run: recordCommand, help: RECORD_HELP },
  probe: { run: probeCommand, help: PROBE_HELP },
  channels: { run: channelsCommand, help: CHANNELS_HELP },
  serve: { run: serveCommand, help: SERVE_HELP },
  analyze: { run: analyzeCommand, help: ANALYZE_HELP },
};

const USAGE = `Asterisk Tap: listen to, record and check live Asterisk channel audio.

Usage: asterisk-tap <command> [options]   (asterisk-tap <command> --help for details)

${Object.values(COMMANDS).map((c) => c.help).join('\n\n')}

Exit codes: 0 ok, 1 other error (e.g. the disk), 2 usage, 3 connection failed, 4 no audio / channel not found, 5 unreadable or unsupported WAV (analyze).`;

async function main(argv: string[]): Promise<number> {
  // Never Node's default (exit): an exiting process would close its taps' sockets first.
  installCrashGuard({ log: (text) => say(text) });
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return name === undefined ? EXIT.usage : EXIT.ok;
  }
  const command = COMMANDS[name];
  if (!command) throw new UsageError(`Unknown command "${name}". Commands: ${Object.keys(COMMANDS).join(', ')}.`);
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(`${command.help}\n`);
    return EXIT.ok;
  }
  if (HOLD_SOCKETS.has(name)) processGuard.install();
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
