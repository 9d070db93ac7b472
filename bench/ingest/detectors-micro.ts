/**
 * Micro-benchmark (not a test) of the call-health detectors alone, for profiling:
 *   node [--cpu-prof] bench/ingest/detectors-micro.ts [--minutes 3] [--runs 5] [--legs 2]
 * A two-leg call of generated speech-like audio in turns (leg 1 also carries an echo of leg 0 and
 * a few DTMF digits, a faint line noise under both) is fed to a CallAnalyzer in 20 ms chunks per
 * leg with arrival times, as a live tap does. Prints ns per sample of leg audio (median of the
 * runs; with --legs 1, leg 1 alone in a one-leg analyzer, as bench/ingest's taps), a floor measured in the same run (one pass summing squares over the same chunks), and a
 * digest of the findings so a faster version can be checked to find exactly the same.
 */
import { createHash } from 'node:crypto';
import { parseArgs } from 'node:util';
import { CallAnalyzer } from '../../main/core/diagnostics/call-analyzer.ts';
import { addFloor, dtmfInto, generatedSpeech, prng } from '../diagnostics/corpus.ts';

const { values } = parseArgs({ options: { minutes: { type: 'string', default: '3' }, runs: { type: 'string', default: '5' }, legs: { type: 'string', default: '2' } } });
const minutes = Number(values.minutes);
const runs = Number(values.runs);
const legCount = values.legs === '1' ? 1 : 2;
const SR = 16000;
const total = Math.round(minutes * 60 * SR);
const rnd = prng(12);
const legs = [new Int16Array(total), new Int16Array(total)];
// Turns of 2-6 s, each leg answering the other, with short pauses.
for (let at = 0, speaker = 0; at < total; speaker = 1 - speaker) {
  const len = Math.min(total - at, Math.round((2 + rnd() * 4) * SR));
  legs[speaker]!.set(generatedSpeech(len / SR, rnd).subarray(0, len), at);
  at += len + Math.round(rnd() * 0.4 * SR);
}
// Echo of leg 0 on leg 1: 120 ms later, 20 dB weaker.
const delay = Math.round(0.12 * SR);
for (let i = total - 1; i >= delay; i--) legs[1]![i] = Math.max(-32768, Math.min(32767, legs[1]![i]! + Math.round(legs[0]![i - delay]! * 0.1)));
for (let k = 0; k < 10; k++) dtmfInto(legs[1]!, Math.round((10 + k * 15) * SR) % (total - SR), '159#'[k % 4]!, 80, 3000, 2, 0, 0);
for (const l of legs) addFloor(l, rnd);

const CHUNK = 320;
function analyze(): { ns: number; digest: string; findings: number } {
  const a = new CallAnalyzer({ legs: legCount });
  const found: string[] = [];
  a.events.on('finding', (f) => found.push(JSON.stringify(f)));
  const t0 = process.cpuUsage();
  for (let off = 0; off < total; off += CHUNK) {
    const wall = 1_700_000_000_000 + ((off + CHUNK) / SR) * 1000;
    for (let leg = 0; leg < legCount; leg++) {
      const s = legs[legCount === 1 ? 1 : leg]!;
      a.pushBytes(leg, new Uint8Array(s.buffer, off * 2, Math.min(CHUNK, total - off) * 2), wall);
    }
  }
  a.finish();
  const dt = process.cpuUsage(t0);
  const ns = ((dt.user + dt.system) * 1000) / (legCount * total);
  return { ns, digest: createHash('sha256').update(found.join('\n')).digest('hex').slice(0, 16), findings: found.length };
}

function floor(): number {
  let acc = 0;
  const t0 = process.cpuUsage();
  for (let off = 0; off < total; off += CHUNK) {
    for (let leg = 0; leg < legCount; leg++) {
      const s = new Int16Array(legs[leg]!.buffer, off * 2, Math.min(CHUNK, total - off));
      let sq = 0;
      for (let i = 0; i < s.length; i++) sq += s[i]! * s[i]!;
      acc += sq;
    }
  }
  const dt = process.cpuUsage(t0);
  if (acc < 0) console.log(acc);
  return ((dt.user + dt.system) * 1000) / (legCount * total);
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const det: number[] = [];
const flo: number[] = [];
let last = { digest: '', findings: 0 };
analyze(); // warm-up
for (let r = 0; r < runs; r++) {
  flo.push(floor());
  const x = analyze();
  det.push(x.ns);
  last = x;
}
console.log(`detectors micro-benchmark: ${minutes} min, ${legCount === 2 ? 'two-leg call' : 'one leg'}, ${runs} runs, node ${process.version}`);
console.log(`detectors: ${median(det).toFixed(2)} ns per sample (runs ${det.map((v) => v.toFixed(2)).join(', ')})`);
console.log(`floor (sum of squares): ${median(flo).toFixed(2)} ns per sample; detectors / floor ${(median(det) / median(flo)).toFixed(1)}×`);
console.log(`findings: ${last.findings}, digest ${last.digest}`);
