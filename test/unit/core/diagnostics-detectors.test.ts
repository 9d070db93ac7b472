import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { CallAnalyzer } from '../../../main/core/diagnostics/call-analyzer.ts';
import { echoSource, speechSource } from '../../../main/sim/signal-generators.ts';
import { analyze, concat, kinds, noise, render, sine, SR } from '../../helpers/diagnostics.ts';

/** Loud broadband sound (-19 dBFS RMS): audio for every detector, a tone and a digit for none. */
const sound = (seconds: number, seed = 3): Int16Array => noise(seconds, 6000, seed);
const zeros = (seconds: number): Int16Array => new Int16Array(Math.round(seconds * SR));
/** A quiet line at about -69 dBFS: silent, but not digital zero. */
const quiet = (seconds: number, seed = 5): Int16Array => noise(seconds, 20, seed);
const close = (a: number, b: number, tol: number): boolean => Math.abs(a - b) <= tol;

test('silence: one finding per stretch of 2 s or more below -55 dBFS, with its start and end', () => {
  const { findings } = analyze([concat(sound(3), zeros(2.5), sound(1), quiet(2.2), sound(1), quiet(1.9), sound(1))]);
  assert.deepEqual(kinds(findings), ['silence', 'silence']);
  const [a, b] = findings as [(typeof findings)[0], (typeof findings)[0]];
  assert.ok(close(a.startS, 3, 0.01) && close(a.endS, 5.5, 0.01), JSON.stringify(a));
  assert.ok(close(b.startS, 6.5, 0.01) && close(b.endS, 8.7, 0.01), JSON.stringify(b));
  assert.equal(a.severity, 'warning');
  assert.equal(a.leg, 0);
});

test('silence is reported while it grows, then ends as a finding with the same id', () => {
  const { findings, progress } = analyze([concat(sound(1), zeros(5), sound(1))]);
  assert.equal(findings.length, 1);
  const growing = progress.filter((p) => !p.done);
  assert.ok(growing.length >= 3 && growing.length <= 4, `${growing.length} updates`);
  assert.ok(growing.every((p) => p.id === findings[0]!.id && p.kind === 'silence' && close(p.startS, 1, 0.01)));
  assert.ok(close(growing[0]!.endS, 3, 0.02), 'first update once the minimum is reached');
  assert.ok(growing.every((p, i) => i === 0 || p.endS > growing[i - 1]!.endS));
});

test('one-way: the silent leg is named, with the span; no silence finding for a leg that listens', () => {
  const { findings, progress } = analyze([concat(sound(8)), concat(sound(1, 9), quiet(6), sound(1, 9))]);
  assert.deepEqual(kinds(findings), ['one-way']);
  const f = findings[0]!;
  assert.equal(f.leg, 1);
  assert.equal(f.severity, 'error');
  assert.ok(close(f.startS, 1, 0.01) && close(f.endS, 7, 0.01), JSON.stringify(f));
  assert.match(f.message, /leg 1 was silent for 6\.0 s while leg 0 talked/);
  assert.ok(progress.some((p) => p.kind === 'one-way' && p.id === f.id && !p.done));
});

test('one-way needs 5 s; two silent legs are dead air on both, not one-way', () => {
  assert.deepEqual(kinds(analyze([sound(6), concat(sound(1, 9), quiet(4.5), sound(0.5, 9))]).findings), []);
  const both = analyze([concat(sound(1), zeros(3), sound(1)), concat(sound(1, 9), zeros(3), sound(1, 9))]).findings;
  assert.deepEqual(kinds(both).sort(), ['silence', 'silence']);
  assert.deepEqual(both.map((f) => f.leg).sort(), [0, 1]);
});

test('clipping: runs of 3+ samples within 1 LSB of full scale, merged when closer than 0.5 s, with the count', () => {
  const sig = sound(4);
  const run = (at: number, len: number, v: number): void => {
    sig.fill(v, Math.round(at * SR), Math.round(at * SR) + len);
  };
  run(1.0, 3, 32767);
  run(1.3, 4, -32768);
  run(1.6, 5, 32766);
  run(2.5, 3, -32767);
  run(3.2, 2, 32767); // too short
  run(3.5, 6, -32766); // 2 LSB from full scale: not clipping
  const { findings } = analyze([sig]);
  assert.deepEqual(kinds(findings), ['clipping', 'clipping']);
  const [a, b] = findings as [(typeof findings)[0], (typeof findings)[0]];
  assert.equal(a.clippedSamples, 12);
  assert.ok(close(a.startS, 1.0, 0.001) && close(a.endS, 1.6, 0.001), JSON.stringify(a));
  assert.equal(b.clippedSamples, 3);
  assert.ok(close(b.startS, 2.5, 0.001));
});

test('dropout: zero runs of 20 ms to 2 s with audio within 200 ms on both sides', () => {
  const { findings } = analyze([concat(sound(1), zeros(0.03), sound(1), zeros(0.01), sound(1), zeros(1.5), sound(1), zeros(0.1), quiet(0.5), sound(1))]);
  assert.deepEqual(kinds(findings), ['dropout', 'dropout']);
  assert.ok(close(findings[0]!.startS, 1, 0.001) && close(findings[0]!.endS, 1.03, 0.001), JSON.stringify(findings[0]));
  assert.ok(close(findings[1]!.startS, 3.04, 0.001) && close(findings[1]!.endS, 4.54, 0.001), JSON.stringify(findings[1]));
  // Zeros at the start (no audio before) and zeros of 2 s or more are not dropouts.
  assert.deepEqual(kinds(analyze([concat(zeros(0.1), sound(1))]).findings), []);
  assert.deepEqual(kinds(analyze([concat(sound(1), zeros(2.0), sound(1))]).findings), ['silence']);
});

test('tone: a steady frequency for 3 s or more, with its frequency; cadenced tones count, sweeps and short tones do not', () => {
  const t = analyze([concat(quiet(0.5), sine(4, 425, 3000), quiet(0.5))]).findings;
  assert.deepEqual(kinds(t), ['tone']);
  assert.ok(close(t[0]!.hz!, 425, 1) && close(t[0]!.startS, 0.5, 0.11) && close(t[0]!.endS, 4.5, 0.11), JSON.stringify(t[0]));
  assert.deepEqual(kinds(analyze([concat(quiet(0.5), sine(2.5, 1004, 20000), quiet(0.5))]).findings), []);
  const busy = concat(...Array.from({ length: 5 }, () => concat(sine(0.5, 425, 8000), quiet(0.5))));
  assert.deepEqual(kinds(analyze([busy]).findings), ['tone']);
  const sweep = new Int16Array(5 * SR);
  let ph = 0;
  for (let i = 0; i < sweep.length; i++) {
    ph += (2 * Math.PI * (900 + (300 * i) / sweep.length)) / SR;
    sweep[i] = Math.round(8000 * Math.sin(ph));
  }
  assert.deepEqual(kinds(analyze([sweep]).findings), []);
});

/** Two parties talking in 3 s turns; leg 1 also returns leg 0's voice `delayMs` later, `lossDb` weaker. */
function echoCall(delayMs: number, lossDb: number, seconds = 24): [Int16Array, Int16Array] {
  const aTalks = (f: number): boolean => Math.floor(f / 150) % 2 === 0;
  const a = speechSource({ f0: 150, seed: 21, peak: 12000, talking: aTalks, floor: 20 });
  const b = speechSource({ f0: 220, seed: 22, peak: 12000, talking: (f) => !aTalks(f), floor: 20 });
  return [render(a, seconds), render(echoSource(b, a, delayMs, lossDb), seconds)];
}

test('echo (property): delay within ±5 ms and loss within ±3 dB, on the leg that carries it', () => {
  fc.assert(
    fc.property(fc.integer({ min: 20, max: 480 }), fc.double({ min: 6, max: 24, noNaN: true }), (delayMs, lossDb) => {
      const { findings } = analyze(echoCall(delayMs, lossDb));
      const echoes = findings.filter((f) => f.kind === 'echo');
      assert.equal(echoes.length, 1, JSON.stringify(findings));
      const e = echoes[0]!;
      assert.equal(e.leg, 1);
      assert.ok(close(e.delayMs!, delayMs, 5), `delay ${e.delayMs} for ${delayMs}`);
      assert.ok(close(e.lossDb!, lossDb, 3), `loss ${e.lossDb} for ${lossDb}`);
      assert.ok(e.endS - e.startS > 15, JSON.stringify(e));
      assert.deepEqual(kinds(findings), ['echo']);
    }),
    { seed: 16, numRuns: 8 },
  );
});

test('echo: two parties without an echo path give no finding', () => {
  const [a, b] = echoCall(100, 200);
  assert.deepEqual(kinds(analyze([a, b]).findings), []);
});

test('summary: peak, RMS and the share of speech-level blocks per leg', () => {
  const { analyzer } = analyze([concat(sine(1, 1000, 16384), zeros(1)), quiet(2)]);
  const [a, b] = analyzer.summary();
  assert.deepEqual(a, { leg: 0, peakDbfs: -6, rmsDbfs: -12, activeRatio: 0.5 });
  assert.equal(b!.activeRatio, 0);
  assert.ok(b!.rmsDbfs < -60);
  assert.equal(analyzer.durationS, 2);
});

test('live: with arrival times a leg that sends nothing is silent, and odd-offset bytes are read right', () => {
  const a = new CallAnalyzer({ legs: 2 });
  const found: string[] = [];
  a.events.on('finding', (f) => found.push(`${f.kind}:${f.leg}:${f.startWallMs}`));
  const t0 = 1_700_000_000_000;
  const src = sound(8);
  for (let i = 0; i < 400; i++) {
    const bytes = Buffer.alloc(641);
    Buffer.from(src.buffer, i * 640, 640).copy(bytes, 1);
    a.pushBytes(0, bytes.subarray(1), t0 + (i + 1) * 20);
  }
  a.finish();
  assert.deepEqual(found, [`one-way:1:${t0}`]);
  assert.equal(a.summary()[0]!.rmsDbfs, analyze([src]).analyzer.summary()[0]!.rmsDbfs);
});

test('memory is bounded offline: a leg far ahead makes the other silent instead of queueing', () => {
  const a = new CallAnalyzer({ legs: 2 });
  const found: string[] = [];
  a.events.on('finding', (f) => found.push(f.kind));
  a.push(0, sound(30));
  a.push(1, sound(1));
  a.finish();
  assert.ok(found.includes('one-way'), found.join());
  // The lagging leg was made silent up to 1 s behind, then its own second follows.
  assert.ok(a.durationS >= 30 && a.durationS <= 31.1, String(a.durationS));
});

test('live: frames that stop arriving for a while are not a dropout (no zeros were sent), on one leg or a call', () => {
  for (const legs of [1, 2] as const) {
    const a = new CallAnalyzer({ legs });
    const found: string[] = [];
    a.events.on('finding', (f) => found.push(`${f.kind}:${f.leg}`));
    const t0 = 1_700_000_000_000;
    const src = sound(6, 11);
    const other = sound(6, 12);
    // 2 s of frames, 1.5 s with none (a stalled stream, a busy process), then 2 s more.
    for (let i = 0; i < 200; i++) {
      const at = t0 + (i + 1) * 20 + (i >= 100 ? 1500 : 0);
      a.push(0, src.subarray(i * 320, (i + 1) * 320), at);
      if (legs === 2) a.push(1, other.subarray(i * 320, (i + 1) * 320), t0 + (i + 1) * 20 + 1500 * Number(i >= 100));
    }
    a.finish();
    assert.ok(!found.some((f) => f.startsWith('dropout')), `${legs} leg(s): ${found.join(', ')}`);
  }
});
