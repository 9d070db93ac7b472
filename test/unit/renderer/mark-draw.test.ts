import { test } from 'node:test';
import assert from 'node:assert/strict';
import { covers, firstColumnOf, markAt } from '../../../renderer/live/mark-draw.ts';
import type { MarkSpec } from '../../../renderer/live/live-protocol.ts';

const mark = (startedAt: number, endedAt: number | null, message = 'm'): MarkSpec => ({ key: message, kind: 'silence', severity: 'warning', startedAt, endedAt, message });

test('marks are placed by the columns own times: a mark before a pause is found where its band is', () => {
  const colMs = 10;
  // 20 columns: 10 of audio ending at 1010..1100, then a 3 s hold, then 10 more ending at 4110..4200.
  const times = Float64Array.from({ length: 20 }, (_, x) => (x < 10 ? 1010 + x * 10 : 4110 + (x - 10) * 10));
  const before = mark(1045, 1075, 'before the hold');
  assert.equal(firstColumnOf(before, times, colMs), 4, 'the column (1040, 1050] holds its start');
  assert.equal(markAt(4, times, colMs, [before]), 'before the hold');
  assert.equal(markAt(12, times, colMs, [before]), null, 'not over the audio after the hold');
  // An even clock would have put it off the picture (3 s before the right edge, 20 columns = 200 ms).
  const growing = mark(4150, null, 'growing');
  assert.equal(firstColumnOf(growing, times, colMs), 14);
  assert.ok(covers(growing, times[19]!, colMs));
  assert.equal(firstColumnOf(mark(5000, null), times, colMs), -1, 'not yet in the picture');
  assert.equal(firstColumnOf(mark(0, 900), times, colMs), -1, 'ended before it');
  assert.equal(firstColumnOf(mark(1000, null), new Float64Array(20), colMs), -1, 'no audio, no mark');
});
