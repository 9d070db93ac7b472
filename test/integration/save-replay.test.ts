import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { EventMap, LogEntry, RecordingView, TapView } from '../../preload/contract.ts';
import { openNodeEndpointStore } from '../../main/core/endpoints/node-endpoint-store.ts';
import { TapService } from '../../main/core/service/tap-service.ts';
import { readWav } from '../../main/core/audio/wav-reader.ts';
import { measureLevels } from '../../main/core/audio/levels.ts';
import { channelName, startPbx, waitFor } from '../helpers/demo-pbx.ts';
import { dominantFrequency } from '../helpers/dominant-frequency.ts';
import { tempDir } from '../helpers/temp-dir.ts';
import { tinyDisk } from '../helpers/tiny-disk.ts';

/** Demo time runs this much faster, so a tap holds two minutes of audio after a few seconds. */
const SPEED = 40;
const BYTES_PER_S = 32_000;

/** A tap on the demo's 1004 Hz milliwatt channel that has streamed `seconds` of audio. */
async function tapThatStreamed(t: TestContext, seconds: number, recordingsDir?: string) {
  const pbx = await startPbx(t, { speed: SPEED, scenarios: ['milliwatt'] });
  const { store } = await openNodeEndpointStore(await tempDir(t));
  const service = new TapService({ store, recordingsDir: recordingsDir ?? join(await tempDir(t), 'rec'), host: 'web', version: 'test', demo: { wsUrl: pbx.wsUrl, ariUrl: pbx.ariUrl, ariUser: 'demo', ariPassword: 'demo' } });
  await service.init();
  t.after(async () => {
    await service.shutdown(0);
    service.dispose();
  });
  const logs: LogEntry[] = [];
  service.addSink({ event: <C extends keyof EventMap>(c: C, p: EventMap[C]) => void (c === 'log:entry' && logs.push(p as LogEntry)), pcm: () => undefined });
  const tap = (await service.handle('tap:open', { endpointId: 'builtin-demo', channels: [channelName(pbx, 'Local/milliwatt', ';1')] })) as TapView;
  const session = (service as unknown as { taps: Map<string, { stats(): { bytes: number }[] }> }).taps.get(tap.id)!;
  // Waits on what arrived, not on the clock: under load the accelerated PBX only gets slower.
  await waitFor(() => session.stats()[0]!.bytes >= seconds * BYTES_PER_S, `${seconds} s of audio`, 120_000);
  return { service, tap, logs };
}

/** Every second of the file carries the tone at full level: no hole, no silence. */
function assertToneThroughout(data: Buffer, seconds: number): void {
  for (let s = 0; s < seconds; s++) {
    const second = data.subarray(s * BYTES_PER_S, (s + 1) * BYTES_PER_S);
    assert.ok(measureLevels(second).peakDbfs > -6, `second ${s} carries audio`);
    assert.ok(Math.abs(dominantFrequency(second, 16_000) - 1004) < 3, `second ${s} is the 1004 Hz tone`);
  }
}

test('"Save last" writes the whole 30, 60 and 120 s of a tap that streamed longer', async (t) => {
  const { service, tap, logs } = await tapThatStreamed(t, 125);
  for (const seconds of [30, 60, 120]) {
    const saved = (await service.handle('tap:saveReplay', { tapId: tap.id, seconds })) as RecordingView[];
    assert.equal(saved.length, 1);
    assert.equal(saved[0]!.error, undefined);
    assert.equal(saved[0]!.durationMs, seconds * 1000, `${seconds} s saved`);
    const wav = await readWav(saved[0]!.path);
    assert.equal(wav.data.length, seconds * BYTES_PER_S);
    assert.equal(wav.durationMs, seconds * 1000);
    assertToneThroughout(wav.data, seconds);
    const line = logs.findLast((l) => l.message.startsWith('Saved the last'))!;
    assert.equal(line.level, 'info');
    assert.match(line.message, new RegExp(`^Saved the last ${seconds}\\.0 s of Local/milliwatt`));
  }
});

test('a "Save last" that cannot write its audio is an error in words and leaves no empty file', async (t) => {
  const disk = await tinyDisk(t, 64);
  if ('skip' in disk) return t.skip(disk.skip);
  const { service, tap, logs } = await tapThatStreamed(t, 32, disk.dir);
  await assert.rejects(service.handle('tap:saveReplay', { tapId: tap.id, seconds: 30 }), (err: { code: string; message: string }) => {
    assert.equal(err.code, 'replay-save-failed');
    assert.match(err.message, /disk is full/);
    return true;
  });
  const line = logs.findLast((l) => /last/.test(l.message))!;
  assert.equal(line.level, 'error');
  assert.doesNotMatch(line.message, /^Saved/);
  assert.deepEqual((await readdir(disk.dir)).filter((n) => n.endsWith('.wav')), []);
});
