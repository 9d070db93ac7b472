/**
 * CLI per-process benchmark (not a test): recording N streams headless, three ways, each measured
 * in the same run against the same demo PBX scenario:
 *   python    N processes of a minimal Python stream-channel client (python3-websocket), the
 *             seed's way (the baseline)
 *   per-proc  N `asterisk-tap record` processes, one stream each
 *   multi     one `asterisk-tap record` process with N --channel flags
 * CPU is user+system of every client process (GNU time), RSS each process's peak; stream-seconds
 * are the audio the WAVs hold. The PBX runs in its own process and hangs the calls up at the end,
 * so every client ends by the server's close (checked: zero client-first closes).
 *   npm run bench:cli [-- --streams 10 --seconds 20]
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { readWav } from '../../main/core/audio/wav-reader.ts';

const { values } = parseArgs({ options: { streams: { type: 'string', default: '10' }, seconds: { type: 'string', default: '20' } } });
const streams = Number(values.streams);
const seconds = Number(values.seconds);
const root = new URL('../../', import.meta.url).pathname;
const cli = join(root, 'out/node/main/cli/asterisk-tap.js');
const PYTHON = '/usr/bin/python3';
const TIME = '/usr/bin/time';

interface Measured {
  cpuMs: number;
  rssMb: number;
}

/** Runs a command under GNU time; resolves with its CPU (user+sys) and peak RSS. */
function timed(cmd: string, args: string[]): Promise<Measured> {
  const child = spawn(TIME, ['-f', 'BENCH %U %S %M', cmd, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  return new Promise((resolve, reject) =>
    child.on('exit', () => {
      const m = /BENCH ([\d.]+) ([\d.]+) (\d+)/.exec(err);
      if (!m) return reject(new Error(`no measurement from ${cmd}: ${err.slice(-400)}`));
      resolve({ cpuMs: (Number(m[1]) + Number(m[2])) * 1000, rssMb: Number(m[3]) / 1024 });
    }),
  );
}

/** A demo PBX in its own process whose calls all hang up `seconds` after it starts. */
async function startSim(): Promise<{ url: string; channels: string[]; stop: () => void }> {
  const sim = spawn(process.execPath, [cli, 'sim', '--port', '0', '--call-seconds', String(seconds), '--respawn-ms=-1'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  sim.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    sim.stdout.on('data', (d: Buffer) => {
      const m = /listening on (\S+)/.exec(d.toString());
      if (m) resolve(m[1]!);
    });
    sim.on('exit', () => reject(new Error(`the demo PBX exited: ${err}`)));
  });
  await new Promise((r) => setTimeout(r, 100));
  // The four channels that send 50 frames/s all call long (as bench/ingest uses).
  const names = [...err.matchAll(/^\s+(\S+)\s+\S+$/gm)].map((m) => m[1]!).filter((n) => /^(PJSIP\/(alice|bob|dave)-|Local\/milliwatt@.*;1$)/.test(n));
  return { url, channels: Array.from({ length: streams }, (_, i) => names[i % names.length]!), stop: () => sim.kill('SIGINT') };
}

interface Row {
  kind: string;
  processes: number;
  cpuMs: number;
  streamSeconds: number;
  rssMbPerProcess: number;
  rssMbPerStream: number;
  clientFirstCloses: number;
}

async function run(kind: 'python' | 'per-proc' | 'multi'): Promise<Row> {
  const sim = await startSim();
  const ws = `${sim.url.replace('http', 'ws')}/ws`;
  const dir = await mkdtemp(join(tmpdir(), `asterisk-tap-bench-cli-${kind}-`));
  let runs: Promise<Measured>[];
  if (kind === 'python') runs = sim.channels.map((c, i) => timed(PYTHON, [join(root, 'bench/cli/stream_channel_client.py'), ws, c, join(dir, `${i}.wav`)]));
  else if (kind === 'per-proc') runs = sim.channels.map((c, i) => timed(process.execPath, [cli, 'record', '--url', ws, '--channel', c, '--out', join(dir, `${i}.wav`)]));
  else runs = [timed(process.execPath, [cli, 'record', '--url', ws, ...sim.channels.flatMap((c) => ['--channel', c]), '--out-dir', dir])];
  const measured = await Promise.all(runs);
  const stats = (await (await fetch(`${sim.url}/sim/stats`)).json()) as { clientFirstCloses: number };
  sim.stop();
  let streamSeconds = 0;
  for (const f of await readdir(dir)) streamSeconds += (await readWav(join(dir, f))).durationMs / 1000;
  await rm(dir, { recursive: true, force: true });
  const cpuMs = measured.reduce((n, m) => n + m.cpuMs, 0);
  const rss = measured.reduce((n, m) => n + m.rssMb, 0);
  return { kind, processes: measured.length, cpuMs, streamSeconds, rssMbPerProcess: rss / measured.length, rssMbPerStream: rss / streams, clientFirstCloses: stats.clientFirstCloses };
}

if (!existsSync(cli)) throw new Error('Build first: npm run build.');
if (!existsSync(PYTHON) || !existsSync(TIME)) throw new Error(`Needs ${PYTHON} (with python3-websocket) and GNU time at ${TIME}.`);
console.log(`CLI benchmark: ${streams} streams, calls of ${seconds} s, ${cpus().length} × ${cpus()[0]?.model ?? '?'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, node ${process.version}`);
const rows: Row[] = [];
for (const kind of ['python', 'per-proc', 'multi'] as const) rows.push(await run(kind));
const base = rows[0]!;
const perStreamSecond = (r: Row): number => r.cpuMs / r.streamSeconds;
console.log('| client | processes | stream-s | CPU ms per stream-s | × Python | RSS MB per process | RSS MB per stream | × Python | client-first closes |');
console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|');
for (const r of rows) {
  console.log(
    `| ${r.kind} | ${r.processes} | ${r.streamSeconds.toFixed(1)} | ${perStreamSecond(r).toFixed(2)} | ${(perStreamSecond(r) / perStreamSecond(base)).toFixed(2)}× | ${r.rssMbPerProcess.toFixed(0)} | ${r.rssMbPerStream.toFixed(1)} | ${(r.rssMbPerStream / base.rssMbPerStream).toFixed(2)}× | ${r.clientFirstCloses} |`,
  );
}
