import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { StereoAligner } from '../../../main/core/audio/stereo-aligner.ts';

const frame = (v: number): Int16Array => new Int16Array(320).fill(v);
const channel = (stereo: Int16Array, leg: 0 | 1): number[] => Array.from({ length: stereo.length / 2 }, (_, i) => stereo[i * 2 + leg]!);

test('left and right carry their legs on one timeline; a late start and a dropout are silence', () => {
  const a = new StereoAligner(0);
  // Left: frames every 20 ms from 20 ms on. Right: starts 100 ms later, then drops out 200 ms.
  for (let i = 1; i <= 50; i++) a.push(0, i * 20, frame(1000));
  for (let i = 6; i <= 50; i++) if (i < 20 || i >= 30) a.push(1, i * 20, frame(-1000));
  const out = a.drain(1000, true);
  const left = channel(out, 0);
  const right = channel(out, 1);
  assert.equal(left.length, 50 * 320);
  assert.ok(left.every((v) => v === 1000));
  assert.ok(right.slice(0, 5 * 320).every((v) => v === 0), 'right has not started');
  assert.ok(right.slice(5 * 320, 19 * 320).every((v) => v === -1000));
  assert.ok(right.slice(19 * 320, 29 * 320).every((v) => v === 0), 'the dropout is silence, not squeezed out');
  assert.ok(right.slice(29 * 320).every((v) => v === -1000));
});

test('a quiet leg does not hold the file back more than 200 ms', () => {
  const a = new StereoAligner(0);
  for (let i = 1; i <= 50; i++) a.push(0, i * 20, frame(7));
  const out = a.drain(1000);
  assert.equal(out.length / 2, 16 * 800, 'written up to the clock minus 200 ms');
  assert.ok(channel(out, 1).every((v) => v === 0));
});

test('jittered but continuous arrivals stay contiguous: no sample lost, none duplicated', () => {
  fc.assert(
    fc.property(fc.array(fc.integer({ min: -8, max: 8 }), { minLength: 10, maxLength: 100 }), (jitter) => {
      const a = new StereoAligner(0);
      let pieces: Int16Array[] = [];
      jitter.forEach((j, i) => {
        const f = new Int16Array(320).map((_, k) => ((i * 320 + k) % 30000) + 1);
        a.push(0, (i + 1) * 20 + j, f);
        a.push(1, (i + 1) * 20 + j, f);
        if (i % 7 === 0) pieces.push(a.drain((i + 1) * 20));
      });
      pieces.push(a.drain(jitter.length * 20 + 1000, true));
      const all = pieces.reduce((acc, p) => acc.concat(channel(p, 0)), [] as number[]);
      pieces = [];
      const firstNonZero = all.findIndex((v) => v !== 0);
      const body = all.slice(firstNonZero);
      assert.equal(body.length, jitter.length * 320);
      body.forEach((v, k) => assert.equal(v, (k % 30000) + 1));
    }),
    { numRuns: 50 },
  );
});

/** A leg whose frame i (1-based) carries the values i*320+k: position is checkable exactly. */
const counted = (i: number): Int16Array => new Int16Array(320).map((_, k) => (((i - 1) * 320 + k) % 30000) + 1);

test('a stall of this process (frames read late, then in a burst) inserts no silence and keeps the legs aligned', () => {
  fc.assert(
    fc.property(fc.integer({ min: 3, max: 60 }), fc.integer({ min: 60, max: 600 }), fc.boolean(), (stallAt, stallMs, onlyOneLeg) => {
      const a = new StereoAligner(0);
      const pieces: Int16Array[] = [];
      // One leg alone may lag only less than the 200 ms a quiet leg is waited for.
      const stallEnd = stallAt * 20 + (onlyOneLeg ? Math.min(stallMs, 180) : stallMs);
      for (let i = 1; i <= 100; i++) {
        const due = i * 20;
        // Frames due during the stall are read when it ends, one after the other.
        const late = due >= stallAt * 20 && due < stallEnd ? stallEnd : due;
        a.push(0, onlyOneLeg ? due : late, counted(i));
        a.push(1, late, counted(i));
        if (i % 5 === 0) pieces.push(a.drain(late));
      }
      pieces.push(a.drain(100 * 20 + 1000, true));
      const out = pieces.reduce((acc, p) => acc.concat(Array.from(p)), [] as number[]);
      const left = channel(Int16Array.from(out), 0);
      const right = channel(Int16Array.from(out), 1);
      assert.equal(left.length, 100 * 320, 'no silence inserted');
      left.forEach((v, k) => assert.equal(v, (k % 30000) + 1));
      assert.deepEqual(right, left, 'the legs stay aligned');
    }),
    { numRuns: 100 },
  );
});

test('frames read late at the start of a recording are placed where they were due', () => {
  const a = new StereoAligner(0);
  // Left arrives on time; right's first five frames are read together at 100 ms.
  for (let i = 1; i <= 20; i++) a.push(0, i * 20, counted(i));
  for (let i = 1; i <= 20; i++) a.push(1, Math.max(100, i * 20), counted(i));
  const out = a.drain(2000, true);
  assert.deepEqual(channel(out, 1), channel(out, 0));
});
