/**
 * Diagnostics benchmark (not a test): precision and recall of each detector on a labelled corpus
 * (speech-like audio the project generates, plus real speech from asterisk-core-sounds-en-wav when
 * installed), echo delay and loss errors, DTMF digit accuracy, and the analyzer's speed.
 *   node bench/diagnostics/run.ts [--cases 20] [--hour]
 * `--hour` also times `asterisk-tap analyze` (the built CLI) on a one-hour stereo WAV.
 * The detectors' CPU cost at 200 live taps is measured by bench/ingest (kind "detectors").
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, open, rm } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { Finding } from '../../preload/contract.ts';
import { buildWavHeader } from '../../main/core/audio/wav-format.ts';
import { CallAnalyzer } from '../../main/core/diagnostics/call-analyzer.ts';
import { type Case, type Label, type SpeechPool, SR, asteriskSpeechPool, generatedSpeech } from './corpus.ts';
import { clippingCase, dropoutCase, dtmfCase, echoCase, oneWayCase, silenceCase, toneCase } from './cases.ts';

const { values } = parseArgs({ options: { cases: { type: 'string', default: '20' }, hour: { type: 'boolean', default: false } } });
const perBuilder = Number(values.cases);
const KINDS = ['silence', 'one-way', 'clipping', 'dropout', 'echo', 'dtmf', 'tone'] as const;
const BUILDERS = [silenceCase, oneWayCase, clippingCase, dropoutCase, echoCase, dtmfCase, toneCase];

const pools: { source: Case['source']; pool: SpeechPool }[] = [{ source: 'generated', pool: generatedSpeech }];
const real = await asteriskSpeechPool();
if (real) pools.push({ source: 'asterisk-sounds', pool: real });
else console.log('asterisk-core-sounds-en-wav not installed: real-speech cases skipped');

const t0 = performance.now();
const cases: Case[] = [];
for (const { source, pool } of pools) BUILDERS.forEach((build, b) => {
  for (let i = 0; i < perBuilder; i++) cases.push(build(pool, source, 1000 * (b + 1) + i + (source === 'generated' ? 0 : 500)));
});
console.log(`corpus: ${cases.length} cases (${pools.map((p) => p.source).join(' + ')}), built in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

function run(c: Case): { findings: Finding[]; cpuMs: number; audioS: number } {
  const a = new CallAnalyzer({ legs: c.legs.length as 1 | 2 });
  const findings: Finding[] = [];
  a.events.on('finding', (f) => findings.push(f));
  const n = Math.max(...c.legs.map((l) => l.length));
  const cpu0 = process.cpuUsage();
  for (let i = 0; i < n; i += 320) c.legs.forEach((l, leg) => i < l.length && a.push(leg, l.subarray(i, Math.min(l.length, i + 320))));
  a.finish();
  const cpu = process.cpuUsage(cpu0);
  return { findings, cpuMs: (cpu.user + cpu.system) / 1000, audioS: n / SR };
}

const matches = (f: Finding, l: Label): boolean => f.kind === l.kind && f.leg === l.leg && f.startS <= l.endS + 0.1 && f.endS >= l.startS - 0.1 && (l.kind !== 'dtmf' || f.digit === l.digit);

type Tally = { tp: number; fp: number; fn: number };
const tally = (): Record<string, Tally> => Object.fromEntries(KINDS.map((k) => [k, { tp: 0, fp: 0, fn: 0 }]));
const bySource: Record<string, Record<string, Tally>> = { all: tally() };
const echoErr: { delay: number[]; loss: number[] } = { delay: [], loss: [] };
const fpFrom: Record<string, Record<string, number>> = {};
let dtmfLabels = 0;
let dtmfRight = 0;
let cpuMs = 0;
let audioS = 0;
for (const c of cases) {
  const r = run(c);
  cpuMs += r.cpuMs;
  audioS += r.audioS * c.legs.length;
  const tallies = [bySource.all!, (bySource[c.source] ??= tally())];
  for (const f of r.findings) {
    const hit = c.labels.find((l) => matches(f, l));
    if (hit?.ignore) continue;
    for (const t of tallies) t[f.kind]![hit ? 'tp' : 'fp']++;
    if (!hit) {
      const family = c.name.replace(/-\d+$/, '');
      const m = (fpFrom[f.kind] ??= {});
      m[family] = (m[family] ?? 0) + 1;
    }
    if (hit && f.kind === 'echo') {
      echoErr.delay.push(Math.abs(f.delayMs! - hit.delayMs!));
      echoErr.loss.push(Math.abs(f.lossDb! - hit.lossDb!));
    }
  }
  for (const l of c.labels) {
    if (l.ignore) continue;
    const found = r.findings.some((f) => matches(f, l));
    if (!found) for (const t of tallies) t[l.kind]!.fn++;
    if (l.kind === 'dtmf') {
      dtmfLabels++;
      if (found) dtmfRight++;
    }
  }
}

const pct = (x: number): string => (Number.isFinite(x) ? x.toFixed(3) : '-');
console.log(`\ndetector | source | labelled | found | TP | FP | FN | precision | recall`);
for (const kind of KINDS) {
  for (const [source, t] of Object.entries(bySource)) {
    const k = t[kind]!;
    const labelled = k.tp === 0 && k.fn === 0 ? 0 : cases.filter((c) => source === 'all' || c.source === source).reduce((s, c) => s + c.labels.filter((l) => l.kind === kind && !l.ignore).length, 0);
    console.log(`${kind} | ${source} | ${labelled} | ${k.tp + k.fp} | ${k.tp} | ${k.fp} | ${k.fn} | ${pct(k.tp / (k.tp + k.fp))} | ${pct(labelled === 0 ? NaN : (labelled - k.fn) / labelled)}`);
  }
}
console.log(`\nfalse positives by case family: ${Object.entries(fpFrom).map(([k, m]) => `${k}: ${Object.entries(m).map(([f, n]) => `${n} in ${f}`).join(', ')}`).join('; ') || 'none'}`);
const stat = (xs: number[]): string => (xs.length === 0 ? '-' : `mean ${(xs.reduce((s, x) => s + x, 0) / xs.length).toFixed(1)}, max ${Math.max(...xs).toFixed(1)} (n=${xs.length})`);
console.log(`\necho delay error ms: ${stat(echoErr.delay)}; loss error dB: ${stat(echoErr.loss)}`);
console.log(`dtmf digits: ${dtmfRight}/${dtmfLabels} found with the right digit (${((dtmfRight / Math.max(1, dtmfLabels)) * 100).toFixed(1)} %)`);
console.log(`analyzer speed in this process: ${audioS.toFixed(0)} s of leg audio in ${cpuMs.toFixed(0)} ms CPU = ${(audioS / (cpuMs / 1000)).toFixed(0)}× real time per leg (${cpus()[0]?.model ?? '?'}, node ${process.version})`);

if (values.hour) {
  const cli = new URL('../../out/node/main/cli/asterisk-tap.js', import.meta.url).pathname;
  if (!existsSync(cli)) throw new Error('build first (npm run build)');
  const dir = await mkdtemp(join(tmpdir(), 'asterisk-tap-bench-'));
  const file = join(dir, 'hour.wav');
  // One hour of stereo: the echo and one-way cases' audio, interleaved, repeated.
  const stereo = cases.filter((c) => c.legs.length === 2);
  const blocks: Buffer[] = stereo.map((c) => {
    const n = c.legs[0]!.length;
    const b = Buffer.alloc(n * 4);
    for (let i = 0; i < n; i++) {
      b.writeInt16LE(c.legs[0]![i]!, i * 4);
      b.writeInt16LE(c.legs[1]![i] ?? 0, i * 4 + 2);
    }
    return b;
  });
  const target = 3600 * SR * 4;
  const fh = await open(file, 'w');
  await fh.write(buildWavHeader({ sampleRate: SR, channels: 2, bitsPerSample: 16 }, target).header);
  for (let written = 0, i = 0; written < target; i++) {
    const b = blocks[i % blocks.length]!.subarray(0, target - written);
    await fh.write(b);
    written += b.length;
  }
  await fh.close();
  const time = spawnSync('/usr/bin/time', ['-f', '%e %U %S %M', process.execPath, cli, 'analyze', file, '--json'], { encoding: 'utf8', maxBuffer: 1 << 26 });
  const [wall, user, sys, rssKb] = time.stderr.trim().split('\n').pop()!.split(' ').map(Number) as [number, number, number, number];
  const report = JSON.parse(time.stdout) as { durationS: number; events: unknown[] };
  console.log(`\nanalyze on a 1 h stereo WAV (${(target / 2 ** 20).toFixed(0)} MiB): wall ${wall.toFixed(1)} s, CPU ${(user + sys).toFixed(1)} s → ${(3600 / wall).toFixed(0)}× real time (wall), ${(3600 / (user + sys)).toFixed(0)}× (CPU); peak RSS ${(rssKb / 1024).toFixed(0)} MB; ${report.events.length} findings over ${report.durationS} s`);
  await rm(dir, { recursive: true, force: true });
}
