import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ExportJobView } from '../../preload/contract.ts';
import { buildWavHeader } from '../../main/core/audio/wav-format.ts';
import { readWav } from '../../main/core/audio/wav-reader.ts';
import { openNodeEndpointStore } from '../../main/core/endpoints/node-endpoint-store.ts';
import { TapService } from '../../main/core/service/tap-service.ts';
import { WebHost } from '../../main/web/web-host.ts';
import { tempDir } from '../helpers/temp-dir.ts';
import { waitFor } from '../helpers/demo-pbx.ts';
import { dominantFrequency } from '../helpers/dominant-frequency.ts';

const STARTED = '2026-11-25T10:00:00.000Z';

/** A web host over a recordings folder holding a 4 s recording: 1004 Hz from 1 s to 3 s, silence around it. */
async function setup(t: TestContext) {
  const rendererDir = await mkdtemp(join(tmpdir(), 'renderer-'));
  await writeFile(join(rendererDir, 'index.html'), '<!doctype html><title>x</title>');
  const dir = join(await tempDir(t), 'rec');
  await mkdir(dir);
  const data = Buffer.alloc(64_000 * 2);
  for (let i = 16_000; i < 48_000; i++) data.writeInt16LE(Math.round(12_000 * Math.sin((2 * Math.PI * 1004 * i) / 16_000)), i * 2);
  const { header } = buildWavHeader({ sampleRate: 16_000, channels: 1, bitsPerSample: 16 }, data.length, { channel: 'Local/milliwatt@demo-00000001;1', endpoint: 'Demo', startedAt: STARTED });
  const wav = Buffer.concat([header, data]);
  await writeFile(join(dir, 'tone.wav'), wav);
  await writeFile(join(dir, 'broken.wav'), 'RIFF....WAVEjunk');
  const { store } = await openNodeEndpointStore(await tempDir(t));
  const service = new TapService({ store, recordingsDir: dir, host: 'web', version: 'test' });
  await service.init();
  const progress: ExportJobView[] = [];
  service.addSink({ event: (c, p) => c === 'export:progress' && progress.push(p as ExportJobView), pcm: () => undefined });
  const web = new WebHost({ service, rendererDir, token: 'tok' });
  await web.start();
  t.after(async () => {
    service.dispose();
    await web.stop();
  });
  const get = (path: string, headers: Record<string, string> = {}) => fetch(`${web.origin}${path}`, { headers: { cookie: `${web.cookieName}=tok`, ...headers } });
  return { service, web, dir, wav, get, progress };
}

test('the review editor gets peaks, markers and URLs; the audio is served by range and the source stays as it was', async (t) => {
  const { service, wav, get, dir } = await setup(t);
  await writeFile(join(dir, 'tone.wav.markers.json'), JSON.stringify({ markers: [{ atMs: 1500, label: 'Marker 1' }, { atMs: 'x' }, { atMs: 2000, endMs: 2500, label: 'beep' }] }));
  const detail = await service.handle('recordings:open', { name: 'tone.wav' });
  assert.equal(detail.entry.durationMs, 4000);
  assert.equal(detail.entry.startedAt, STARTED);
  assert.equal(detail.peaks.peaksPerSecond, 100);
  assert.equal(detail.peaks.data[0]!.length, 400);
  assert.equal(detail.peaks.data[0]![50], 0);
  assert.ok(detail.peaks.data[0]![150]! > 80);
  assert.deepEqual(detail.markers, [{ atMs: 1500, label: 'Marker 1' }, { atMs: 2000, endMs: 2500, label: 'beep' }]);
  assert.equal((await service.handle('recordings:open', { name: 'tone.wav' })).peaks.cached, true);

  const whole = await get(detail.audioUrl);
  assert.equal(whole.status, 200);
  assert.equal(whole.headers.get('accept-ranges'), 'bytes');
  assert.deepEqual(Buffer.from(await whole.arrayBuffer()), wav);
  const part = await get(detail.audioUrl, { range: 'bytes=100-199' });
  assert.equal(part.status, 206);
  assert.equal(part.headers.get('content-range'), `bytes 100-199/${wav.length}`);
  assert.deepEqual(Buffer.from(await part.arrayBuffer()), wav.subarray(100, 200));
  assert.equal((await get(detail.audioUrl, { range: `bytes=${wav.length}-` })).status, 416);
  // The token guards recordings like everything else; names cannot leave the folder.
  assert.equal((await fetch(`${(await setupOrigin(get))}${detail.audioUrl}`)).status, 401);
  assert.equal((await get('/recordings/..%2F..%2Fetc%2Fpasswd')).status, 404);
  assert.equal((await get('/recordings/missing.wav')).status, 404);
  assert.equal((await get('/recordings/broken.wav/spectrogram.json')).status, 422);

  const spec = (await (await get(detail.spectrogramUrl)).json()) as number[][][];
  const mid = spec[0]![Math.floor(spec[0]!.length / 2)]!;
  assert.equal(mid[Math.round((1004 * 512) / 16_000)], Math.max(...mid), 'the tone is the brightest line');
  assert.ok(mid[200]! < 60, `far from the tone is dark (${mid[200]})`);
  const quiet = spec[0]![2]!;
  assert.equal(Math.max(...quiet), 0, 'silence is black');

  await service.handle('recordings:saveMarkers', { name: 'tone.wav', markers: [{ atMs: 3000, label: 'late' }, { atMs: 100, endMs: 900, label: 'silence' }] });
  assert.deepEqual((await service.handle('recordings:open', { name: 'tone.wav' })).markers, [{ atMs: 100, endMs: 900, label: 'silence' }, { atMs: 3000, label: 'late' }]);
  await assert.rejects(service.handle('recordings:saveMarkers', { name: 'tone.wav', markers: [{ atMs: -1, label: 'x' }] }), { code: 'bad-request' });
  assert.deepEqual(await readFile(join(dir, 'tone.wav')), wav);
});

async function setupOrigin(get: (p: string) => Promise<Response>): Promise<string> {
  return new URL((await get('/')).url).origin;
}

test('export: each labelled region becomes a downloadable WAV with the source metadata and its own start time', async (t) => {
  const { service, get, progress, wav, dir } = await setup(t);
  const job = await service.handle('recordings:export', { name: 'tone.wav', clips: [{ startMs: 1250, endMs: 2750, label: 'the beep' }, { startMs: 0, endMs: 500, label: 'the beep' }, { startMs: 3600, endMs: 3400 }] });
  assert.ok(job);
  await waitFor(() => progress.some((p) => p.jobId === job.jobId && p.state !== 'running'), 'the export to finish');
  const done = progress.findLast((p) => p.jobId === job.jobId)!;
  assert.equal(done.state, 'done', done.message ?? '');
  assert.deepEqual(done.files.map((f) => f.name), ['tone-the beep.wav', 'tone-the beep-2.wav', 'tone-clip3-0m03.4s.wav']);
  assert.equal(done.doneBytes, done.totalBytes);
  const res = await get(done.files[0]!.downloadUrl!);
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-disposition')!, /^attachment; filename="tone-the beep.wav"/);
  const saved = join(await tempDir(t), 'downloaded.wav');
  await writeFile(saved, Buffer.from(await res.arrayBuffer()));
  const clip = await readWav(saved);
  assert.equal(clip.durationMs, 1500);
  assert.ok(Math.abs(dominantFrequency(clip.data, 16_000) - 1004) < 2);
  assert.equal(clip.info.channel, 'Local/milliwatt@demo-00000001;1');
  assert.equal(clip.info.endpoint, 'Demo');
  assert.equal(clip.info.startedAt, '2026-11-25T10:00:01.250Z');
  assert.match(clip.info.note!, /clip "the beep" of tone\.wav from 0:01\.25 to 0:02\.75/);
  assert.equal((await readWav(done.files[2]!.path)).durationMs, 200);
  assert.deepEqual(await readFile(join(dir, 'tone.wav')), wav);
  // Downloads are not recordings: the list is unchanged.
  assert.deepEqual((await service.handle('recordings:list', undefined)).map((e) => e.name).sort(), ['broken.wav', 'tone.wav']);
  await assert.rejects(service.handle('recordings:export', { name: 'tone.wav', clips: [{ startMs: 5000, endMs: 6000 }] }), { code: 'export-range' });
  await assert.rejects(service.handle('recordings:export', { name: 'tone.wav', clips: [] }), { code: 'bad-request' });
  await assert.rejects(service.handle('recordings:reveal', { name: 'tone.wav' }), { code: 'reveal-unavailable' });
});

test('export: cancel stops a long export; nothing half-written is left and the source is untouched', async (t) => {
  const { service, progress, dir } = await setup(t);
  // 20 minutes of silence: long enough that the export is still running when Cancel arrives.
  const frames = 16_000 * 60 * 20;
  const { header } = buildWavHeader({ sampleRate: 16_000, channels: 1, bitsPerSample: 16 }, frames * 2, { startedAt: STARTED });
  await writeFile(join(dir, 'long.wav'), Buffer.concat([header, Buffer.alloc(frames * 2)]));
  const job = (await service.handle('recordings:export', { name: 'long.wav', clips: [{ startMs: 0, endMs: 20 * 60_000, label: 'all' }, { startMs: 0, endMs: 1000, label: 'second' }] }))!;
  await service.handle('recordings:cancelExport', { jobId: job.jobId });
  await waitFor(() => progress.some((p) => p.jobId === job.jobId && p.state !== 'running'), 'the export to stop');
  const end = progress.findLast((p) => p.jobId === job.jobId)!;
  assert.equal(end.state, 'cancelled');
  assert.match(end.message!, /cancelled: 0 of 2 clips/);
  assert.deepEqual(await readdir(join(dir, '.exports', job.jobId)), []);
});
