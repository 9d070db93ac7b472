import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ERROR_CODES, isErrorCode } from '../../../preload/error-codes.ts';
import { toBridgeError } from '../../../main/core/service/bridge-error.ts';
import { CodedError } from '../../../main/core/common/coded-error.ts';

test('the error-code registry lists each code once; HTTP statuses are codes of their own form', () => {
  assert.equal(new Set(ERROR_CODES).size, ERROR_CODES.length);
  assert.ok(ERROR_CODES.every((c) => /^[a-z]+(-[a-z]+)*$/.test(c)), 'kebab-case words');
  assert.ok(isErrorCode('replay-save-failed') && isErrorCode('http-404') && isErrorCode('ari-http-503'));
  assert.ok(!isErrorCode('nope') && !isErrorCode('http-') && !isErrorCode(42));
});

test('a coded error crosses the bridge with its registered code; anything else is "internal"', () => {
  assert.deepEqual(toBridgeError(new CodedError('tap-not-found', 'gone')), { code: 'tap-not-found', message: 'gone' });
  const other = toBridgeError(new Error('boom'));
  assert.equal(other.code, 'internal');
  assert.ok(isErrorCode(other.code));
});
