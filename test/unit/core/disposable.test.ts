import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TypedEmitter } from '../../../main/core/common/typed-emitter.ts';

test('emitter listeners are released by their disposable', () => {
  const e = new TypedEmitter<{ ping: (n: number) => void }>();
  const got: number[] = [];
  const sub = e.on('ping', (n) => got.push(n));
  e.emit('ping', 1);
  sub.dispose();
  e.emit('ping', 2);
  assert.deepEqual(got, [1]);
});
