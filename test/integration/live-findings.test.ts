import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { EventMap, FindingView, TapView } from '../../preload/contract.ts';
import { readMarkers } from '../../main/core/service/review-markers.ts';
import { waitFor } from '../helpers/demo-pbx.ts';
import { demoService } from '../helpers/demo-service.ts';

test('a tap of the demo\'s one-way call: a one-way finding naming the silent leg, shown while it grows, kept in the recording\'s sidecar with its kind', async (t) => {
  const { pbx, service, recordingsDir } = await demoService(t, { scenarios: ['one-way'] });
  const findings: FindingView[] = [];
  service.addSink({ event: <C extends keyof EventMap>(c: C, p: EventMap[C]) => c === 'tap:finding' && findings.push(p as FindingView), pcm: () => undefined });
  const frank = pbx.channelByPrefix('PJSIP/frank-')!.json.name;
  const grace = pbx.channelByPrefix('PJSIP/grace-')!.json.name;
  const tap = (await service.handle('tap:open', { endpointId: 'builtin-demo', channels: [frank, grace] })) as TapView;
  await service.handle('tap:record', { tapId: tap.id, on: true, mode: 'call' });
  await waitFor(() => findings.some((f) => f.kind === 'one-way' && f.endedAt === null), 'one-way in progress', 30_000);
  const growing = findings.find((f) => f.kind === 'one-way')!;
  assert.equal(growing.tapId, tap.id);
  assert.equal(growing.leg, 1, 'the silent leg is Grace');
  assert.equal(growing.channel, grace);
  assert.equal(growing.severity, 'error');
  assert.match(growing.message, /One-way audio in progress/);
  await waitFor(() => findings.filter((f) => f.id === growing.id).length >= 2, 'it grows', 10_000);
  const listed = await service.handle('tap:findings', undefined);
  assert.ok(listed.findings.some((f) => f.id === growing.id), 'a reloaded page gets it');
  await service.handle('tap:record', { tapId: tap.id, on: false });
  const wav = (await readdir(recordingsDir)).find((n) => n.endsWith('.wav'))!;
  const markers = await readMarkers(join(recordingsDir, wav));
  const oneWay = markers.find((m) => m.kind === 'one-way');
  assert.ok(oneWay, JSON.stringify(markers));
  assert.equal(oneWay.leg, 1);
  assert.equal(oneWay.severity, 'error');
  assert.ok(oneWay.endMs! > oneWay.atMs, 'a region');
  // No one-way finding names Frank, who talks.
  assert.ok(!findings.some((f) => f.kind === 'one-way' && f.leg === 0));
});
