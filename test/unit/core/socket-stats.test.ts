import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SocketStats } from '../../../main/core/tap/socket-stats.ts';
import { ArrivalRecorder } from '../../../main/core/tap/arrival-stats.ts';

test('counts frames, bytes, first-frame time and gaps over 40 ms', () => {
  const s = new SocketStats();
  s.recordFrame(640, 114, 100);
  s.recordFrame(640, 134, 100);
  s.recordFrame(640, 174.5, 100); // 40.5 ms gap
  s.recordFrame(640, 214.5, 100); // exactly 40: not a gap
  s.recordFrame(333, 215, 100);
  const snap = s.snapshot();
  assert.equal(snap.frames, 5);
  assert.equal(snap.bytes, 640 * 4 + 333);
  assert.equal(snap.firstFrameMs, 14);
  assert.equal(snap.gaps, 1);
  assert.equal(snap.maxGapMs, 40.5);
  assert.deepEqual(snap.sizes, { '640': 4, '333': 1 });
});

test('distinct frame sizes are bounded so a hostile stream cannot grow the map', () => {
  const s = new SocketStats();
  for (let i = 1; i <= 1000; i++) s.recordFrame(i * 2, i, 0);
  const sizes = s.snapshot().sizes;
  assert.ok(Object.keys(sizes).length <= 33);
  assert.equal(Object.values(sizes).reduce((a, b) => a + b, 0), 1000);
});

test('arrival summary has the capture statistics and a bounded memory', () => {
  const r = new ArrivalRecorder(100);
  assert.equal(r.summary(), null);
  for (let i = 0; i <= 500; i++) r.record(i * 20);
  const sum = r.summary()!;
  assert.equal(sum.n, 100);
  assert.equal(sum.median, 20);
  assert.equal(sum.max, 20);
});
