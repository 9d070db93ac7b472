import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { openNodeEndpointStore } from '../../main/core/endpoints/node-endpoint-store.ts';
import { TapService } from '../../main/core/service/tap-service.ts';
import { readMarkers, writeMarkers } from '../../main/core/service/review-markers.ts';
import { tempDir } from '../helpers/temp-dir.ts';
import { writeOldRecording } from '../helpers/old-recording.ts';

test('a recording made before the detectors is analysed on demand: findings of their kind join the user\'s markers in its sidecar, survive the user\'s edits, and are counted in the list', async (t) => {
  const { store } = await openNodeEndpointStore(await tempDir(t));
  const recordingsDir = join(await tempDir(t), 'rec');
  await mkdir(recordingsDir, { recursive: true });
  const path = await writeOldRecording(recordingsDir);
  const service = new TapService({ store, recordingsDir, host: 'web', version: 'test' });
  await service.init();
  t.after(() => service.dispose());
  const name = 'judy-before-findings.wav';
  assert.equal((await service.handle('recordings:list', undefined)).find((e) => e.name === name)!.findings, undefined, 'nothing found yet');
  await writeMarkers(path, [{ atMs: 500, label: 'mine' }]);

  const markers = await service.handle('recordings:analyze', { name });
  const dropouts = markers.filter((m) => m.kind === 'dropout');
  assert.deepEqual(dropouts.map((m) => [Math.round(m.atMs / 20) * 20, Math.round((m.endMs! - m.atMs) / 20) * 20, m.leg, m.severity]), [[800, 40, 0, 'warning'], [2000, 100, 0, 'warning']]);
  assert.ok(markers.some((m) => m.label === 'mine' && m.kind === undefined), 'the user\'s marker stays');
  // Analysing again replaces, not adds.
  assert.equal((await service.handle('recordings:analyze', { name })).filter((m) => m.kind === 'dropout').length, 2);

  // The review editor saves the user's markers only: the findings stay.
  await service.handle('recordings:saveMarkers', { name, markers: [{ atMs: 700, label: 'moved' }] });
  const after = await readMarkers(path);
  assert.deepEqual(after.filter((m) => m.kind === undefined).map((m) => m.label), ['moved']);
  assert.equal(after.filter((m) => m.kind === 'dropout').length, 2);
  assert.deepEqual((await service.handle('recordings:list', undefined)).find((e) => e.name === name)!.findings, { error: 0, warning: 2, info: 0 });
  await assert.rejects(service.handle('recordings:analyze', { name: '../x.wav' }), (e: unknown) => typeof (e as { code?: unknown }).code === 'string');
});
