import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'node:http';
import WebSocket from 'ws';
import { openNodeEndpointStore } from '../../main/core/endpoints/node-endpoint-store.ts';
import { TapService } from '../../main/core/service/tap-service.ts';
import { WebHost, listenAddresses } from '../../main/web/web-host.ts';
import { tempDir } from '../helpers/temp-dir.ts';
import { startPbx, waitFor } from '../helpers/demo-pbx.ts';

async function host(t: TestContext, demo?: { wsUrl: string; ariUrl: string }): Promise<WebHost> {
  const rendererDir = await mkdtemp(join(tmpdir(), 'renderer-'));
  await writeFile(join(rendererDir, 'index.html'), '<!doctype html><title>x</title>');
  const { store } = await openNodeEndpointStore(await tempDir(t));
  const service = new TapService({ store, recordingsDir: join(await tempDir(t), 'rec'), host: 'web', version: 'test', ...(demo ? { demo: { ...demo, ariUser: 'demo', ariPassword: 'demo' } } : {}) });
  const web = new WebHost({ service, rendererDir });
  await web.start();
  t.after(async () => {
    await service.shutdown(0);
    service.dispose();
    await web.stop();
  });
  return web;
}

function upgrade(url: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, { headers });
    ws.on('open', () => {
      ws.close();
      resolve(101);
    });
    ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    ws.on('error', () => undefined);
  });
}

test('requests need the token (query once, then the cookie); the Host must be this server', async (t) => {
  const web = await host(t);
  assert.equal((await fetch(`${web.origin}/`)).status, 401);
  assert.equal((await fetch(`${web.origin}/?token=wrong`)).status, 401);
  const first = await fetch(web.url, { redirect: 'manual' });
  assert.equal(first.status, 303);
  const cookie = first.headers.get('set-cookie')!;
  assert.match(cookie, /HttpOnly; SameSite=Strict/);
  // Browsers send a host's cookies to all its ports: the name carries this server's port.
  assert.ok(cookie.startsWith(`tap_token_${new URL(web.origin).port}=`), cookie);
  assert.equal((await fetch(`${web.origin}/`, { headers: { cookie: `tap_token=${web.token}` } })).status, 401, 'the port-less name of other instances is not accepted');
  const page = await fetch(`${web.origin}/`, { headers: { cookie: cookie.split(';')[0]! } });
  assert.equal(page.status, 200);
  assert.match(page.headers.get('content-security-policy') ?? '', /script-src 'self'/);
  // Cross-origin isolated, so the page may share memory with its audio worklets.
  assert.equal(page.headers.get('cross-origin-opener-policy'), 'same-origin');
  assert.equal(page.headers.get('cross-origin-embedder-policy'), 'require-corp');
  assert.equal((await fetch(`${web.origin}/../../etc/passwd`, { headers: { cookie: cookie.split(';')[0]! } })).status, 404);
  // fetch drops a custom Host header, so ask with http.request as a rebinding page would arrive.
  const status = await new Promise<number>((resolve) => {
    request(`${web.origin}/`, { headers: { cookie: cookie.split(';')[0]!, host: 'attacker.example' } }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    }).end();
  });
  assert.equal(status, 421);
});

test('the bridge and audio sockets need the token and this page as Origin', async (t) => {
  const web = await host(t);
  const origin = web.origin;
  for (const path of ['/bridge', '/pcm']) {
    const ws = web.origin.replace('http', 'ws') + path;
    assert.equal(await upgrade(ws, { Origin: origin }), 401, path);
    assert.equal(await upgrade(ws, { Origin: 'http://evil.example', Cookie: `${web.cookieName}=${web.token}` }), 403, path);
    assert.equal(await upgrade(ws, { Cookie: `${web.cookieName}=${web.token}` }), 403, path);
    assert.equal(await upgrade(ws, { Origin: origin, Cookie: `${web.cookieName}=${web.token}` }), 101, path);
  }
  assert.equal(await upgrade(web.origin.replace('http', 'ws') + '/other', { Origin: origin, Cookie: `${web.cookieName}=${web.token}` }), 404);
});

test('over the sockets: requests are validated, errors keep their code; PCM arrives as binary on the audio socket only, which ignores what a page sends on it', async (t) => {
  const pbx = await startPbx(t);
  const web = await host(t, { wsUrl: pbx.wsUrl, ariUrl: pbx.ariUrl });
  const headers = { Origin: web.origin, Cookie: `${web.cookieName}=${web.token}` };
  const ws = new WebSocket(web.origin.replace('http', 'ws') + '/bridge', { headers });
  const pcmWs = new WebSocket(web.origin.replace('http', 'ws') + '/pcm', { headers });
  const replies = new Map<number, { ok: boolean; res?: unknown; error?: { code: string; message: string } }>();
  let pcmBytes = 0;
  const packetBytes: number[] = [];
  let binaryOnBridge = 0;
  let textOnPcm = 0;
  ws.on('message', (data: Buffer, isBinary: boolean) => {
    if (isBinary) binaryOnBridge++;
    else {
      const m = JSON.parse(String(data)) as { id?: number };
      if (m.id !== undefined) replies.set(m.id, m as never);
    }
  });
  pcmWs.on('message', (data: Buffer, isBinary: boolean) => {
    if (isBinary) {
      pcmBytes += data.length - 16;
      packetBytes.push(data.length - 16);
    } else textOnPcm++;
  });
  await Promise.all([new Promise((r) => ws.on('open', r)), new Promise((r) => pcmWs.on('open', r))]);
  // A page has nothing to say on the audio socket: text, binary and junk are ignored, the socket stays.
  pcmWs.send('{"id":1,"channel":"app:info"}');
  pcmWs.send(Buffer.from([0xff, 0x00, 0x13]), { binary: true });
  const call = async (id: number, channel: string, req?: unknown) => {
    ws.send(JSON.stringify({ id, channel, req }));
    await waitFor(() => replies.has(id), `reply ${id}`);
    return replies.get(id)!;
  };
  assert.equal((await call(1, 'nope:nope')).error?.code, 'bad-request');
  assert.equal((await call(2, 'tap:open', { endpointId: 'x', channels: 'not a list' })).error?.code, 'bad-request');
  assert.equal((await call(3, 'tap:stop', { tapId: 'missing' })).error?.code, 'tap-not-found');
  const saved = await call(4, 'endpoints:save', { name: '', wsUrl: 'x', headers: {}, allowSelfSigned: false });
  assert.equal(saved.error?.code, 'endpoint-invalid');
  const eps = (await call(5, 'endpoints:list')).res as { id: string; builtin: boolean }[];
  assert.equal(eps[0]?.builtin, true);
  const mw = pbx.channelByPrefix('Local/milliwatt@')!.json.name;
  const tap = (await call(6, 'tap:open', { endpointId: eps[0]!.id, channels: [mw] })).res as { id: string; number: number };
  await waitFor(() => pcmBytes >= 6400, 'PCM on the audio socket');
  assert.ok(packetBytes.every((n) => n === 640), 'a tap the page has not named comes frame by frame');
  // The page only shows this tap: its audio comes in pieces of about 40 ms, nothing lost.
  pcmWs.send(JSON.stringify({ heard: [], shown: [tap.number] }));
  await waitFor(() => packetBytes.length > 0 && packetBytes.at(-1)! > 640, 'merged packets');
  const from = pcmBytes;
  packetBytes.length = 0;
  await waitFor(() => packetBytes.length >= 10, 'ten packets');
  assert.ok(packetBytes.filter((n) => n > 640).length >= 8, `mostly merged: ${packetBytes.join(',')}`);
  assert.ok(packetBytes.every((n) => n % 640 === 0), 'whole frames');
  // Heard: frame by frame again.
  pcmWs.send(JSON.stringify({ heard: [tap.number], shown: [tap.number] }));
  await waitFor(() => pcmBytes > from, 'audio goes on');
  await new Promise((r) => setTimeout(r, 300));
  packetBytes.length = 0;
  await waitFor(() => packetBytes.length >= 10, 'ten more packets');
  assert.ok(packetBytes.every((n) => n === 640), `heard: frame by frame (${packetBytes.join(',')})`);
  assert.equal(binaryOnBridge, 0, 'no PCM on the control socket');
  assert.equal(textOnPcm, 0, 'nothing but PCM on the audio socket');
  assert.equal(pcmWs.readyState, WebSocket.OPEN, 'what the page sent did not close its audio socket');
  await call(7, 'tap:stop', { tapId: tap.id });
  assert.equal(pbx.counters.clientFirstCloses, 0, 'stopping a tap never closes the stream-channel socket');
  assert.equal(pbx.listenerCount(pbx.findChannel(mw)!.json.id), 1, 'still draining');
  ws.close();
  pcmWs.close();
});

test('--host 0.0.0.0: a usable URL per interface address, and the Host header of each is accepted (a name still gets 421)', async (t) => {
  const rendererDir = await mkdtemp(join(tmpdir(), 'renderer-'));
  await writeFile(join(rendererDir, 'index.html'), '<!doctype html><title>x</title>');
  const { store } = await openNodeEndpointStore(await tempDir(t));
  const service = new TapService({ store, recordingsDir: join(await tempDir(t), 'rec'), host: 'web', version: 'test' });
  const web = new WebHost({ service, rendererDir, host: '0.0.0.0' });
  await web.start();
  t.after(async () => {
    service.dispose();
    await web.stop();
  });
  const port = new URL(web.origin).port;
  const v4 = Object.values(networkInterfaces()).flatMap((l) => l ?? []).filter((a) => a.family === 'IPv4').map((a) => a.address);
  assert.equal(web.url, `http://127.0.0.1:${port}/?token=${web.token}`, 'loopback first');
  assert.deepEqual(web.urls.map((u) => new URL(u).hostname).sort(), [...v4].sort());
  assert.ok(!web.urls.some((u) => u.includes('0.0.0.0')));
  const statusWithHost = (host: string) =>
    new Promise<number>((resolve) => {
      request(`http://127.0.0.1:${port}/`, { headers: { host } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      }).end();
    });
  for (const a of v4) assert.equal(await statusWithHost(`${a}:${port}`), 401, a);
  assert.equal(await statusWithHost(`attacker.example:${port}`), 421);
  assert.deepEqual(listenAddresses('::', { lo: [{ address: '::1', family: 'IPv6', internal: true } as never], eth0: [{ address: '192.0.2.2', family: 'IPv4', internal: false } as never, { address: 'fe80::1', family: 'IPv6', internal: false } as never] }), ['[::1]', '192.0.2.2']);
});
