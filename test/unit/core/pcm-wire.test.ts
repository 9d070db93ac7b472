import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodePcmPacket, encodePcmPacket } from '../../../preload/pcm-wire.ts';

test('the data-plane packet round-trips; malformed packets are dropped, not thrown', () => {
  const pcm = Buffer.from(new Int16Array([1, -2, 32767, -32768]).buffer);
  // A Buffer at an odd offset of a larger pool, as ws hands them out.
  const pool = Buffer.alloc(pcm.length + 1);
  pcm.copy(pool, 1);
  const packet = encodePcmPacket(7, 1, 1_795_600_000_123.5, pool.subarray(1));
  assert.deepEqual([...new Uint8Array(packet, 5, 3)], [0, 0, 0], 'reserved bytes are zero');
  const p = decodePcmPacket(packet)!;
  assert.deepEqual({ tap: p.tapNumber, leg: p.leg, wall: p.wallClockMs, samples: [...p.samples] }, { tap: 7, leg: 1, wall: 1_795_600_000_123.5, samples: [1, -2, 32767, -32768] });
  assert.equal(decodePcmPacket(new ArrayBuffer(10)), undefined, 'shorter than the header');
  assert.equal(decodePcmPacket(new ArrayBuffer(17)), undefined, 'half a sample');
  assert.equal(decodePcmPacket(new ArrayBuffer(16))?.samples.length, 0);
});
