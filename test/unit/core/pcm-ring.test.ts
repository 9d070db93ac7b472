import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { PcmRing } from '../../../main/core/audio/pcm-ring.ts';

test('keeps exactly the last capacity bytes, whatever the batch sizes', () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 1, max: 200 }).map((n) => n * 2),
      fc.array(fc.uint8Array({ maxLength: 300 }), { maxLength: 40 }),
      fc.integer({ min: 0, max: 500 }),
      (capacity, batches, ask) => {
        const ring = new PcmRing(capacity);
        for (const b of batches) ring.push(Buffer.from(b));
        const all = Buffer.concat(batches.map((b) => Buffer.from(b)));
        const kept = all.subarray(Math.max(0, all.length - capacity));
        assert.equal(ring.length, kept.length);
        assert.deepEqual(ring.last(ask), kept.subarray(Math.max(0, kept.length - ask)));
        assert.deepEqual(ring.last(Infinity), kept);
      },
    ),
  );
});

test('a copy: later pushes do not change what was taken; bad capacities are refused', () => {
  const ring = new PcmRing(4);
  ring.push(Buffer.from([1, 2, 3, 4]));
  const taken = ring.last(4);
  ring.push(Buffer.from([5, 6]));
  assert.deepEqual([...taken], [1, 2, 3, 4]);
  assert.deepEqual([...ring.last(4)], [3, 4, 5, 6]);
  ring.clear();
  assert.equal(ring.length, 0);
  assert.throws(() => new PcmRing(3), RangeError);
  assert.throws(() => new PcmRing(0), RangeError);
});
