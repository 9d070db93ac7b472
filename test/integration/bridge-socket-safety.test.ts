import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { connect as tcpConnect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { openNodeEndpointStore } from '../../main/core/endpoints/node-endpoint-store.ts';
import { TapService } from '../../main/core/service/tap-service.ts';
import { WebHost } from '../../main/web/web-host.ts';
import { BRIDGE_LIMITS } from '../../main/web/bridge-socket.ts';
import { tempDir } from '../helpers/temp-dir.ts';
import { waitFor } from '../helpers/demo-pbx.ts';

interface Reply {
  id: number;
  ok: boolean;
  res?: unknown;
  error?: { code: string; message: string };
}

async function host(t: TestContext): Promise<WebHost> {
  const rendererDir = await mkdtemp(join(tmpdir(), 'renderer-'));
  t.after(() => import('node:fs/promises').then((fs) => fs.rm(rendererDir, { recursive: true, force: true })));
  await writeFile(join(rendererDir, 'index.html'), '<!doctype html><title>x</title>');
  const { store } = await openNodeEndpointStore(await tempDir(t));
  const service = new TapService({ store, recordingsDir: join(await tempDir(t), 'rec'), host: 'web', version: 'test' });
  await service.init();
  const web = new WebHost({ service, rendererDir });
  await web.start();
  t.after(async () => {
    await service.shutdown(0);
    service.dispose();
    await web.stop();
  });
  return web;
}

/** A bridge client that collects every text reply in order. */
async function connect(web: WebHost): Promise<{ ws: WebSocket; replies: Reply[]; closed: Promise<number> }> {
  const ws = new WebSocket(web.origin.replace('http', 'ws') + '/bridge', { headers: { Origin: web.origin, Cookie: `${web.cookieName}=${web.token}` } });
  const replies: Reply[] = [];
  ws.on('message', (d: Buffer, bin: boolean) => {
    if (bin) return;
    const m = JSON.parse(String(d)) as Reply & { event?: string };
    if (m.event === undefined) replies.push(m);
  });
  ws.on('error', () => undefined);
  const closed = new Promise<number>((r) => ws.on('close', (code) => r(code)));
  await new Promise((r) => ws.on('open', r));
  return { ws, replies, closed };
}

test('malformed messages answer bad-request with a message; the connection and the process stay up', async (t) => {
  const web = await host(t);
  const { ws, replies } = await connect(web);
  const bad: (string | Buffer)[] = ['null', '[]', '[1,2]', '42', '"text"', 'true', '{}', 'not json', '{"id":"x","channel":"app:info"}', '{"id":1}', '{"id":2,"channel":7}', '{"id":-3,"channel":"app:info"}'];
  for (const m of bad) ws.send(m);
  // Invalid UTF-8 in a text frame, and a binary frame (the browser never sends one).
  ws.send(Buffer.from([0x7b, 0xff, 0xfe, 0x7d]), { binary: false });
  ws.send(Buffer.from('{"id":9,"channel":"app:info"}'), { binary: true });
  ws.send(JSON.stringify({ id: 100, channel: 'app:info' }));
  await waitFor(() => replies.some((r) => r.id === 100), 'the good request after the bad ones');
  const errors = replies.filter((r) => r.id !== 100);
  assert.equal(errors.length, bad.length + 2, JSON.stringify(replies));
  for (const r of errors) {
    assert.equal(r.ok, false);
    assert.equal(r.error?.code, 'bad-request', JSON.stringify(r));
    assert.ok((r.error?.message.length ?? 0) > 10, JSON.stringify(r));
  }
  assert.match(errors.find((r) => /UTF-8/.test(r.error!.message))?.error?.message ?? '', /UTF-8/);
  assert.equal(replies.find((r) => r.id === 100)?.ok, true);
  ws.close();
});

test('a message over the limit is refused with a too-large reply; one far over it closes only that socket (1009)', async (t) => {
  const web = await host(t);
  const { ws, replies, closed } = await connect(web);
  ws.send(JSON.stringify({ id: 5, channel: 'app:info', req: 'x'.repeat(300 * 1024) }));
  ws.send(JSON.stringify({ id: 6, channel: 'app:info' }));
  await waitFor(() => replies.length === 2, 'two replies');
  assert.equal(replies[0]!.id, 5);
  assert.equal(replies[0]!.error?.code, 'too-large');
  assert.match(replies[0]!.error!.message, /KB/);
  assert.equal(replies[1]!.ok, true);
  ws.send('x'.repeat(8 * 1024 * 1024));
  assert.equal(await closed, 1009);
  // The host is still there for the next tab.
  const again = await connect(web);
  again.ws.send(JSON.stringify({ id: 1, channel: 'app:info' }));
  await waitFor(() => again.replies.length === 1, 'a reply on a new socket');
  assert.equal(again.replies[0]!.ok, true);
  again.ws.close();
});

test('a burst of requests is bounded: past the queue they are refused with busy, memory stays bounded', async (t) => {
  const web = await host(t);
  const { ws, replies } = await connect(web);
  const rssBefore = process.memoryUsage().rss;
  let peak = rssBefore;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 5);
  t.after(() => clearInterval(sampler));
  const N = 100_000;
  const text = (id: number): string => `{"id":${id},"channel":"recordings:list"}`;
  for (let i = 1; i <= N; i++) ws.send(text(i));
  await waitFor(() => replies.length === N, `${N} replies`, 120_000);
  clearInterval(sampler);
  const busy = replies.filter((r) => r.error?.code === 'busy');
  const ok = replies.filter((r) => r.ok);
  assert.equal(busy.length + ok.length, N);
  assert.ok(busy.length > 0, 'some requests were refused');
  assert.ok(ok.length > 0, 'some were answered');
  assert.match(busy[0]!.error!.message, /too many requests/i);
  assert.ok(peak - rssBefore < 512 * 1024 * 1024, `RSS grew by ${Math.round((peak - rssBefore) / 1048576)} MB`);
  ws.close();
});

test('a tab that stops reading its replies stops being served: replies in flight stay bounded, then everything is answered', async (t) => {
  const rendererDir = await mkdtemp(join(tmpdir(), 'renderer-'));
  t.after(() => rm(rendererDir, { recursive: true, force: true }));
  await writeFile(join(rendererDir, 'index.html'), '<!doctype html><title>x</title>');
  const { store } = await openNodeEndpointStore(await tempDir(t));
  // A long notice makes every app:info answer 200 KB, cheaply.
  const service = new TapService({ store, recordingsDir: join(await tempDir(t), 'rec'), host: 'web', version: 'test', notices: ['n'.repeat(200 * 1024)] });
  await service.init();
  let handled = 0;
  const handle = service.handle.bind(service);
  service.handle = ((channel: never, req: unknown) => {
    handled++;
    return handle(channel, req);
  }) as typeof service.handle;
  const web = new WebHost({ service, rendererDir });
  await web.start();
  t.after(async () => {
    service.dispose();
    await web.stop();
  });
  const { ws, replies } = await connect(web);
  const replyBytes = 200 * 1024 + 1024;
  // Stop reading (the tab's event loop is stuck), then ask for far more than fits in flight.
  const clientSocket = (ws as unknown as { _socket: { pause(): void; resume(): void } })._socket;
  clientSocket.pause();
  const N = 1000;
  for (let i = 1; i <= N; i++) ws.send(`{"id":${i},"channel":"app:info"}`);
  const server = [...(web as unknown as { wss: { clients: Set<{ bufferedAmount: number }> } }).wss.clients][0]!;
  let maxBuffered = 0;
  let stable = 0;
  let last = -1;
  // Until the host has stopped taking work (the count holds for 40 polls in a row).
  while (stable < 40) {
    await new Promise((r) => setTimeout(r, 25));
    maxBuffered = Math.max(maxBuffered, server.bufferedAmount);
    stable = handled === last ? stable + 1 : 0;
    last = handled;
  }
  assert.ok(handled < 200, `the host went on answering a tab that does not read: ${handled} of ${N} handled`);
  assert.ok(maxBuffered <= BRIDGE_LIMITS.maxPendingReplyBytes + (BRIDGE_LIMITS.concurrency + 1) * replyBytes, `${maxBuffered} bytes waited in the host`);
  clientSocket.resume();
  await waitFor(() => replies.length === N, `${N} replies once the tab reads again`, 120_000);
  assert.equal(replies.filter((r) => r.ok || r.error?.code === 'busy').length, N);
  ws.close();
});

test('a client that resets while its upgrade is being refused does not end the process', async (t) => {
  const web = await host(t);
  const port = Number(new URL(web.origin).port);
  // No token: the host answers 401 into a socket the client has already reset (ECONNRESET on write).
  for (let i = 0; i < 200; i++) {
    await new Promise<void>((resolve) => {
      const s = tcpConnect(port, '127.0.0.1', () => {
        s.write(`GET /bridge HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n`);
        s.resetAndDestroy();
        resolve();
      });
      s.on('error', () => resolve());
    });
  }
  const { ws, replies } = await connect(web);
  ws.send(JSON.stringify({ id: 1, channel: 'app:info' }));
  await waitFor(() => replies.length === 1, 'the host still answers');
  ws.close();
});
