import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { offersChanWebsocket, resolveTransport } from '../../../main/core/tap/create-transport.ts';

test('chan_websocket external media exists from 20.16, 21.11, 22.6 and 23', () => {
  for (const v of ['20.16.0', '21.11.1', '22.6.0', '23.4.1', '24.0.0']) assert.equal(offersChanWebsocket(v), true, v);
  for (const v of ['20.15.2', '21.10.0', '22.5.9', '18.26.0', '', 'GIT-master']) assert.equal(offersChanWebsocket(v), false, v);
});

test('an explicit choice is kept; auto without ARI is stream-channel', async () => {
  assert.equal(await resolveTransport({ choice: 'ari-media', channel: 'x' }), 'ari-media');
  assert.equal(await resolveTransport({ choice: 'auto', channel: 'x', stream: { url: 'ws://h/ws' } }), 'stream-channel');
});

/** A fake ARI answering the modules route (or not) and /asterisk/info with a version. */
async function fakeAri(t: TestContext, modules: Record<string, number>, version: string): Promise<string> {
  const s = createServer((req, res) => {
    const m = /^\/ari\/asterisk\/modules\/(.+)$/.exec(req.url ?? '');
    if (m) {
      const status = modules[m[1]!] ?? 404;
      res.writeHead(status, { 'Content-Type': 'application/json' }).end(status === 200 ? JSON.stringify({ name: m[1], status: 'Running' }) : '{"message":"Module could not be found in running modules"}');
    } else if (req.url === '/ari/asterisk/info') res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ system: { version } }));
    else res.writeHead(404).end();
  });
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  t.after(() => new Promise<void>((r) => s.close(() => r())));
  return `http://127.0.0.1:${(s.address() as { port: number }).port}/ari`;
}

test('auto asks ARI whether chan_websocket.so is loaded; the version decides only where that route gives no answer', async (t) => {
  const auto = (url: string) => resolveTransport({ choice: 'auto', channel: 'x', stream: { url: 'ws://h/ws' }, ari: { url, user: 'u', password: 'p' } });
  assert.equal(await auto(await fakeAri(t, { 'chan_websocket.so': 200 }, '23.4.1')), 'ari-media');
  assert.equal(await auto(await fakeAri(t, { 'res_ari_stream.so': 200 }, '23.4.1')), 'stream-channel', 'Asterisk 23 without chan_websocket loaded');
  assert.equal(await auto(await fakeAri(t, { 'chan_websocket.so': 403 }, '22.6.0')), 'ari-media', 'no answer: 22.6 has it');
  assert.equal(await auto(await fakeAri(t, { 'chan_websocket.so': 403 }, '20.10.0')), 'stream-channel');
});
