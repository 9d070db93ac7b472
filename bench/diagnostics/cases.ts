/** Case builders of the diagnostics benchmark: each injects one kind of fault (or none) at known places. */
import { type Case, type Label, type SpeechPool, SR, addFloor, concat, dtmfInto, normalise, prng } from './corpus.ts';

const KEYS = '0123456789*#ABCD';
const zeros = (s: number): Int16Array => new Int16Array(Math.round(s * SR));

/** Two parties in turns of 2-5 s; returns the legs (floor added by the caller) and each leg's talk spans. */
function conversation(pool: SpeechPool, seconds: number, rnd: () => number): { legs: [Int16Array, Int16Array]; talk: [number, number][][] } {
  const legs: [Int16Array, Int16Array] = [zeros(seconds), zeros(seconds)];
  const talk: [number, number][][] = [[], []];
  let t = 0;
  let who = 0;
  while (t < seconds - 0.5) {
    const len = Math.min(seconds - t, 2 + rnd() * 3);
    legs[who]!.set(normalise(pool(len, rnd), -6 - rnd() * 10), Math.round(t * SR));
    talk[who]!.push([t, t + len]);
    t += len + 0.2;
    who = 1 - who;
  }
  return { legs, talk };
}

export function silenceCase(pool: SpeechPool, source: Case['source'], seed: number): Case {
  const rnd = prng(seed);
  const parts: Int16Array[] = [];
  const labels: Label[] = [];
  let t = 0;
  for (let i = 0; i < 3; i++) {
    const talk = 3 + rnd() * 3;
    parts.push(normalise(pool(talk, rnd), -3 - rnd() * 20));
    t += talk;
    // Clearly short (≤ 1 s) or clearly long (≥ 2.5 s): the speech around may add quiet of its own.
    const gap = rnd() < 0.5 ? 0.3 + rnd() * 0.7 : 2.5 + rnd() * 2;
    parts.push(zeros(gap));
    if (gap >= 2) labels.push({ kind: 'silence', leg: 0, startS: t, endS: t + gap });
    t += gap;
  }
  parts.push(normalise(pool(3, rnd), -10));
  return { name: `silence-${seed}`, source, legs: [addFloor(concat(parts), rnd)], labels };
}

export function oneWayCase(pool: SpeechPool, source: Case['source'], seed: number): Case {
  const rnd = prng(seed);
  const seconds = 30;
  // Leg 0 talks on; leg 1 answers briefly (1 s) every 3 s, except in a mute of 0-12 s.
  const a = normalise(pool(seconds, rnd), -6);
  const b = zeros(seconds);
  const muteStart = 5 + rnd() * 8;
  const muteLen = rnd() < 0.3 ? 0 : rnd() * 12;
  const bursts: number[] = [];
  for (let t = 1; t < seconds - 1; t += 3) if (!(t + 1 > muteStart && t < muteStart + muteLen)) bursts.push(t);
  for (const t of bursts) b.set(normalise(pool(1, rnd), -8), Math.round(t * SR));
  const labels: Label[] = [];
  for (let i = 0; i + 1 < bursts.length; i++) {
    const from = bursts[i]! + 1;
    const to = bursts[i + 1]!;
    // Spans near the 5 s threshold are left out of the score (the answers' own pauses blur them).
    if (to - from >= 5.5) labels.push({ kind: 'one-way', leg: 1, startS: from, endS: to });
    else if (to - from >= 4) labels.push({ kind: 'one-way', leg: 1, startS: from, endS: to, ignore: true });
  }
  return { name: `one-way-${seed}`, source, legs: [addFloor(a, rnd), addFloor(b, rnd)], labels };
}

export function clippingCase(pool: SpeechPool, source: Case['source'], seed: number): Case {
  const rnd = prng(seed);
  const x = normalise(pool(10, rnd), -1 - rnd() * 5);
  const labels: Label[] = [];
  if (rnd() < 0.5) {
    const start = 2 + rnd() * 5;
    const len = 0.5 + rnd() * 2;
    const gain = 1.5 + rnd() * 6;
    for (let i = Math.round(start * SR); i < Math.round((start + len) * SR); i++) x[i] = Math.max(-32768, Math.min(32767, Math.round(x[i]! * gain)));
    // Truth from the samples: the span of runs of 3 or more samples at full scale.
    let first = -1;
    let last = -1;
    let run = 0;
    for (let i = 0; i < x.length; i++) {
      if (x[i]! >= 32766 || x[i]! <= -32767) run++;
      else {
        if (run >= 3) {
          if (first < 0) first = i - run;
          last = i;
        }
        run = 0;
      }
    }
    if (first >= 0) labels.push({ kind: 'clipping', leg: 0, startS: first / SR, endS: last / SR });
  }
  return { name: `clipping-${seed}`, source, legs: [addFloor(x, rnd)], labels };
}

export function dropoutCase(pool: SpeechPool, source: Case['source'], seed: number): Case {
  const rnd = prng(seed);
  const x = addFloor(normalise(pool(12, rnd), -3 - rnd() * 15), rnd);
  const labels: Label[] = [];
  for (let i = 0; i < 3; i++) {
    const start = 1 + i * 3.5 + rnd() * 2;
    const ms = [5, 10, 15, 20, 40, 60, 100, 200, 400][Math.floor(rnd() * 9)]!;
    x.fill(0, Math.round(start * SR), Math.round(start * SR + (ms * SR) / 1000));
    if (ms >= 20) labels.push({ kind: 'dropout', leg: 0, startS: start, endS: start + ms / 1000 });
  }
  return { name: `dropout-${seed}`, source, legs: [x], labels };
}

export function echoCase(pool: SpeechPool, source: Case['source'], seed: number): Case {
  const rnd = prng(seed);
  const { legs } = conversation(pool, 30, rnd);
  const labels: Label[] = [];
  if (rnd() < 0.6) {
    const leg = rnd() < 0.5 ? 0 : 1;
    const delayMs = Math.round(15 + rnd() * 480);
    const lossDb = Math.round((6 + rnd() * 24) * 10) / 10;
    const src = legs[1 - leg]!;
    const dst = legs[leg]!;
    const d = Math.round((delayMs * SR) / 1000);
    const g = 10 ** (-lossDb / 20);
    const copy = Int16Array.from(dst);
    for (let i = d; i < dst.length; i++) copy[i] = Math.max(-32768, Math.min(32767, dst[i]! + Math.round(src[i - d]! * g)));
    legs[leg] = copy;
    labels.push({ kind: 'echo', leg, startS: 0, endS: 30, delayMs, lossDb });
  }
  return { name: `echo-${seed}`, source, legs: [addFloor(legs[0], rnd), addFloor(legs[1], rnd)], labels };
}

export function dtmfCase(pool: SpeechPool, source: Case['source'], seed: number): Case {
  const rnd = prng(seed);
  const seconds = 12;
  const labels: Label[] = [];
  // Half the cases: digits over a quiet line; the other half: speech only (talk-off).
  if (rnd() < 0.5) {
    const x = zeros(seconds);
    let t = 0.5 + rnd();
    while (t < seconds - 1) {
      const key = KEYS[Math.floor(rnd() * KEYS.length)]!;
      const ms = 40 + rnd() * 110;
      dtmfInto(x, Math.round(t * SR), key, ms, 1500 + rnd() * 4300, (rnd() * 2 - 1) * 8, (rnd() * 2 - 1) * 0.015, (rnd() * 2 - 1) * 0.015);
      labels.push({ kind: 'dtmf', leg: 0, startS: t, endS: t + ms / 1000, digit: key });
      t += ms / 1000 + 0.04 + rnd() * 0.5;
    }
    return { name: `dtmf-${seed}`, source, legs: [addFloor(x, rnd)], labels };
  }
  return { name: `talk-off-${seed}`, source, legs: [addFloor(normalise(pool(seconds * 3, rnd), -1 - rnd() * 20), rnd)], labels };
}

export function toneCase(pool: SpeechPool, source: Case['source'], seed: number): Case {
  const rnd = prng(seed);
  const before = normalise(pool(3, rnd), -6);
  const len = 1 + rnd() * 5;
  const hz = Math.round(300 + rnd() * 2700);
  const peak = 32767 * 10 ** ((-3 - rnd() * 25) / 20);
  const tone = new Int16Array(Math.round(len * SR));
  for (let i = 0; i < tone.length; i++) tone[i] = Math.round(peak * Math.sin((2 * Math.PI * hz * i) / SR));
  const after = normalise(pool(3, rnd), -6);
  const labels: Label[] = len >= 3 ? [{ kind: 'tone', leg: 0, startS: 3, endS: 3 + len, hz }] : [];
  return { name: `tone-${seed}`, source, legs: [addFloor(concat([before, tone, after]), rnd)], labels };
}
