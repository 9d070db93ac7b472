import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { WaveColumns } from '../../../renderer/audio/wave-columns.ts';

/** The picture computed the slow way: every column from the whole stream, newest `width` kept. */
function bruteForce(all: number[], width: number, per: number): number[] {
  const complete = Math.floor(all.length / per);
  const out: number[] = [];
  for (let x = 0; x < width; x++) {
    const k = complete - width + x;
    if (k < 0) {
      out.push(0, 0);
      continue;
    }
    const col = all.slice(k * per, (k + 1) * per);
    out.push(Math.min(...col), Math.max(...col));
  }
  return out;
}

test('incremental columns equal a brute-force recomputation over the whole window, whatever the batch sizes', () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 1, max: 40 }),
      fc.integer({ min: 1, max: 25 }),
      fc.array(fc.array(fc.integer({ min: -32768, max: 32767 }), { maxLength: 120 }), { maxLength: 30 }),
      fc.integer({ min: 0, max: 50 }),
      (width, per, batches, ask) => {
        const cols = new WaveColumns(width, per);
        const all: number[] = [];
        let added = 0;
        for (const b of batches) {
          added += cols.push(Int16Array.from(b));
          all.push(...b);
          // After every batch, not only at the end: drawing reads between batches.
          const want = bruteForce(all, width, per);
          assert.deepEqual([...cols.newest(width, new Int16Array(width * 2))], want);
          const n = Math.min(ask, width);
          assert.deepEqual([...cols.newest(ask, new Int16Array(width * 2))], want.slice((width - n) * 2));
        }
        assert.equal(cols.added, Math.floor(all.length / per));
        assert.equal(added, cols.added);
      },
    ),
  );
});

test('the tone of the demo PBX: each column spans the tone, silence reads flat, bad sizes are refused', () => {
  const cols = new WaveColumns(4, 160);
  const tone = Int16Array.from({ length: 640 }, (_, i) => Math.round(8000 * Math.sin((2 * Math.PI * 1004 * i) / 16000)));
  assert.deepEqual([...cols.newest(4, new Int16Array(8))], [0, 0, 0, 0, 0, 0, 0, 0], 'before audio: a flat line');
  assert.equal(cols.push(tone), 4);
  const got = cols.newest(4, new Int16Array(8));
  for (let x = 0; x < 4; x++) {
    assert.ok(got[x * 2]! <= -7900 && got[x * 2 + 1]! >= 7900, `column ${x} spans the tone: ${got[x * 2]}..${got[x * 2 + 1]}`);
  }
  assert.throws(() => new WaveColumns(0, 160), RangeError);
  assert.throws(() => new WaveColumns(10, 0.5), RangeError);
  assert.throws(() => cols.newest(4, new Int16Array(2)), RangeError);
});

test('each column is dated by the wall clock of its last sample, whatever the batch sizes', () => {
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 30 }), fc.integer({ min: 1, max: 40 }), fc.array(fc.integer({ min: 0, max: 90 }), { maxLength: 25 }), (width, per, sizes) => {
      const cols = new WaveColumns(width, per);
      const start = 1_700_000_000_000;
      let sent = 0;
      for (const n of sizes) {
        // Each batch is dated by its first sample, as the data plane does.
        cols.push(new Int16Array(n), start + sent / 16);
        sent += n;
      }
      const complete = Math.floor(sent / per);
      const take = Math.min(width, complete);
      const want = Array.from({ length: take }, (_, i) => start + ((complete - take + i + 1) * per) / 16);
      const got = [...cols.newestTimes(take, new Float64Array(width))];
      got.forEach((t, i) => assert.ok(Math.abs(t - want[i]!) < 1e-6, `column ${i}: ${t} vs ${want[i]}`));
      assert.equal(cols.timeOf(cols.added - 1), complete === 0 ? 0 : want.at(-1));
    }),
  );
});

test('a range of columns by number, and their times, as the newest ones give them; columns no longer held are refused', () => {
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 20 }), fc.integer({ min: 1, max: 9 }), fc.integer({ min: 0, max: 300 }), (width, per, samples) => {
      const cols = new WaveColumns(width, per);
      cols.push(Int16Array.from({ length: samples }, (_, i) => ((i * 31) % 2000) - 1000), 1000);
      const added = cols.added;
      const held = Math.min(width, added);
      const all = [...cols.newest(held, new Int16Array(width * 2))];
      const times = [...cols.newestTimes(held, new Float64Array(width))];
      for (let first = added - held; first < added; first++) {
        const n = added - first;
        assert.deepEqual([...cols.range(first, n, new Int16Array(width * 2))], all.slice((first - (added - held)) * 2));
        assert.deepEqual([...cols.rangeTimes(first, n, new Float64Array(width))], times.slice(first - (added - held)));
        assert.equal(cols.timeOf(first), times[first - (added - held)]);
      }
      if (added > width) assert.throws(() => cols.range(added - width - 1, 1, new Int16Array(2)), RangeError);
      assert.throws(() => cols.range(added, 1, new Int16Array(2)), RangeError);
      assert.equal(cols.timeOf(added), 0);
    }),
  );
});
