import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { defaultConfigDir, defaultRecordingsDir, packageRoot, packageVersion } from '../core/app/app-paths.ts';
import { openNodeEndpointStore } from '../core/endpoints/node-endpoint-store.ts';
import { readSettings, writeSettings } from '../core/app/app-settings.ts';
import { TapService } from '../core/service/tap-service.ts';
import { DemoPbx } from '../sim/demo-pbx.ts';
import { installCrashGuard } from '../core/app/crash-guard.ts';
import { WebHost } from '../web/web-host.ts';
import { runQuitFlow } from '../core/app/quit-flow.ts';
import { numberOption, parse, say } from './cli-common.ts';
import { FORCE_WORD, processGuard } from './drain-guard.ts';

export const SERVE_HELP = `asterisk-tap serve [--port 0] [--host 127.0.0.1] [--demo] [--config-dir D] [--recordings-dir D]
  Serves the workbench to a browser. Prints a URL with a per-run access token.
  --demo  also start the built-in demo PBX and offer it as an endpoint`;

export async function serveCommand(argv: string[]): Promise<number> {
  const { values } = parse(argv, {
    port: { type: 'string' },
    host: { type: 'string' },
    demo: { type: 'boolean' },
    'config-dir': { type: 'string' },
    'recordings-dir': { type: 'string' },
    token: { type: 'string' },
  });
  const rendererDir = join(packageRoot(), 'out', 'renderer');
  if (!existsSync(join(rendererDir, 'index.html'))) {
    say(`The workbench is not built (${rendererDir} is missing). Run "npm run build" first.`);
    return 1;
  }
  const host = values.host ?? '127.0.0.1';
  if (!['127.0.0.1', 'localhost', '::1'].includes(host)) {
    say(`Warning: serving on ${host}, not loopback. Anyone who can reach it and has the URL's token can listen to calls through it.`);
  }
  const configDir = resolve(values['config-dir'] ?? defaultConfigDir());
  const { store, warning } = await openNodeEndpointStore(configDir);
  let pbx: DemoPbx | undefined;
  if (values.demo) {
    pbx = new DemoPbx();
    await pbx.start();
  }
  const settings = await readSettings(configDir);
  const service = new TapService({
    store,
    // --recordings-dir for this run; otherwise the folder chosen in the app, or the default.
    recordingsDir: resolve(values['recordings-dir'] ?? settings.recordingsDir ?? defaultRecordingsDir()),
    saveRecordingsDir: (dir) => writeSettings(configDir, { ...settings, recordingsDir: dir }),
    ...(settings.networkThresholds ? { networkThresholds: settings.networkThresholds } : {}),
    host: 'web',
    version: packageVersion(),
    notices: warning ? [warning] : [],
    ...(pbx ? { demo: { wsUrl: pbx.wsUrl, ariUrl: pbx.ariUrl, ariUser: 'demo', ariPassword: 'demo' } } : {}),
  });
  await service.init();
  // While serving, faults are also told to every open browser tab (the Output panel).
  const guard = installCrashGuard({ log: (text) => say(text), onFault: (fault) => service.log('error', fault.message) });
  const web = new WebHost({ service, rendererDir, host, port: numberOption(values.port, '--port', 0, 65535) ?? 0, ...(values.token ? { token: values.token } : {}) });
  await web.start();
  process.stdout.on('error', () => undefined);
  process.stdout.write(`serving on ${web.url}\n`);
  // Bound to every interface: one usable URL per address (the wildcard itself is not one).
  for (const other of web.urls.slice(1)) process.stdout.write(`also on ${other}\n`);
  if (pbx) say(`Demo PBX on ${pbx.url}`);
  say(`Endpoints: ${configDir}. Open the URL above in a browser. Ctrl+C stops.`);
  let forced = false;
  let stopping!: () => void;
  const stopRequested = new Promise<void>((r) => (stopping = r));
  processGuard.set({
    stop: stopping,
    force: () => {
      forced = true;
      service.forceCloseAll();
    },
  });
  await stopRequested;
  await web.stop();
  // The desktop app's quit order (main/core/app/quit-flow.ts): Ctrl+C means "quit when the calls end".
  await runQuitFlow(
    service,
    pbx,
    {
      ask: async () => (forced ? 'force' : 'wait'),
      enterBackground: (left) =>
        say(`${left} tap(s) are still connected: waiting for their calls to end before exiting, because closing first can crash Asterisk (res_ari_stream). To close them anyway: Ctrl+C twice, then type "${FORCE_WORD}".`),
    },
    { settleMs: 300, pollMs: 1000 },
  );
  guard.dispose();
  return 0;
}
