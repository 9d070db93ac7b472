/**
 * Ingest benchmark (not a test): N concurrent real-time taps from the demo PBX into the core with
 * recording on, beside a minimal ws → file client measured in the same run, and the core with the
 * call-health detectors on every tap (kind "detectors").
 *   npm run bench:ingest [-- --seconds 10 --n 1,50,200] [--rounds 8]
 * The PBX, the core client and the minimal client each run in their own process.
 * With --rounds R, the detectors' added cost is measured only (no table): for each N, R rounds
 * of core and core + detectors run back to back (order alternating, ABBA…, so a load drift
 * weighs on both alike), and the median ratio of each round's pair is printed with its spread.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { seconds: { type: 'string', default: '10' }, n: { type: 'string', default: '1,50,200' }, rounds: { type: 'string', default: '0' } } });
const seconds = Number(values.seconds);
const counts = values.n.split(',').map(Number);
const rounds = Number(values.rounds);
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
  // Taken now: the client can exit while the hang-ups below are still being answered.
  const exited = new Promise((r) => child.on('exit', r));
  const line = await new Promise<string>((resolve) => child.stdout.on('data', (d: Buffer) => resolve(d.toString())));
  // Hang the calls up so the PBX closes every stream: the taps never close first.
  for (const c of await liveChannels()) await fetch(`${simUrl}/ari/channels/${c.id}`, { method: 'DELETE', headers: auth });
  await exited;
  await rm(dir, { recursive: true, force: true });
  return JSON.parse(line) as Result;
}

const pct = (r: Result): number => (r.cpuMs / r.wallMs / r.n) * 100;
console.log(`ingest benchmark: ${seconds} s per run, ${cpus().length} × ${cpus()[0]?.model ?? '?'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, node ${process.version}`);
const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const signed = (ratio: number): string => `${ratio >= 1 ? '+' : ''}${((ratio - 1) * 100).toFixed(0)} %`;
if (rounds > 0) {
  console.log('taps | round | order | core % per tap | core + detectors % per tap | added | drops core/detectors');
  for (const n of counts) {
    const ratios: number[] = [];
    for (let r = 0; r < rounds; r++) {
      const order = r % 2 === 0 ? ['core', 'detectors'] : ['detectors', 'core'];
      const got: Record<string, Result> = {};
      for (const kind of order) got[kind] = await runClient(kind, n);
      const ratio = pct(got.detectors!) / pct(got.core!);
      ratios.push(ratio);
      console.log(`${String(n).padStart(4)} | ${String(r + 1).padStart(5)} | ${order[0] === 'core' ? 'A B  ' : 'B A  '} | ${pct(got.core!).toFixed(3).padStart(14)} | ${pct(got.detectors!).toFixed(3).padStart(26)} | ${signed(ratio).padStart(5)} | ${got.core!.drops}/${got.detectors!.drops}`);
    }
    const sorted = [...ratios].sort((a, b) => a - b);
    const q = (f: number): number => sorted[Math.min(sorted.length - 1, Math.max(0, Math.round(f * (sorted.length - 1))))]!;
    console.log(`${String(n).padStart(4)} taps: detectors add ${signed(median(ratios))} (median of ${rounds} rounds; min ${signed(sorted[0]!)}, quartiles ${signed(q(0.25))} .. ${signed(q(0.75))}, max ${signed(sorted[sorted.length - 1]!)})`);
  }
} else {
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
}
sim.kill('SIGINT');
