import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { PcmAssembler } from '../../../main/core/tap/pcm-assembler.ts';

test('odd-length payloads carry their last byte into the next one', () => {
  const a = new PcmAssembler();
  assert.deepEqual([...a.push(Buffer.from([1, 2, 3]))], [1, 2]);
  assert.equal(a.pendingBytes, 1);
  assert.deepEqual([...a.push(Buffer.from([4, 5, 6]))], [3, 4, 5, 6]);
  assert.equal(a.pendingBytes, 0);
  assert.deepEqual([...a.push(Buffer.from([7]))], []);
  assert.equal(a.flush(), 1);
  assert.equal(a.pendingBytes, 0);
});

test('any split of a byte stream yields the same whole samples, and never holds more than one byte', () => {
  fc.assert(
    fc.property(fc.uint8Array({ minLength: 0, maxLength: 2000 }), fc.array(fc.nat(2000), { maxLength: 20 }), (bytes, cuts) => {
      const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((x, y) => x - y);
      const a = new PcmAssembler();
      const out: Buffer[] = [];
      let prev = 0;
      for (const p of [...points, bytes.length]) {
        const piece = a.push(Buffer.from(bytes.subarray(prev, p)));
        assert.equal(piece.length % 2, 0);
        assert.ok(a.pendingBytes <= 1);
        out.push(piece);
        prev = p;
      }
      const joined = Buffer.concat(out);
      assert.deepEqual(joined, Buffer.from(bytes.subarray(0, bytes.length - (bytes.length % 2))));
    }),
  );
});
