import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DisposableStore, toDisposable } from '../../../main/core/common/disposable.ts';
import { TypedEmitter } from '../../../main/core/common/typed-emitter.ts';

test('a store releases in reverse order, once, and releases late additions at once', () => {
  const order: string[] = [];
  const store = new DisposableStore();
  store.add(toDisposable(() => order.push('a')));
  store.add(toDisposable(() => order.push('b')));
  store.dispose();
  store.dispose();
  assert.deepEqual(order, ['b', 'a']);
  store.add(toDisposable(() => order.push('late')));
  assert.deepEqual(order, ['b', 'a', 'late']);
});

test('one failing release does not keep the others from running', () => {
  const ran: string[] = [];
  const store = new DisposableStore();
  store.add(toDisposable(() => ran.push('first')));
  store.add(toDisposable(() => {
    throw new Error('boom');
  }));
  assert.throws(() => store.dispose(), AggregateError);
  assert.deepEqual(ran, ['first']);
});

test('emitter listeners are released by their disposable', () => {
  const e = new TypedEmitter<{ ping: (n: number) => void }>();
  const got: number[] = [];
  const sub = e.on('ping', (n) => got.push(n));
  e.emit('ping', 1);
  sub.dispose();
  e.emit('ping', 2);
  assert.deepEqual(got, [1]);
});
