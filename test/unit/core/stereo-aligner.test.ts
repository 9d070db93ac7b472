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
