import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MILLIWATT_HZ, clippingSource, dtmfWithDropoutSource, frameBytes, speechSource, toneSource, MILLIWATT_PEAK } from '../../../main/sim/signal-generators.ts';
import { ClientFrameParser, OPCODE, acceptKey, encodeFrame } from '../../../main/sim/ws-server-frames.ts';
import { parseFault } from '../../../main/sim/sim-faults.ts';
import { measureLevels } from '../../../main/core/audio/levels.ts';
import { dominantFrequency } from '../../helpers/dominant-frequency.ts';

test('the milliwatt source is a 1004 Hz tone at the captured level', () => {
  const src = toneSource(MILLIWATT_HZ, MILLIWATT_PEAK);
  const pcm = Buffer.concat(Array.from({ length: 100 }, (_, i) => frameBytes(src(i)!)));
  assert.ok(Math.abs(dominantFrequency(pcm, 16000) - 1004) < 1);
  const l = measureLevels(pcm);
  assert.ok(Math.abs(l.peakDbfs - -2.31) < 0.1 && Math.abs(l.rmsDbfs - -5.3) < 1, JSON.stringify(l));
});

test('sources are deterministic, the DTMF line drops out, the hot line clips', () => {
  const a = speechSource({ f0: 200, seed: 1, peak: 12000, talking: () => true });
  assert.deepEqual(frameBytes(a(123)!), frameBytes(a(123)!));
  const dtmf = dtmfWithDropoutSource('1');
  const frames = Array.from({ length: 400 }, (_, i) => dtmf(i));
  assert.equal(frames.filter((f) => f === null).length, 100, '2 s of 8 s without frames');
  assert.ok(measureLevels(frameBytes(frames[0]!)).peakDbfs > -10);
  const hot = clippingSource(3);
  const clipped = Array.from({ length: 50 }, (_, i) => measureLevels(frameBytes(hot(i)!)).clipped).reduce((x, y) => x + y, 0);
  assert.ok(clipped > 100, `clipped samples ${clipped}`);
});

test('accept key matches RFC 6455 and frames round-trip through the parser', () => {
  assert.equal(acceptKey('dGhlIHNhbXBsZSBub25jZQ=='), 's3pPLMBiTxaQ9kYGzzhZRbK+xOo=');
  for (const len of [0, 125, 126, 640, 70000]) {
    const f = encodeFrame(OPCODE.binary, Buffer.alloc(len, 7));
    assert.equal(f.length, len + (len < 126 ? 2 : len < 65536 ? 4 : 10));
  }
  // A masked close frame from a client, split across two pushes.
  const mask = Buffer.from([1, 2, 3, 4]);
  const payload = Buffer.from([0x03, 0xe8]);
  const masked = Buffer.from(payload.map((b, i) => b ^ mask[i & 3]!));
  const frame = Buffer.concat([Buffer.from([0x88, 0x82]), mask, masked]);
  const p = new ClientFrameParser();
  assert.deepEqual(p.push(frame.subarray(0, 3)), []);
  const out = p.push(frame.subarray(3));
  assert.ok(Array.isArray(out));
  assert.equal(out[0]!.opcode, OPCODE.close);
  assert.equal(out[0]!.payload.readUInt16BE(0), 1000);
  assert.equal(new ClientFrameParser().push(Buffer.from([0x82, 0xff, 0, 0, 0, 0, 0, 2, 0, 0])), 'too-large');
});

test('fault specs parse and bad ones are refused', () => {
  assert.deepEqual(parseFault('stall:500@milliwatt'), { kind: 'stall', afterMs: 500, channel: 'milliwatt' });
  assert.deepEqual(parseFault('flood:2000'), { kind: 'flood', count: 2000 });
  assert.throws(() => parseFault('explode'), /Unknown fault/);
});
