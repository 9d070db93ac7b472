import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { EventMap, TapView } from '../../preload/contract.ts';
import { channelName, waitFor } from '../helpers/demo-pbx.ts';
import { dominantFrequency } from '../helpers/dominant-frequency.ts';
import { readWav } from '../../main/core/audio/wav-reader.ts';
import { measureLevels } from '../../main/core/audio/levels.ts';
import { demoService } from '../helpers/demo-service.ts';

test('an ari-media tap turns DTMF into markers saved beside the recording', async (t) => {
  const { pbx, service, recordingsDir } = await demoService(t);
  const logs: string[] = [];
  service.addSink({ event: <C extends keyof EventMap>(c: C, p: EventMap[C]) => c === 'log:entry' && logs.push((p as EventMap['log:entry']).message), pcm: () => undefined });
  const ep = await service.handle('endpoints:save', { name: 'Stock', wsUrl: pbx.wsUrl, ariUrl: pbx.ariUrl, ariUser: 'demo', ariPassword: 'demo', headers: {}, allowSelfSigned: false, transport: 'ari-media' });
  const tap = (await service.handle('tap:open', { endpointId: ep.id, channels: [pbx.channelByPrefix('PJSIP/carol-')!.json.name] })) as TapView;
  assert.equal(tap.legs[0]!.transport, 'ari-media');
  await service.handle('tap:record', { tapId: tap.id, on: true });
  await waitFor(() => logs.filter((l) => l.startsWith('Marker "DTMF')).length >= 2, 'two DTMF markers', 15_000);
  await service.handle('tap:record', { tapId: tap.id, on: false });
  const markersFile = (await readdir(recordingsDir)).find((n) => n.endsWith('.markers.json'))!;
  const { markers: all } = JSON.parse(await readFile(join(recordingsDir, markersFile), 'utf8')) as { markers: { label: string; atMs: number; kind?: string }[] };
  // The sidecar also keeps the detectors' findings (with their kind); the DTMF events are plain markers.
  const markers = all.filter((m) => m.kind === undefined);
  assert.ok(markers.length >= 2 && markers.every((m) => /^DTMF [0-9#*A-D]$/.test(m.label) && m.atMs >= 0), JSON.stringify(all));
  await service.handle('tap:stop', { tapId: tap.id });
  await waitFor(() => pbx.media.channels().length === 0, 'torn down');
});

test('"Record call" writes one stereo WAV, leg A left and leg B right, besides the per-leg files when asked', async (t) => {
  const { pbx, service, recordingsDir } = await demoService(t);
  const tone = channelName(pbx, 'Local/milliwatt', ';1');
  const silent = channelName(pbx, 'Local/milliwatt', ';2');
  const one = (await service.handle('tap:open', { endpointId: 'builtin-demo', channels: [tone] })) as TapView;
  await assert.rejects(service.handle('tap:record', { tapId: one.id, on: true, mode: 'call' }), { code: 'record-call-legs' });
  const tap = (await service.handle('tap:open', { endpointId: 'builtin-demo', channels: [silent, tone] })) as TapView;
  await waitFor(() => (service as unknown as { taps: Map<string, { view(): TapView }> }).taps.get(tap.id)!.view().legs.every((l) => l.state === 'streaming' || l.state === 'silent'), 'both legs up');
  const rec = await service.handle('tap:record', { tapId: tap.id, on: true, mode: 'call+legs' });
  assert.equal(rec.recordMode, 'call+legs');
  assert.equal(rec.recording!.length, 3);
  // Waits on audio written, not on the clock: a loaded machine only makes this slower.
  const session = (service as unknown as { taps: Map<string, { view(): TapView }> }).taps.get(tap.id)!;
  await waitFor(() => session.view().recording![2]!.durationMs >= 1500, '1.5 s of the tone leg recorded', 60_000);
  await service.handle('tap:record', { tapId: tap.id, on: false });
  const files = (await readdir(recordingsDir)).filter((n) => n.endsWith('.wav'));
  const stereoName = files.find((n) => n.includes('-call-stereo'))!;
  assert.ok(stereoName, files.join(', '));
  assert.equal(files.length, 3);
  const stereo = await readWav(join(recordingsDir, stereoName));
  assert.equal(stereo.format.channels, 2);
  assert.ok(stereo.durationMs >= 1500, `${stereo.durationMs} ms`);
  assert.match(stereo.info.channel!, /;2 \(L\) \/ .*;1 \(R\)$/);
  // Left is the first leg (the silent ;2), right the second (the 1004 Hz ;1).
  const left = Buffer.alloc(stereo.data.length / 2);
  const right = Buffer.alloc(stereo.data.length / 2);
  for (let i = 0; i < stereo.data.length / 4; i++) {
    left.writeInt16LE(stereo.data.readInt16LE(i * 4), i * 2);
    right.writeInt16LE(stereo.data.readInt16LE(i * 4 + 2), i * 2);
  }
  assert.equal(measureLevels(left).peakDbfs, -120, 'left is silent');
  // The tone is continuous from its first sample to its last: no silence inserted (the process
  // being busy for a moment once did that: frames read late were taken for a dropout).
  const samples = Array.from({ length: right.length / 2 }, (_, i) => right.readInt16LE(i * 2));
  const first = samples.findIndex((v) => v !== 0);
  const last = samples.findLastIndex((v) => v !== 0);
  let run = 0;
  for (let i = first; i <= last; i++) {
    run = samples[i] === 0 ? run + 1 : 0;
    assert.ok(run <= 2, `right has a hole at sample ${i}`);
  }
  assert.ok(last - first >= 1.4 * 16_000, `right holds ${(last - first) / 16} ms of tone`);
  assert.ok(Math.abs(dominantFrequency(right.subarray(first * 2, (last + 1) * 2), 16_000) - 1004) < 2, 'right carries the tone');
  assert.ok(measureLevels(right).peakDbfs > -6);
});
