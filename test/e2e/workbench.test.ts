import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { tempDir } from '../helpers/temp-dir.ts';
import { join } from 'node:path';
import { readWav } from '../../main/core/audio/wav-reader.ts';
import { dominantFrequency } from '../helpers/dominant-frequency.ts';
import { browserSkipReason, startHarness } from './harness.ts';
import { Workbench } from './pages/workbench-page.ts';

const skip = browserSkipReason();

async function wavsIn(dir: string): Promise<string[]> {
  return (await readdir(dir)).filter((n) => n.endsWith('.wav')).map((n) => join(dir, n));
}

test('first run: demo endpoint, milliwatt tap, moving waveform, 1004 Hz in the audio graph, 3 s recording', { skip }, async (t) => {
  const h = await startHarness(t);
  const wb = new Workbench(h.page);
  await wb.endpoints.item('Demo PBX (built-in)').waitFor();
  await wb.endpoints.item('Demo PBX (built-in)').locator('[data-action=open-endpoint]').click();
  const tappedAt = performance.now();
  await wb.channels.tapChannel('Local/milliwatt@');
  await wb.editor.root.waitFor();
  const tapId = await wb.editor.tapId();
  const before = await wb.waitForHook<number>((n) => n > 0, 'waveform columns', 'waveColumns', tapId);
  await wb.waitForHook<number>((n) => n > before + 20, 'the waveform moving', 'waveColumns', tapId);

  await wb.editor.button('listen').click();
  await assert.doesNotReject(
    h.page.waitForFunction((id) => {
      const hz = (window as unknown as { __asteriskTap: { dominantHz(i: string): number | null } }).__asteriskTap.dominantHz(id);
      return hz !== null && Math.abs(hz - 1004) <= 5;
    }, tapId, { timeout: 10_000 }),
    'the page audio graph receives the 1004 Hz tone',
  );
  // The page is cross-origin isolated, so the live worker writes the audio into shared memory the
  // worklet reads: no message per packet to the audio thread.
  assert.equal(await h.page.evaluate(() => crossOriginIsolated), true);
  assert.deepEqual(await wb.hook<string[]>('playerFeeds', tapId), ['ring']);
  // The worklet reports twice a second: wait for a report that counts what it was given.
  await h.page.waitForFunction((id) => ((window as unknown as { __asteriskTap: { playerStats(i: string): { received: number } | null } }).__asteriskTap.playerStats(id)?.received ?? 0) > 0, tapId);

  // Record until the app reports 3 s recorded (not 3 s of page time: on a loaded machine frames
  // arrive late and in bursts, so a timed recording's length measures the machine, not the app).
  await h.page.evaluate(async () => {
    const btn = document.querySelector<HTMLButtonElement>('.tap-editor [data-action=record]')!;
    const info = document.querySelector<HTMLElement>('.tap-editor [data-part=record-info]')!;
    const recordedMs = (): number => {
      const m = /(\d+):(\d+)\.(\d)/.exec(info.textContent ?? '');
      return m ? (Number(m[1]) * 60 + Number(m[2])) * 1000 + Number(m[3]) * 100 : 0;
    };
    btn.click();
    while (btn.getAttribute('aria-pressed') !== 'true') await new Promise((r) => setTimeout(r, 2));
    while (recordedMs() < 3000) await new Promise((r) => setTimeout(r, 2));
    btn.click();
    while (btn.getAttribute('aria-pressed') !== 'false') await new Promise((r) => setTimeout(r, 2));
  });
  await wb.output.root.getByText(/Saved .*\.wav/).waitFor();
  const [file] = await wavsIn(h.recordingsDir);
  const wav = await readWav(file!);
  // All that was reported recorded is in the file; and no more audio than the PBX can have sent
  // since the tap opened (it sends in real time; load only makes the file shorter than that).
  assert.ok(wav.durationMs >= 3000, `recording is ${wav.durationMs} ms`);
  assert.ok(wav.durationMs <= performance.now() - tappedAt + 20, `recording is ${wav.durationMs} ms, the tap has been open ${(performance.now() - tappedAt).toFixed(0)} ms`);
  assert.ok(Math.abs(dominantFrequency(wav.data, 16000) - 1004) <= 5);
  assert.match(wav.info.channel ?? '', /^Local\/milliwatt@/);
  assert.equal(wav.info.endpoint, 'Demo PBX (built-in)');
  assert.equal(h.pbx.counters.clientFirstCloses, 0);
});

test('a two-leg call: both legs shown; hanging up ends it with a banner and finalises the recording', { skip }, async (t) => {
  const h = await startHarness(t);
  const wb = new Workbench(h.page);
  await wb.activity.show('channels');
  await wb.channels.tapCallOf('PJSIP/alice-');
  await wb.editor.root.waitFor();
  assert.equal(await wb.editor.legs().count(), 2);
  await wb.editor.legs().nth(1).locator('.leg-state.state-streaming').waitFor();
  await wb.editor.root.press('r');
  await wb.status.item('recording').getByText(/REC 00:01/).waitFor();
  h.pbx.hangup(h.pbx.channelByPrefix('PJSIP/alice-')!.json.id);
  await wb.editor.banner.getByText('Call ended.').first().waitFor();
  await h.page.waitForFunction(() => (window as unknown as { __asteriskTap: { taps(): { recording: unknown }[] } }).__asteriskTap.taps()[0]?.recording === null);
  const files = await wavsIn(h.recordingsDir);
  assert.equal(files.length, 2);
  for (const f of files) assert.ok((await readWav(f)).durationMs >= 900, f);
  assert.equal(h.pbx.counters.clientFirstCloses, 0);
});

test('bad endpoints and channels get clear messages in the UI', { skip }, async (t) => {
  const h = await startHarness(t);
  const wb = new Workbench(h.page);
  await wb.endpoints.add({ name: 'Broken', wsUrl: 'pbx:8088' });
  await assert.doesNotReject(wb.endpoints.fieldError('wsUrl').getByText(/Enter the websocket URL, e.g. ws:\/\/pbx:8088\/ws/).waitFor());
  await wb.endpoints.root.getByRole('button', { name: 'Cancel' }).click();
  await wb.endpoints.add({ name: 'Nowhere', wsUrl: 'ws://127.0.0.1:1/ws' });
  await wb.endpoints.item('Nowhere').waitFor();
  await wb.endpoints.item('Nowhere').locator('[data-action=test-endpoint]').click();
  await wb.endpoints.item('Nowhere').locator('.test-result.bad').getByText(/Nothing is listening/).waitFor();
  await wb.endpoints.item('Nowhere').locator('[data-action=open-endpoint]').click();
  await wb.channels.root.getByText(/no ARI/).waitFor();
  await wb.channels.openByName('PJSIP/alice-00000000');
  await wb.editor.banner.getByText(/Connection failed.*Nothing is listening/).waitFor();
  await wb.channels.selectEndpoint('Demo PBX (built-in)');
  // With ARI the channel is checked before connecting; the Output panel says why nothing opened.
  await wb.channels.openByName('PJSIP/ghost-00000009');
  await wb.output.root.getByText(/ghost-00000009.*does not exist/).first().waitFor();
  // Without ARI, Asterisk's own answer (open, then closed at once) is what tells.
  await wb.activity.show('endpoints');
  await wb.endpoints.add({ name: 'WS only', wsUrl: h.pbx.wsUrl });
  await wb.endpoints.item('WS only').locator('[data-action=open-endpoint]').click();
  await wb.channels.openByName('PJSIP/ghost-00000009');
  await wb.editor.banner.getByText(/Channel not found.*does not exist/).waitFor();
});

test('stop detaches a stream-channel tap: the status bar shows it draining until the call ends', { skip }, async (t) => {
  const h = await startHarness(t);
  const wb = new Workbench(h.page);
  await wb.activity.show('channels');
  await wb.channels.tapChannel('PJSIP/dave-');
  await wb.editor.legs().first().locator('.leg-state.state-streaming').waitFor();
  await wb.editor.button('stop').click();
  await wb.status.item('detached').getByText('1 detached, draining').waitFor();
  const dave = h.pbx.channelByPrefix('PJSIP/dave-')!.json.id;
  assert.equal(h.pbx.listenerCount(dave), 1, 'the socket is kept open');
  h.pbx.hangup(dave);
  await wb.status.item('detached').waitFor({ state: 'hidden' });
  assert.equal(h.pbx.counters.clientFirstCloses, 0);
});

test('ari-media from the workbench: a call tap is the in and out legs of one channel, torn down on stop', { skip }, async (t) => {
  const h = await startHarness(t);
  const wb = new Workbench(h.page);
  await wb.endpoints.item('Demo PBX (built-in)').locator('[data-action=duplicate-endpoint]').click();
  await wb.endpoints.item('Demo PBX (copy)').getByText(/· auto/).waitFor();
  await wb.endpoints.item('Demo PBX (copy)').locator('[data-action=open-endpoint]').click();
  await wb.channels.tapCallOf('PJSIP/alice-');
  await wb.editor.legs().nth(1).locator('.leg-state.state-streaming').waitFor();
  assert.match((await wb.editor.legs().nth(0).locator('.leg-channel').textContent()) ?? '', /PJSIP\/alice-\S+ · in/);
  assert.match((await wb.editor.legs().nth(1).locator('.leg-channel').textContent()) ?? '', /· out/);
  assert.equal(h.pbx.counters.streamConnections, 0, 'no stream-channel socket');
  assert.equal(h.pbx.media.channels().length, 4, 'two snoops and two external media channels');
  await wb.editor.button('stop').click();
  await h.page.waitForFunction(() => document.querySelector('.tap-editor') === null);
  const deadline = Date.now() + 5000;
  while ((h.pbx.media.channels().length > 0 || h.pbx.media.stasisBridges().length > 0) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  assert.equal(h.pbx.media.channels().length + h.pbx.media.stasisBridges().length, 0, 'everything deleted on stop');
});

test('the Content-Security-Policy blocks an injected inline script', { skip }, async (t) => {
  const h = await startHarness(t);
  const result = await h.page.evaluate(async () => {
    const violation = new Promise<string>((resolve) => document.addEventListener('securitypolicyviolation', (e) => resolve(e.violatedDirective), { once: true }));
    const s = document.createElement('script');
    s.textContent = 'window.__pwned = true';
    document.body.append(s);
    const directive = await Promise.race([violation, new Promise<string>((r) => setTimeout(() => r('none'), 2000))]);
    return { pwned: (window as unknown as { __pwned?: boolean }).__pwned === true, directive };
  });
  assert.equal(result.pwned, false);
  assert.match(result.directive, /script-src/);
});

test('keyboard: the palette lists every command with its keybinding and runs one', { skip }, async (t) => {
  const h = await startHarness(t);
  const wb = new Workbench(h.page);
  await h.page.keyboard.press('Control+Shift+P');
  const palette = h.page.getByRole('dialog', { name: 'Command palette' });
  await palette.waitFor();
  const commands = await wb.hook<{ id: string }[]>('commands');
  assert.equal(await palette.getByRole('option').count(), commands.length);
  await palette.getByRole('option', { name: /Show All Commands/ }).locator('kbd').getByText('Ctrl+Shift+P').waitFor();
  await h.page.keyboard.type('view channels');
  await h.page.keyboard.press('Enter');
  await wb.channels.root.waitFor();
  await h.page.keyboard.press('Control+Shift+E');
  await wb.endpoints.root.waitFor();
});

test('instant replay: "save last 30 s" writes what was heard although recording was off', { skip }, async (t) => {
  const h = await startHarness(t);
  const wb = new Workbench(h.page);
  await wb.activity.show('channels');
  await wb.channels.tapChannel('Local/milliwatt@');
  await wb.editor.root.waitFor();
  await wb.editor.root.locator('.tap-stats').getByText(/frames (1[5-9]\d|[2-9]\d\d)\b/).waitFor();
  assert.equal(await wb.editor.button('record').getAttribute('aria-pressed'), 'false');
  await wb.editor.root.press('Control+Shift+S');
  await wb.output.root.getByText(/Saved the last .* s of Local\/milliwatt@/).waitFor();
  const [file] = await wavsIn(h.recordingsDir);
  const wav = await readWav(file!);
  assert.ok(wav.durationMs >= 3000 && wav.durationMs <= 30_000, `${wav.durationMs} ms`);
  assert.ok(Math.abs(dominantFrequency(wav.data, 16000) - 1004) <= 5);
  assert.match(wav.info.note ?? '', /instant replay/);
});

test('Recordings view: lists recordings with their metadata, a damaged file as damaged; rename and delete to the trash', { skip }, async (t) => {
  const h = await startHarness(t);
  const wb = new Workbench(h.page);
  await wb.activity.show('channels');
  await wb.channels.tapChannel('Local/milliwatt@');
  await wb.editor.root.locator('.tap-stats').getByText(/frames ([5-9]\d|\d{3,})\b/).waitFor();
  await wb.editor.button('save-replay').click();
  await wb.output.root.getByText(/Saved the last/).waitFor();
  await writeFile(join(h.recordingsDir, 'broken.wav'), 'this is not audio');
  await h.page.keyboard.press('Control+Shift+Y');
  const view = h.page.locator('[data-view=recordings]');
  await view.locator('.recording.damaged[data-recording="broken.wav"]').getByText(/not a WAV file/).waitFor();
  const good = view.locator('.recording:not(.damaged)');
  await good.getByText(/Local\/milliwatt@.* · Demo PBX \(built-in\)/).waitFor();
  // A recording open for review is closed when it is renamed (its tab would point at nothing).
  await good.locator('[data-action=open-recording]').click();
  await wb.review.root.waitFor();
  await good.locator('[data-action=rename-recording]').click();
  await wb.quick.input.fill('tone-sample');
  await wb.quick.input.press('Enter');
  await view.locator('[data-recording="tone-sample.wav"]').waitFor();
  await wb.review.root.waitFor({ state: 'detached' });
  await view.locator('[data-recording="tone-sample.wav"] [data-action=delete-recording]').click();
  await wb.quick.button('quick-confirm').click();
  await view.locator('[data-recording="tone-sample.wav"]').waitFor({ state: 'detached' });
  assert.deepEqual((await readdir(h.recordingsDir)).filter((n) => n.endsWith('.wav')), ['broken.wav']);
  const trashed = await readdir(join(h.recordingsDir, '.trash'));
  assert.equal(trashed.filter((n) => n.startsWith('tone-sample-') && n.endsWith('.wav')).length, 1);
});

test('Recordings view: the folder can be changed from the browser (a typed path on the host), and the list follows it', { skip }, async (t) => {
  const h = await startHarness(t);
  const wb = new Workbench(h.page);
  await wb.activity.show('recordings');
  await wb.recordings.root.locator('.recordings-folder').getByText(h.recordingsDir).waitFor();
  const other = join(await tempDir(t), 'elsewhere');
  await mkdir(other);
  await writeFile(join(other, 'broken.wav'), 'not audio');
  await wb.recordings.root.locator('[data-action=change-recordings-folder]').click();
  await wb.quick.input.fill(other);
  await wb.quick.input.press('Enter');
  await wb.recordings.root.locator('.recordings-folder').getByText(other).waitFor();
  await wb.recordings.item('broken.wav').waitFor();
  await wb.output.root.getByText(`Recordings now go to ${other}.`).waitFor();
  // A bad path is refused with the reason, and the folder stays.
  await wb.recordings.root.locator('[data-action=change-recordings-folder]').click();
  await wb.quick.input.fill('not/absolute');
  await wb.quick.input.press('Enter');
  await wb.quick.message.getByText(/is not a full path/).waitFor();
  await wb.quick.input.press('Escape');
  await wb.recordings.root.locator('.recordings-folder').getByText(other).waitFor();
});
