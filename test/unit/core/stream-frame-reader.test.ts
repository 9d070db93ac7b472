import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { StreamFrameReader, type FrameViolation } from '../../../main/core/tap/stream-frame-reader.ts';
import { OPCODE, encodeFrame } from '../../../main/sim/ws-server-frames.ts';

function collect() {
  const got = { binary: [] as Buffer[], closes: [] as number[], pings: [] as string[], violations: [] as FrameViolation[] };
  const sink = {
    binary: (d: Buffer) => got.binary.push(Buffer.from(d)),
    close: (c: number) => got.closes.push(c),
    ping: (p: Buffer) => got.pings.push(p.toString()),
    violation: (k: FrameViolation) => got.violations.push(k),
  };
  return { got, sink };
}

function fragmented(payload: Buffer): Buffer {
  const a = encodeFrame(OPCODE.binary, payload.subarray(0, 100));
  a[0] = a[0]! & 0x7f; // not FIN
  const ping = encodeFrame(OPCODE.ping, Buffer.from('p'));
  const b = encodeFrame(0x0, payload.subarray(100));
  return Buffer.concat([a, ping, b]);
}

const STREAM = Buffer.concat([
  encodeFrame(OPCODE.binary, Buffer.alloc(640, 1)),
  encodeFrame(OPCODE.binary, Buffer.alloc(70_000, 2)), // over the limit: skipped
  encodeFrame(OPCODE.text, Buffer.from('hello')), // reported, skipped
  fragmented(Buffer.alloc(640, 3)),
  Buffer.from([0xc2, 2, 9, 9]), // RSV1: skipped
  encodeFrame(OPCODE.binary, Buffer.alloc(640, 4)),
  encodeFrame(OPCODE.close, Buffer.from([0x03, 0xe8])),
]);

function expected(got: ReturnType<typeof collect>['got']): void {
  assert.deepEqual(got.binary.map((b) => [b.length, b[0]]), [[640, 1], [640, 3], [640, 4]]);
  assert.deepEqual(got.pings, ['p']);
  assert.deepEqual(got.closes, [1000]);
  assert.deepEqual(got.violations, ['oversize', 'text', 'rsv']);
}

test('frames split anywhere give the same messages; violations are reported once and skipped', () => {
  fc.assert(
    fc.property(fc.array(fc.integer({ min: 1, max: STREAM.length - 1 }), { maxLength: 12 }), (cuts) => {
      const { got, sink } = collect();
      const reader = new StreamFrameReader(sink, 64 * 1024);
      const points = [0, ...[...new Set(cuts)].sort((a, b) => a - b), STREAM.length];
      for (let i = 1; i < points.length; i++) reader.push(STREAM.subarray(points[i - 1]!, points[i]!));
      expected(got);
    }),
    { numRuns: 200 },
  );
});

test('a snapshot taken at any byte and restored elsewhere continues exactly (the drain hand-off)', () => {
  for (let cut = 1; cut < STREAM.length; cut += 97) {
    const { got, sink } = collect();
    const first = new StreamFrameReader(sink, 64 * 1024);
    first.push(STREAM.subarray(0, cut));
    const state = JSON.parse(JSON.stringify(first.snapshot())) as ReturnType<StreamFrameReader['snapshot']>;
    StreamFrameReader.restore(sink, 64 * 1024, state).push(STREAM.subarray(cut));
    expected(got);
  }
});

test('a masked server frame is reported and still read', () => {
  const { got, sink } = collect();
  const mask = Buffer.from([1, 2, 3, 4]);
  const payload = Buffer.from([10, 20, 30, 40, 50]);
  const masked = Buffer.from(payload.map((b, i) => b ^ mask[i & 3]!));
  new StreamFrameReader(sink, 1024).push(Buffer.concat([Buffer.from([0x82, 0x80 | 5]), mask, masked]));
  assert.deepEqual(got.violations, ['masked']);
  assert.deepEqual([...got.binary[0]!], [...payload]);
});
