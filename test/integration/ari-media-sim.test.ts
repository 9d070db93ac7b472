/**
 * The demo PBX's stock-Asterisk side (part B of the conformance captures): external media over
 * chan_websocket, snoop, stasis bridges, the 30 s window, MEDIA_START, and what happens at hangup.
 */
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import WebSocket from 'ws';
import type { DemoPbx } from '../../main/sim/demo-pbx.ts';
import { startPbx, waitFor } from '../helpers/demo-pbx.ts';
import { dominantFrequency } from '../helpers/dominant-frequency.ts';

const fixture = (name: string): Record<string, unknown> => JSON.parse(readFileSync(new URL(`../fixtures/conformance/${name}`, import.meta.url), 'utf8')) as Record<string, unknown>;
const AUTH = { Authorization: `Basic ${Buffer.from('demo:demo').toString('base64')}` };

async function ari(pbx: DemoPbx, method: string, path: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${pbx.ariUrl}${path}`, { method, headers: AUTH });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

interface MediaConn {
  ws: WebSocket;
  texts: string[];
  binary: Buffer[];
  closed: { code: number } | undefined;
}

function connectMedia(pbx: DemoPbx, connectionId: string): Promise<MediaConn | number> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`${pbx.wsUrl.replace('/ws', '')}/media/${connectionId}`);
    const conn: MediaConn = { ws, texts: [], binary: [], closed: undefined };
    ws.on('message', (d: Buffer, bin: boolean) => (bin ? conn.binary.push(d) : conn.texts.push(String(d))));
    ws.on('close', (code) => (conn.closed = { code }));
    ws.on('open', () => resolve(conn));
    ws.on('unexpected-response', (_q, res) => resolve(res.statusCode ?? 0));
    ws.on('error', () => undefined);
  });
}

async function tapSetup(t: TestContext, pbx: DemoPbx, target: string, spy: string, extra = ''): Promise<{ ext: Record<string, unknown>; snoop: Record<string, unknown>; bridge: Record<string, unknown>; conn: MediaConn }> {
  const ext = (await ari(pbx, 'POST', `/channels/externalMedia?app=tap&transport=websocket&encapsulation=none&connection_type=server&format=slin16${extra}`)).body;
  const id = (ext['channelvars'] as Record<string, string>)['MEDIA_WEBSOCKET_CONNECTION_ID']!;
  const conn = (await connectMedia(pbx, id)) as MediaConn;
  t.after(() => conn.ws.terminate());
  const snoop = (await ari(pbx, 'POST', `/channels/${target}/snoop?spy=${spy}&whisper=none&app=tap`)).body;
  const bridge = (await ari(pbx, 'POST', '/bridges?type=mixing&name=asterisk-tap-test')).body;
  assert.equal((await ari(pbx, 'POST', `/bridges/${bridge['id'] as string}/addChannel?channel=${snoop['id'] as string},${ext['id'] as string}`)).status, 204);
  return { ext, snoop, bridge, conn };
}

test('externalMedia: 200, state Down, connection id and frame size in channelvars, shaped as captured', async (t) => {
  const pbx = await startPbx(t);
  for (const [format, size] of [['slin16', '640'], ['ulaw', '160']]) {
    const r = await ari(pbx, 'POST', `/channels/externalMedia?app=tap&transport=websocket&encapsulation=none&connection_type=server&format=${format}`);
    assert.equal(r.status, 200);
    const captured = (fixture('ari_externalMedia_response.json')['body']) as Record<string, unknown>;
    assert.deepEqual(Object.keys(r.body).sort(), Object.keys(captured).sort());
    assert.equal(r.body['state'], 'Down');
    assert.match(String(r.body['name']), /^WebSocket\/INCOMING\/0x[0-9a-f]+$/);
    const vars = r.body['channelvars'] as Record<string, string>;
    assert.match(vars['MEDIA_WEBSOCKET_CONNECTION_ID']!, /^[0-9a-f-]{36}$/);
    assert.equal(vars['MEDIA_WEBSOCKET_OPTIMAL_FRAME_SIZE'], size);
  }
  assert.equal((await ari(pbx, 'POST', '/channels/externalMedia?app=tap&transport=udp&format=slin16')).status, 400);
});

test('/media: unknown id 404 with the captured page, second client 409, MEDIA_START first, GET_STATUS answered', async (t) => {
  const pbx = await startPbx(t);
  const bogus = await new Promise<{ status: number; body: string }>((resolve) => {
    const ws = new WebSocket(`${pbx.wsUrl.replace('/ws', '')}/media/00000000-0000-0000-0000-000000000000`);
    ws.on('unexpected-response', (_q, res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += String(d)));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    ws.on('error', () => undefined);
  });
  const captured = fixture('media_bogus_connection_id.json')['handshake'] as { status: number; body: string };
  assert.deepEqual(bogus, { status: captured.status, body: captured.body });
  for (const json of [false, true]) {
    const ext = (await ari(pbx, 'POST', `/channels/externalMedia?app=tap&transport=websocket&encapsulation=none&connection_type=server&format=slin16${json ? '&transport_data=f(json)' : ''}`)).body;
    const id = (ext['channelvars'] as Record<string, string>)['MEDIA_WEBSOCKET_CONNECTION_ID']!;
    const conn = (await connectMedia(pbx, id)) as MediaConn;
    t.after(() => conn.ws.terminate());
    assert.equal(await connectMedia(pbx, id), 409);
    await waitFor(() => conn.texts.length === 1, 'MEDIA_START');
    const captured = (fixture('media_text_messages.json')[json ? 'media_snoop_in_json' : 'media_snoop_both_plain'] as { data: string }[])[0]!.data;
    if (json) {
      const got = JSON.parse(conn.texts[0]!) as Record<string, unknown>;
      assert.deepEqual(Object.keys(got).sort(), Object.keys(JSON.parse(captured) as object).sort());
      assert.equal(got['channel_id'], ext['id']);
    } else {
      const keys = (s: string) => s.split(' ').slice(1).map((kv) => kv.split(':')[0]);
      assert.deepEqual(keys(conn.texts[0]!), keys(captured));
      assert.match(conn.texts[0]!, new RegExp(`connection_id:${id} .*channel_id:${String(ext['id']).replace('.', '\\.')} format:slin16 optimal_frame_size:640 ptime:20$`));
    }
    assert.equal(conn.binary.length, 0, 'nothing arrives until the bridge joins a snoop');
    conn.ws.send(json ? '{"command":"GET_STATUS"}' : 'GET_STATUS');
    await waitFor(() => conn.texts.length === 2, 'STATUS');
    assert.match(conn.texts[1]!, /STATUS/);
    assert.equal((await ari(pbx, 'GET', `/channels/${ext['id'] as string}`)).body['state'], 'Up');
  }
});

test('snoop spy=in into a bridge: 640-byte frames every 20 ms of what the channel reads (1004 Hz)', async (t) => {
  const pbx = await startPbx(t);
  const target = pbx.channelByPrefix('Local/milliwatt@')!.json.id;
  const { snoop, conn } = await tapSetup(t, pbx, target, 'in');
  assert.match(String(snoop['name']), new RegExp(`^Snoop/${target.replace('.', '\\.')}-[0-9a-f]{8}$`));
  await waitFor(() => conn.binary.length >= 60, '60 frames');
  assert.ok(conn.binary.every((b) => b.length === 640));
  assert.ok(Math.abs(dominantFrequency(Buffer.concat(conn.binary), 16000) - 1004) <= 5);
});

test('spy=out carries what Asterisk sends the channel: the other leg', async (t) => {
  const pbx = await startPbx(t);
  const quiet = pbx.listChannels().find((c) => c.json.name.startsWith('Local/milliwatt@') && c.json.name.endsWith(';2'))!.json.id;
  const { conn } = await tapSetup(t, pbx, quiet, 'out');
  await waitFor(() => conn.binary.length >= 60, 'frames');
  assert.ok(Math.abs(dominantFrequency(Buffer.concat(conn.binary), 16000) - 1004) <= 5, 'the ;2 leg is sent the tone its peer reads');
});

test('target hangup: frames stop, snoop destroyed (events say so), media socket stays open until the external channel is deleted', async (t) => {
  const pbx = await startPbx(t, { respawnMs: -1 });
  const events: { type: string; channel?: { id: string }; cause?: number }[] = [];
  const ev = new WebSocket(`${pbx.wsUrl.replace('/ws', '')}/ari/events?app=tap&api_key=demo:demo`);
  ev.on('message', (d: Buffer) => events.push(JSON.parse(String(d)) as never));
  await new Promise((r) => ev.on('open', r));
  t.after(() => ev.terminate());
  const target = pbx.channelByPrefix('PJSIP/dave-')!.json.id;
  const { ext, snoop, bridge, conn } = await tapSetup(t, pbx, target, 'in');
  await waitFor(() => conn.binary.length >= 10, 'frames');
  pbx.hangup(target);
  await waitFor(() => events.some((e) => e.type === 'ChannelDestroyed' && e.channel?.id === snoop['id']), 'ChannelDestroyed for the snoop');
  const n = conn.binary.length;
  await new Promise((r) => setTimeout(r, 150));
  assert.equal(conn.binary.length, n, 'no frames after hangup');
  assert.equal(conn.closed, undefined, 'the media socket stays open');
  assert.equal((await ari(pbx, 'GET', `/channels/${snoop['id'] as string}`)).status, 404);
  assert.equal((await ari(pbx, 'GET', `/bridges/${bridge['id'] as string}`)).status, 200, 'the bridge stays until deleted');
  assert.equal((await ari(pbx, 'DELETE', `/channels/${ext['id'] as string}`)).status, 204);
  await waitFor(() => conn.closed !== undefined, 'close');
  assert.equal(conn.closed!.code, 1000);
  assert.equal((await ari(pbx, 'DELETE', `/bridges/${bridge['id'] as string}`)).status, 204);
  await waitFor(() => events.some((e) => e.type === 'BridgeDestroyed'), 'BridgeDestroyed');
  const unauthorised = new WebSocket(`${pbx.wsUrl.replace('/ws', '')}/ari/events?app=tap`);
  const status = await new Promise<number>((r) => unauthorised.on('unexpected-response', (_q, res) => r(res.statusCode ?? 0)));
  assert.equal(status, 401);
});

test('the client closing hangs up the external channel; snoop and bridge stay until deleted', async (t) => {
  const pbx = await startPbx(t);
  const target = pbx.channelByPrefix('PJSIP/alice-')!.json.id;
  const { ext, snoop, bridge, conn } = await tapSetup(t, pbx, target, 'in');
  conn.ws.close(1000);
  await waitFor(() => pbx.media.mediaClientCloses === 1, 'close seen');
  const after = await ari(pbx, 'GET', `/channels/${ext['id'] as string}`);
  assert.deepEqual({ status: after.status, body: after.body }, fixture('media_ext_channel_after_client_close.json'));
  assert.equal((await ari(pbx, 'GET', `/channels/${snoop['id'] as string}`)).status, 200);
  assert.equal((await ari(pbx, 'GET', `/bridges/${bridge['id'] as string}`)).status, 200);
  assert.equal(pbx.counters.clientFirstCloses, 0, 'chan_websocket closes cleanly: not a res_ari_stream risk');
});

test('not connected within the window: destroyed with cause 19, and the URL answers 404', async (t) => {
  const pbx = await startPbx(t, { mediaWindowMs: 200 });
  const events: { type: string; cause?: number; channel?: { id: string } }[] = [];
  const ev = new WebSocket(`${pbx.wsUrl.replace('/ws', '')}/ari/events?app=tap`, { headers: AUTH });
  ev.on('message', (d: Buffer) => events.push(JSON.parse(String(d)) as never));
  await new Promise((r) => ev.on('open', r));
  t.after(() => ev.terminate());
  const ext = (await ari(pbx, 'POST', '/channels/externalMedia?app=tap&transport=websocket&encapsulation=none&connection_type=server&format=slin16')).body;
  const id = (ext['channelvars'] as Record<string, string>)['MEDIA_WEBSOCKET_CONNECTION_ID']!;
  await waitFor(() => events.some((e) => e.type === 'ChannelDestroyed' && e.channel?.id === ext['id']), 'ChannelDestroyed');
  assert.equal(events.find((e) => e.type === 'ChannelDestroyed')!.cause, (fixture('media_no_client_timeout.json')['events'] as { cause?: number }[])[1]!.cause);
  assert.equal(await connectMedia(pbx, id), 404);
  assert.equal((await ari(pbx, 'GET', `/channels/${ext['id'] as string}`)).status, 404);
});

test('format=ulaw: 160-byte frames', async (t) => {
  const pbx = await startPbx(t);
  const target = pbx.channelByPrefix('Local/milliwatt@')!.json.id;
  const ext = (await ari(pbx, 'POST', '/channels/externalMedia?app=tap&transport=websocket&encapsulation=none&connection_type=server&format=ulaw')).body;
  const conn = (await connectMedia(pbx, (ext['channelvars'] as Record<string, string>)['MEDIA_WEBSOCKET_CONNECTION_ID']!)) as MediaConn;
  t.after(() => conn.ws.terminate());
  const snoop = (await ari(pbx, 'POST', `/channels/${target}/snoop?spy=in&app=tap`)).body;
  const bridge = (await ari(pbx, 'POST', '/bridges?type=mixing')).body;
  await ari(pbx, 'POST', `/bridges/${bridge['id'] as string}/addChannel?channel=${snoop['id'] as string},${ext['id'] as string}`);
  await waitFor(() => conn.binary.length >= 5, 'frames');
  assert.ok(conn.binary.every((b) => b.length === 160));
});
