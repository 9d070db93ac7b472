import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isAllowedNavigation, isTrustedSender } from '../../../main/electron/sender-check.ts';

test('only the app page, top frame, on the app protocol may use IPC', () => {
  assert.equal(isTrustedSender({ url: 'app://renderer/index.html', parent: null }), true);
  assert.equal(isTrustedSender({ url: 'app://renderer/', parent: null }), true);
  assert.equal(isTrustedSender({ url: 'app://renderer/index.html', parent: {} }), false, 'iframes are refused');
  for (const url of ['file:///work/out/renderer/index.html', 'https://renderer/index.html', 'app://evil/index.html', 'http://127.0.0.1:5173/', 'not a url', '']) {
    assert.equal(isTrustedSender({ url, parent: null }), false, url);
  }
  assert.equal(isTrustedSender(null), false);
  assert.equal(isTrustedSender(undefined), false);
  assert.equal(isAllowedNavigation('https://example.com'), false);
  assert.equal(isAllowedNavigation('app://renderer/index.html'), true);
});
