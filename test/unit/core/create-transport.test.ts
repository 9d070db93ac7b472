import { test } from 'node:test';
import assert from 'node:assert/strict';
import { offersChanWebsocket, resolveTransport } from '../../../main/core/tap/create-transport.ts';

test('chan_websocket external media exists from 20.16, 21.11, 22.6 and 23', () => {
  for (const v of ['20.16.0', '21.11.1', '22.6.0', '23.4.1', '24.0.0']) assert.equal(offersChanWebsocket(v), true, v);
  for (const v of ['20.15.2', '21.10.0', '22.5.9', '18.26.0', '', 'GIT-master']) assert.equal(offersChanWebsocket(v), false, v);
});

test('an explicit choice is kept; auto without ARI is stream-channel', async () => {
  assert.equal(await resolveTransport({ choice: 'ari-media', channel: 'x' }), 'ari-media');
  assert.equal(await resolveTransport({ choice: 'auto', channel: 'x', stream: { url: 'ws://h/ws' } }), 'stream-channel');
});
