import { test } from 'node:test';
import assert from 'node:assert/strict';
import { encodePcmPacket } from '../../../main/core/service/pcm-packet.ts';
import { decodePcmPacket } from '../../../preload/contract.ts';

test('the data-plane packet round-trips; malformed packets are dropped, not thrown', () => {
  const pcm = Buffer.from(new Int16Array([1, -2, 32767, -32768]).buffer);
  const packet = encodePcmPacket(7, 1, 1_795_600_000_123.5, pcm);
  const ab = new Uint8Array(packet).buffer;
  const p = decodePcmPacket(ab)!;
  assert.deepEqual({ tap: p.tapNumber, leg: p.leg, wall: p.wallClockMs, samples: [...p.samples] }, { tap: 7, leg: 1, wall: 1_795_600_000_123.5, samples: [1, -2, 32767, -32768] });
  assert.equal(decodePcmPacket(new ArrayBuffer(10)), undefined, 'shorter than the header');
  assert.equal(decodePcmPacket(new ArrayBuffer(17)), undefined, 'half a sample');
  assert.equal(decodePcmPacket(new ArrayBuffer(16))?.samples.length, 0);
});
