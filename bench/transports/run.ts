/**
 * Transport comparison (not a test): stream-channel (res_ari_stream) vs ari-media (ARI snoop +
 * chan_websocket) on the demo PBX, which runs in its own process.
 *   npm run bench:transports [-- --opens 20 --streams 50 --seconds 10]
 * Setup: time from connect() to the first audio frame, over sequential opens of the milliwatt
 * channel by name. CPU: N concurrent taps for S seconds, this process (the client) and the demo
 * PBX (from /proc), per stream.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { AriMediaClient } from '../../main/core/tap/ari-media-client.ts';
import { StreamChannelClient } from '../../main/core/tap/stream-channel-client.ts';
import type { TapTransport, TransportKind } from '../../main/core/tap/tap-transport.ts';

const { values } = parseArgs({ options: { opens: { type: 'string', default: '20' }, streams: { type: 'string', default: '50' }, seconds: { type: 'string', default: '10' } } });
const opens = Number(values.opens);
const streams = Number(values.streams);
const seconds = Number(values.seconds);
const root = new URL('../../', import.meta.url).pathname;

const sim = spawn(process.execPath, [join(root, 'out/node/main/cli/asterisk-tap.js'), 'sim', '--port', '0', '--respawn-ms', '200'], { stdio: ['ignore', 'pipe', 'ignore'] });
const base = await new Promise<string>((resolve) => sim.stdout.on('data', (d: Buffer) => /listening on (\S+)/.test(String(d)) && resolve(/listening on (\S+)/.exec(String(d))![1]!)));
const auth = { Authorization: `Basic ${Buffer.from('demo:demo').toString('base64')}` };
const channels = async (): Promise<{ id: string; name: string }[]> => (await (await fetch(`${base}/ari/channels`, { headers: auth })).json()) as { id: string; name: string }[];
const milliwatt = async (): Promise<string> => (await channels()).find((c) => c.name.startsWith('Local/milliwatt@') && c.name.endsWith(';1'))!.name;
const hangupAll = async (): Promise<void> => {
  for (const c of await channels()) if (!c.id.startsWith('asterisk-tap-')) await fetch(`${base}/ari/channels/${c.id}`, { method: 'DELETE', headers: auth });
  await new Promise((r) => setTimeout(r, 500));
};
const simCpuMs = (): number => {
  const f = readFileSync(`/proc/${sim.pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return ((Number(f[11]) + Number(f[12])) * 1000) / 100;
};

function make(kind: TransportKind, channel: string): TapTransport {
  return kind === 'stream-channel'
    ? new StreamChannelClient({ url: `${base.replace('http', 'ws')}/ws`, channel })
    : new AriMediaClient({ ariUrl: `${base}/ari`, user: 'demo', password: 'demo', channel, direction: 'in' });
}

async function setupTimes(kind: TransportKind): Promise<number[]> {
  const times: number[] = [];
  const open: TapTransport[] = [];
  for (let i = 0; i < opens; i++) {
    const tap = make(kind, await milliwatt());
    const t0 = performance.now();
    const first = new Promise<void>((r) => tap.events.on('pcm', () => r()));
    tap.connect();
    await first;
    times.push(performance.now() - t0);
    tap.stop(); // stream-channel: drains until hangup; ari-media: torn down
    open.push(tap);
  }
  await hangupAll();
  await Promise.all(open.map((t) => t.socketClosed));
  return times;
}

async function cpuPerStream(kind: TransportKind): Promise<{ client: number; pbx: number; frames: number }> {
  const name = await milliwatt();
  const taps = Array.from({ length: streams }, () => make(kind, name).connect());
  while (!taps.every((t) => t.state === 'streaming')) await new Promise((r) => setTimeout(r, 20));
  const c0 = process.cpuUsage();
  const s0 = simCpuMs();
  const f0 = taps.reduce((n, t) => n + t.stats.frames, 0);
  await new Promise((r) => setTimeout(r, seconds * 1000));
  const c = process.cpuUsage(c0);
  const pbx = simCpuMs() - s0;
  const frames = taps.reduce((n, t) => n + t.stats.frames, 0) - f0;
  taps.forEach((t) => t.stop());
  await hangupAll();
  await Promise.all(taps.map((t) => t.socketClosed));
  const per = (ms: number): number => (ms / (seconds * 1000) / streams) * 100;
  return { client: per((c.user + c.system) / 1000), pbx: per(pbx), frames };
}

const pct = (xs: number[], q: number): number => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * (xs.length - 1)))]!;
console.log(`transports on the demo PBX: ${cpus().length} × ${cpus()[0]?.model ?? '?'}, node ${process.version}; ${opens} opens, ${streams} streams for ${seconds} s`);
console.log('transport      | setup to first frame p50 / p90 / max ms | client CPU % of a core per stream | demo PBX CPU % per stream | frames got / expected');
for (const kind of ['stream-channel', 'ari-media'] as const) {
  const t = await setupTimes(kind);
  const cpu = await cpuPerStream(kind);
  console.log(`${kind.padEnd(14)} | ${`${pct(t, 0.5).toFixed(1)} / ${pct(t, 0.9).toFixed(1)} / ${Math.max(...t).toFixed(1)}`.padStart(39)} | ${cpu.client.toFixed(3).padStart(33)} | ${cpu.pbx.toFixed(3).padStart(25)} | ${cpu.frames} / ${streams * seconds * 50}`);
}
sim.kill('SIGINT');
