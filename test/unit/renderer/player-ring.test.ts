import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { PlayerRing } from '../../../renderer/live/player-ring.ts';

test('the shared PCM ring hands the reader exactly what the writer wrote, in order, across the wrap, and the newest when it falls behind', () => {
  fc.assert(
    fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 700 }), fc.integer({ min: 0, max: 900 }), fc.integer({ min: 0, max: 2000 })), { maxLength: 60 }), (steps) => {
      const shared = new SharedArrayBuffer(PlayerRing.BYTES);
      const writer = new PlayerRing(shared);
      const reader = new PlayerRing(shared);
      const sent: number[] = [];
      let next = 0;
      for (const [write, read, keep] of steps) {
        const batch = Int16Array.from({ length: write }, () => ((next++ * 7919) % 65536) - 32768);
        writer.write(batch);
        sent.push(...batch);
        const waiting = reader.available();
        const dropped = reader.keepNewest(Math.min(keep, PlayerRing.CAPACITY - 1));
        assert.equal(dropped, Math.max(0, waiting - Math.min(keep, PlayerRing.CAPACITY - 1)), 'only the oldest beyond what is kept');
        // What waits now is the newest audio sent.
        const skipTo = sent.length - reader.available();
        const out = new Float32Array(read);
        const n = reader.readInto(out, 0, read);
        assert.equal(n, Math.min(read, sent.length - skipTo));
        for (let i = 0; i < n; i++) assert.equal(out[i], sent[skipTo + i]! / 32768);
        assert.equal(writer.written, sent.length % 2 ** 32);
      }
    }),
  );
});

test('positions wrap at 2^32 samples without losing the distance between writer and reader', () => {
  const shared = new SharedArrayBuffer(PlayerRing.BYTES);
  new Int32Array(shared, 0, 2).set([-5, -5]); // 2^32 − 5, as after 74 hours at 16 kHz
  const ring = new PlayerRing(shared);
  ring.write(Int16Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]));
  assert.equal(ring.available(), 10);
  const out = new Float32Array(10);
  assert.equal(ring.readInto(out, 0, 10), 10);
  assert.deepEqual([...out].map((v) => v * 32768), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  assert.equal(ring.available(), 0);
  assert.throws(() => new PlayerRing(new SharedArrayBuffer(16)), RangeError);
});

test('a batch longer than the ring (a stall of over a second sent at once) keeps its newest samples in order', () => {
  const ring = new PlayerRing(new SharedArrayBuffer(PlayerRing.BYTES));
  const n = PlayerRing.CAPACITY + 100;
  ring.write(Int16Array.from({ length: n }, (_, i) => i % 30000));
  assert.equal(ring.keepNewest(5), n - 5);
  const out = new Float32Array(5);
  assert.equal(ring.readInto(out, 0, 5), 5);
  assert.deepEqual([...out].map((v) => Math.round(v * 32768)), [n - 5, n - 4, n - 3, n - 2, n - 1].map((i) => i % 30000));
});
