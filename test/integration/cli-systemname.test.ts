/**
 * `record`, `probe` and `--transport auto` on an Asterisk whose asterisk.conf sets systemname
 * (uniqueids like `lab-1796186281.4`, part C), through the built CLI.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { readWav } from '../../main/core/audio/wav-reader.ts';
import { startPbx, waitFor } from '../helpers/demo-pbx.ts';
import { tempDir } from '../helpers/temp-dir.ts';
import { runCli } from '../helpers/cli.ts';

const ARI = (url: string) => ['--ari', url, '--user', 'demo', '--password', 'demo'];

test('record --transport ari-media by a systemname uniqueid', async (t) => {
  const pbx = await startPbx(t, { systemName: 'lab' });
  const id = pbx.channelByPrefix('Local/milliwatt@')!.json.id;
  assert.match(id, /^lab-\d+\.\d+$/);
  const out = join(await tempDir(t), 'lab.wav');
  const run = runCli(t, ['record', '--transport', 'ari-media', ...ARI(pbx.ariUrl), '--channel', id, '--out', out, '--seconds', '1']);
  assert.equal(await run.exit, 0, run.stderr());
  assert.equal((await readWav(out)).durationMs, 1000);
  await waitFor(() => pbx.media.channels().length === 0, 'cleaned up');
});

test('probe --transport auto and ari-media by a systemname uniqueid stream; an unknown one fails in ARI terms', async (t) => {
  const pbx = await startPbx(t, { systemName: 'lab' });
  const id = pbx.channelByPrefix('PJSIP/dave-')!.json.id;
  for (const transport of ['auto', 'ari-media']) {
    const run = runCli(t, ['probe', '--transport', transport, '--url', pbx.wsUrl, ...ARI(pbx.ariUrl), '--channel', id, '--seconds', '0.5', '--json']);
    assert.equal(await run.exit, 0, run.stderr());
    const report = JSON.parse(run.stdout()) as { verdict: string; protocol: string };
    assert.equal(report.verdict, 'streaming', transport);
    assert.match(report.protocol, /chan_websocket/);
  }
  const ghost = runCli(t, ['probe', '--transport', 'ari-media', ...ARI(pbx.ariUrl), '--channel', 'lab-1796186281.999', '--seconds', '0.5']);
  assert.equal(await ghost.exit, 4, ghost.stderr());
  assert.match(ghost.stdout(), /ARI at .* has no channel named "lab-1796186281\.999"/);
  assert.doesNotMatch(ghost.stdout() + ghost.stderr(), /accepted the connection/);
  assert.equal(pbx.counters.errorLog, 0, 'nothing in the PBX log');
});
