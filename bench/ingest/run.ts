/**
 * Ingest benchmark (not a test): N concurrent real-time taps from the demo PBX into the core with
 * recording on, beside a minimal ws → file client measured in the same run, and the core with the
 * call-health detectors on every tap (kind "detectors").
 *   npm run bench:ingest [-- --seconds 10 --n 1,50,200]
 * The PBX, the core client and the minimal client each run in their own process.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { seconds: { type: 'string', default: '10' }, n: { type: 'string', default: '1,50,200' } } });
const seconds = Number(values.seconds);
const counts = values.n.split(',').map(Number);
const root = new URL('../../', import.meta.url).pathname;
const cli = join(root, 'out/node/main/cli/asterisk-tap.js');

const sim = spawn(process.execPath, [cli, 'sim', '--port', '0', '--respawn-ms', '300'], { stdio: ['ignore', 'pipe', 'ignore'] });
const simUrl = await new Promise<string>((resolve, reject) => {
  sim.stdout.on('data', (d: Buffer) => {
    const m = /listening on (\S+)/.exec(d.toString());
    if (m) resolve(m[1]!);
  });
  sim.on('exit', () => reject(new Error('the demo PBX exited')));
});
const auth = { Authorization: `Basic ${Buffer.from('demo:demo').toString('base64')}` };
const wsUrl = `${simUrl.replace('http', 'ws')}/ws`;

async function liveChannels(): Promise<{ id: string; name: string }[]> {
  return (await (await fetch(`${simUrl}/ari/channels`, { headers: auth })).json()) as { id: string; name: string }[];
}

interface Result {
  kind: string;
  n: number;
  wallMs: number;
  cpuMs: number;
  rssMb: number;
  frames: number;
  expectedFrames: number;
  drops: number;
}

async function runClient(kind: string, n: number): Promise<Result> {
  await new Promise((r) => setTimeout(r, 600)); // let hung-up calls come back
  const names = (await liveChannels()).map((c) => c.name).filter((name) => /^(PJSIP\/(alice|bob|dave)-|Local\/milliwatt@.*;1$)/.test(name));
  const dir = await mkdtemp(join(tmpdir(), 'asterisk-tap-bench-'));
  const child = spawn(process.execPath, [join(root, 'bench/ingest/client.ts'), kind, wsUrl, names.join(','), String(n), String(seconds), dir], { stdio: ['ignore', 'pipe', 'inherit'] });
  const line = await new Promise<string>((resolve) => child.stdout.on('data', (d: Buffer) => resolve(d.toString())));
  // Hang the calls up so the PBX closes every stream: the taps never close first.
  for (const c of await liveChannels()) await fetch(`${simUrl}/ari/channels/${c.id}`, { method: 'DELETE', headers: auth });
  await new Promise((r) => child.on('exit', r));
  await rm(dir, { recursive: true, force: true });
  return JSON.parse(line) as Result;
}

const pct = (r: Result): number => (r.cpuMs / r.wallMs / r.n) * 100;
console.log(`ingest benchmark: ${seconds} s per run, ${cpus().length} × ${cpus()[0]?.model ?? '?'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, node ${process.version}`);
console.log('taps | client  | CPU % of a core per tap | CPU total % | RSS MB | frames got/expected | drops | core/minimal CPU');
for (const n of counts) {
  const minimal = await runClient('minimal', n);
  const core = await runClient('core', n);
  const detectors = await runClient('detectors', n);
  for (const r of [minimal, core, detectors]) {
    const ratio = r === minimal ? '(floor)' : (pct(r) / pct(minimal)).toFixed(2) + '×' + (r === detectors ? ` (core + detectors / core: ${(pct(detectors) / pct(core)).toFixed(2)}×)` : '');
    console.log(
      `${String(n).padStart(4)} | ${r.kind.padEnd(9)} | ${pct(r).toFixed(3).padStart(23)} | ${((r.cpuMs / r.wallMs) * 100).toFixed(1).padStart(11)} | ${r.rssMb.toFixed(0).padStart(6)} | ${`${r.frames}/${r.expectedFrames}`.padStart(19)} | ${String(r.drops).padStart(5)} | ${ratio}`,
    );
  }
}
sim.kill('SIGINT');
