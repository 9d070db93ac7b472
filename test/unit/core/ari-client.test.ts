import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { AriClient, parseAriChannel } from '../../../main/core/ari/ari-client.ts';
import { groupCalls } from '../../../main/core/ari/group-calls.ts';

const code = (c: string) => (e: unknown) => (e as { code?: string }).code === c;

async function server(t: TestContext, handler: Parameters<typeof createServer>[1]): Promise<string> {
  const s = createServer(handler);
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  t.after(() => new Promise<void>((r) => s.close(() => r())));
  return `http://127.0.0.1:${(s.address() as { port: number }).port}`;
}

test('bad URLs are refused before any request', () => {
  assert.throws(() => new AriClient({ url: 'pbx', user: 'u', password: 'p' }), code('ari-invalid-url'));
  assert.throws(() => new AriClient({ url: 'ws://pbx:8088/ari', user: 'u', password: 'p' }), code('ari-invalid-url'));
});

test('each failure has its own code and a sentence', async (t) => {
  const base = await server(t, (req, res) => {
    if (req.url === '/ari/channels' && req.headers.authorization === `Basic ${Buffer.from('u:p').toString('base64')}`) res.end('not json');
    else if (req.url === '/ari/bridges') res.writeHead(500).end();
    else if (req.url?.startsWith('/ari/channels/')) res.writeHead(404).end('{"message":"Channel not found"}');
    else res.writeHead(401).end('{"message":"Authentication required"}');
  });
  await assert.rejects(new AriClient({ url: base, user: 'u', password: 'wrong' }).channels(), code('ari-unauthorized'));
  const ari = new AriClient({ url: `${base}/ari/`, user: 'u', password: 'p' });
  await assert.rejects(ari.channels(), (e: unknown) => code('ari-bad-response')(e) && /not JSON/.test((e as Error).message));
  await assert.rejects(ari.bridges(), code('ari-http-500'));
  await assert.rejects(ari.channel('PJSIP/a-1'), (e: unknown) => code('ari-not-found')(e) && /uniqueid/.test((e as Error).message));
  const closed = await new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => resolve(p));
    });
  });
  await assert.rejects(new AriClient({ url: `http://127.0.0.1:${closed}/ari`, user: 'u', password: 'p' }).channels(), (e: unknown) => code('ari-unreachable')(e) && /http\.conf/.test((e as Error).message));
  const slow = await server(t, () => undefined);
  await assert.rejects(new AriClient({ url: slow, user: 'u', password: 'p', timeoutMs: 100 }).channels(), code('ari-timeout'));
});

test('channel JSON is validated; bridges group legs into calls', () => {
  assert.throws(() => parseAriChannel({ name: 'x' }), code('ari-bad-response'));
  const ch = parseAriChannel({ id: '1.0', name: 'PJSIP/a-1', caller: { name: 'A', number: 7 } });
  assert.deepEqual(ch.caller, { name: 'A', number: '' });
  const a = parseAriChannel({ id: '1', name: 'a' });
  const b = parseAriChannel({ id: '2', name: 'b' });
  const c = parseAriChannel({ id: '3', name: 'c' });
  assert.deepEqual(groupCalls([a, b, c], [{ id: 'br', bridge_type: 'mixing', channels: ['2', '1', 'gone'] }]).map((call) => call.map((l) => l.id)), [['2', '1'], ['3']]);
});
