import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseWsUrl } from '../../../main/core/tap/ws-url.ts';
import { TapError, describeTapReason } from '../../../main/core/tap/tap-reasons.ts';

test('accepts ws and wss, maps pasted http(s) to ws(s)', () => {
  assert.equal(parseWsUrl('ws://pbx:8088/ws').href, 'ws://pbx:8088/ws');
  assert.equal(parseWsUrl(' wss://pbx:8089/ws ').protocol, 'wss:');
  assert.equal(parseWsUrl('http://pbx:8088/ws').protocol, 'ws:');
  assert.equal(parseWsUrl('https://pbx/ws').protocol, 'wss:');
});

test('rejects what is not a websocket URL with invalid-url', () => {
  for (const bad of ['', 'pbx:8088', 'ftp://pbx/ws', 'ws://', 'not a url', 'ws://user:pw@pbx/ws']) {
    assert.throws(() => parseWsUrl(bad), (err: unknown) => err instanceof TapError && err.code === 'invalid-url', bad);
  }
});

test('every reason has a sentence; 400 explains the missing module', () => {
  assert.match(describeTapReason('http-400', { url: 'ws://x/ws' }), /res_ari_stream/);
  assert.match(describeTapReason('channel-not-found', { channel: 'PJSIP/a' }), /does not exist/);
  assert.match(describeTapReason('refused', { url: 'ws://x/ws' }), /http\.conf/);
  assert.match(describeTapReason('http-503'), /503/);
});
