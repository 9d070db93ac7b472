import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readWav } from '../../../main/core/audio/wav-reader.ts';
import { SILENCE_DBFS, measureLevels } from '../../../main/core/audio/levels.ts';

const MILLIWATT = new URL('../../fixtures/conformance/stream_h_leg2_name_5s.wav', import.meta.url).pathname;

test("Asterisk's captured Milliwatt measures peak -2.3 dBFS and RMS -6.0 dBFS", async () => {
  const wav = await readWav(MILLIWATT);
  const l = measureLevels(wav.data);
  assert.ok(Math.abs(l.peakDbfs - -2.31) < 0.05, `peak ${l.peakDbfs}`);
  assert.ok(Math.abs(l.rmsDbfs - -5.99) < 0.05, `rms ${l.rmsDbfs}`);
  assert.equal(l.clipped, 0);
});

test('silence is the floor, full scale is 0 dBFS and counts as clipping', () => {
  assert.equal(measureLevels(Buffer.alloc(640)).peakDbfs, SILENCE_DBFS);
  const loud = Buffer.alloc(4);
  loud.writeInt16LE(32767, 0);
  loud.writeInt16LE(-32768, 2);
  const l = measureLevels(loud);
  assert.ok(Math.abs(l.peakDbfs) < 0.001);
  assert.equal(l.clipped, 2);
  assert.equal(measureLevels(Buffer.alloc(1)).peakDbfs, SILENCE_DBFS);
});
