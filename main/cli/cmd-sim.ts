import { readFile } from 'node:fs/promises';
import { DemoPbx, type DemoPbxOptions } from '../sim/demo-pbx.ts';
import { parseFault } from '../sim/sim-faults.ts';
import { numberOption, onInterrupt, parse, say, UsageError } from './cli-common.ts';

export const SIM_HELP = `asterisk-tap sim [--port 0] [--host 127.0.0.1] [--ari-user demo] [--ari-password demo]
                 [--call-seconds 0] [--respawn-ms 1000] [--speed 1] [--fault KIND[:N][@channel]]... [--tls-key F --tls-cert F]
                 [--system-name NAME]
  Runs the built-in demo PBX: Asterisk's /ws (res_ari_stream) and ARI's read endpoints.
  A hung-up call is replaced by a new one (new uniqueids) after --respawn-ms (-1: never).
  The first line printed is "listening on http://127.0.0.1:PORT".
  sim --stats URL prints a running demo PBX's counters as JSON (GET URL/sim/stats):
  clientFirstCloses (a client closed a stream-channel socket while its call was up),
  errorLog (ERROR lines a real Asterisk would log, e.g. unknown Channel-IDs), ...
  Faults (for tests): stall, drop, text, oversize (N = after ms), odd-frames, flood (N = frames),
  stall-handshake, no-module. --system-name: uniqueids become NAME-<epoch>.<n>, as with
  asterisk.conf's systemname.`;

export async function simCommand(argv: string[]): Promise<number> {
  const { values } = parse(argv, {
    port: { type: 'string' },
    host: { type: 'string' },
    'ari-user': { type: 'string' },
    'ari-password': { type: 'string' },
    'call-seconds': { type: 'string' },
    'respawn-ms': { type: 'string' },
    speed: { type: 'string' },
    fault: { type: 'string', multiple: true },
    'tls-key': { type: 'string' },
    'tls-cert': { type: 'string' },
    'system-name': { type: 'string' },
    stats: { type: 'string' },
  });
  if (values.stats !== undefined) return printStats(values.stats);
  const options: DemoPbxOptions = {
    port: numberOption(values.port, '--port', 0, 65535) ?? 0,
    host: values.host ?? '127.0.0.1',
    ariUser: values['ari-user'] ?? 'demo',
    ariPassword: values['ari-password'] ?? 'demo',
    callSeconds: numberOption(values['call-seconds'], '--call-seconds', 0, 86_400) ?? 0,
    respawnMs: numberOption(values['respawn-ms'], '--respawn-ms', -1, 3_600_000) ?? 1000,
    speed: numberOption(values.speed, '--speed', 0.1, 1000) ?? 1,
    faults: (values.fault ?? []).map((f) => {
      try {
        return parseFault(f);
      } catch (err) {
        throw new UsageError((err as Error).message);
      }
    }),
  };
  if (values['system-name']) options.systemName = values['system-name'];
  if (values['tls-key'] || values['tls-cert']) {
    if (!values['tls-key'] || !values['tls-cert']) throw new UsageError('--tls-key and --tls-cert go together.');
    options.tls = { key: await readFile(values['tls-key']), cert: await readFile(values['tls-cert']) };
  }
  if (options.host !== '127.0.0.1' && options.host !== 'localhost' && options.host !== '::1') {
    say(`Warning: listening on ${options.host}, not loopback: anyone who can reach it can use the demo PBX.`);
  }
  const pbx = new DemoPbx(options);
  const url = await pbx.start();
  process.stdout.write(`listening on ${url}\n`);
  say(`stream-channel: ${pbx.wsUrl}   ARI: ${pbx.ariUrl} (user ${options.ariUser})`);
  for (const ch of pbx.listChannels()) say(`  ${ch.json.name.padEnd(36)} ${ch.json.id}`);
  say('Ctrl+C stops (every call is hung up first, so taps end cleanly).');
  await new Promise<void>((resolve) => onInterrupt(resolve, resolve));
  await pbx.stop();
  return 0;
}

/** `sim --stats URL`: a running demo PBX's counters, as JSON on stdout. */
async function printStats(base: string): Promise<number> {
  let url: URL;
  try {
    url = new URL('/sim/stats', base);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('not http');
  } catch {
    throw new UsageError(`--stats takes the demo PBX's URL, e.g. http://127.0.0.1:8088 (got "${base}").`);
  }
  const res = await fetch(url).catch((err: unknown) => {
    say(`Could not reach the demo PBX at ${url.origin}: ${err instanceof Error ? (err.cause instanceof Error ? err.cause.message : err.message) : String(err)}`);
    return undefined;
  });
  if (!res) return 3;
  if (!res.ok) {
    say(`${url.origin} answered ${res.status} to /sim/stats: is it the demo PBX?`);
    return 3;
  }
  process.stdout.write(`${JSON.stringify(await res.json(), null, 2)}\n`);
  return 0;
}
