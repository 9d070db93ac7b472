import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseRange } from '../../../main/core/service/http-range.ts';

test('range requests: the forms media elements send', () => {
  assert.equal(parseRange(undefined, 100), undefined);
  assert.deepEqual(parseRange('bytes=0-', 100), { start: 0, end: 99 });
  assert.deepEqual(parseRange('bytes=10-19', 100), { start: 10, end: 19 });
  assert.deepEqual(parseRange('bytes=90-500', 100), { start: 90, end: 99 });
  assert.deepEqual(parseRange('bytes=-10', 100), { start: 90, end: 99 });
  assert.deepEqual(parseRange('bytes=-500', 100), { start: 0, end: 99 });
  assert.equal(parseRange('bytes=100-', 100), 'unsatisfiable');
  assert.equal(parseRange('bytes=20-10', 100), 'unsatisfiable');
  assert.equal(parseRange('bytes=-0', 100), 'unsatisfiable');
  // Several ranges or another unit: answered whole, which HTTP allows.
  assert.equal(parseRange('bytes=0-1,5-6', 100), undefined);
  assert.equal(parseRange('items=0-1', 100), undefined);
});

test('range requests: any satisfiable answer lies inside the file', () => {
  fc.assert(
    fc.property(fc.nat(1e9), fc.option(fc.nat(2e9)), fc.option(fc.nat(2e9)), (size, a, b) => {
      const r = parseRange(`bytes=${a ?? ''}-${b ?? ''}`, size);
      if (r === undefined || r === 'unsatisfiable') return;
      assert.ok(r.start >= 0 && r.start <= r.end && r.end < size);
    }),
  );
});
