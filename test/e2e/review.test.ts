import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { readWav } from '../../main/core/audio/wav-reader.ts';
import { measureLevels } from '../../main/core/audio/levels.ts';
import { dominantFrequency } from '../helpers/dominant-frequency.ts';
import { tempDir } from '../helpers/temp-dir.ts';
import { tinyDisk } from '../helpers/tiny-disk.ts';
import { browserSkipReason, startHarness, type Harness } from './harness.ts';
import { Workbench } from './pages/workbench-page.ts';

const skip = browserSkipReason();

type ReviewState = { drawnAfterMs: number | null; duration: number; currentTime: number; playing: boolean; rate: number; regions: { start: number; end: number; label: string }[] } | null;

async function record(h: Harness, wb: Workbench, ms: number): Promise<void> {
  await wb.editor.button('record').click();
  await h.page.waitForSelector('.tap-editor [data-action=record][aria-pressed=true]');
  await h.page.waitForTimeout(ms);
  await wb.editor.button('record').click();
  await h.page.waitForSelector('.tap-editor [data-action=record][aria-pressed=false]');
}

test('review: record the tone, open it, drag a region, export it: the download is that span of 1004 Hz with the metadata', { skip }, async (t) => {
  const h = await startHarness(t);
  const wb = new Workbench(h.page);
  const csp: string[] = [];
  h.page.on('console', (m) => /Content.Security.Policy|Refused to/i.test(m.text()) && csp.push(m.text()));
  await wb.tapOnDemo('channel', 'Local/milliwatt@');
  await record(h, wb, 4000);
  await wb.output.root.getByText(/Saved .*\.wav/).waitFor();
  const name = (await readdir(h.recordingsDir)).find((n) => n.endsWith('.wav'))!;
  const source = await readFile(join(h.recordingsDir, name!));

  await wb.activity.show('recordings');
  await wb.recordings.open(name!);
  await wb.review.root.waitFor();
  await h.page.waitForFunction((n) => (window as unknown as { __asteriskTap: { review(n: string): ReviewState } }).__asteriskTap.review(n)?.drawnAfterMs != null, name);
  const opened = (await wb.hook<ReviewState>('review', name))!;
  assert.ok(Math.abs(opened.duration - (await readWav(join(h.recordingsDir, name!))).durationMs / 1000) < 0.01);
  // The timeline reads wall-clock time: its first label is the recording's start (local time).
  const started = new Date((await readWav(join(h.recordingsDir, name!))).info.startedAt!);
  const hhmmss = [started.getHours(), started.getMinutes(), started.getSeconds()].map((n) => String(n).padStart(2, '0')).join(':');
  // (Zoomed in this far the labels carry tenths: 14:08:22.4.)
  await wb.review.waveform.getByText(new RegExp(`^${hhmmss}(\\.\\d)?$`)).first().waitFor();
  // Peaks came from main and were cached beside the file.
  assert.ok((await readdir(h.recordingsDir)).includes(`${name}.peaks.json`));

  await wb.review.drag(0.25, 0.75);
  await h.page.waitForFunction((n) => ((window as unknown as { __asteriskTap: { review(n: string): ReviewState } }).__asteriskTap.review(n)?.regions.length ?? 0) === 1, name);
  const [region] = (await wb.hook<ReviewState>('review', name))!.regions;
  assert.ok(region!.end - region!.start > 1.5, `selected ${region!.start}..${region!.end}`);

  const [download] = await Promise.all([h.page.waitForEvent('download'), wb.review.button('export-selection').click()]);
  const saved = join(await tempDir(t), download.suggestedFilename());
  await download.saveAs(saved);
  const clip = await readWav(saved);
  assert.ok(Math.abs(clip.durationMs - (region!.end - region!.start) * 1000) < 2, `clip ${clip.durationMs} ms for a ${region!.end - region!.start} s selection`);
  assert.ok(Math.abs(dominantFrequency(clip.data, 16_000) - 1004) < 3);
  assert.match(clip.info.channel ?? '', /^Local\/milliwatt@/);
  assert.match(clip.info.note ?? '', /^clip of /);
  // The progress line says done, then goes away by itself.
  await wb.review.root.locator('.export-progress[data-state=done]').waitFor({ state: 'attached' });
  await wb.review.root.locator('.export-progress').waitFor({ state: 'hidden' });
  // The source is untouched.
  assert.deepEqual(await readFile(join(h.recordingsDir, name!)), source);
  assert.deepEqual(csp, [], 'no CSP violations (wavesurfer styles carry the nonce)');
});

test('review: markers from the live tap show up, regions get labels, Space plays, rate and spectrogram work, labelled regions export', { skip }, async (t) => {
  const h = await startHarness(t);
  const wb = new Workbench(h.page);
  await wb.tapOnDemo('channel', 'Local/milliwatt@');
  await wb.editor.button('record').click();
  await h.page.waitForSelector('.tap-editor [data-action=record][aria-pressed=true]');
  await h.page.waitForTimeout(1200);
  await h.page.keyboard.press('m');
  await h.page.waitForTimeout(1200);
  await wb.editor.button('record').click();
  await wb.output.root.getByText(/Saved .*\.wav/).waitFor();
  const name = (await readdir(h.recordingsDir)).find((n) => n.endsWith('.wav'))!;
  await wb.activity.show('recordings');
  await wb.recordings.item(name!).dblclick();
  await h.page.waitForFunction((n) => (window as unknown as { __asteriskTap: { review(n: string): ReviewState } }).__asteriskTap.review(n)?.drawnAfterMs != null, name);
  const marker = (await wb.hook<ReviewState>('review', name))!.regions[0]!;
  assert.equal(marker.start, marker.end, 'a live marker is a marker, not a region');
  assert.match(marker.label, /^Marker /);
  assert.ok(marker.start > 0.8 && marker.start < 2, `marker at ${marker.start}`);

  await wb.review.drag(0.1, 0.4);
  const label = wb.review.root.locator('.region-item:not(.marker) input').first();
  await label.fill('tone start');
  await label.press('Enter');
  await h.page.waitForTimeout(600);
  const sidecar = JSON.parse(await readFile(join(h.recordingsDir, `${name}.markers.json`), 'utf8')) as { markers: { label: string; endMs?: number }[] };
  assert.deepEqual(sidecar.markers.map((m) => m.label).sort(), [marker.label, 'tone start'].sort());

  await wb.review.root.focus();
  await h.page.keyboard.press('Space');
  await h.page.waitForFunction((n) => (window as unknown as { __asteriskTap: { review(n: string): ReviewState } }).__asteriskTap.review(n)?.playing === true, name);
  await h.page.keyboard.press('Space');
  await h.page.waitForFunction((n) => (window as unknown as { __asteriskTap: { review(n: string): ReviewState } }).__asteriskTap.review(n)?.playing === false, name);
  await wb.review.root.locator('select[aria-label="Playback rate"]').selectOption('2');
  assert.equal((await wb.hook<ReviewState>('review', name))!.rate, 2);

  const spec = h.page.waitForResponse((r) => r.url().endsWith('/spectrogram.json') && r.status() === 200);
  await wb.review.button('spectrogram').click();
  await spec;
  await wb.review.root.locator('.review-spectrogram canvas').first().waitFor();

  const [download] = await Promise.all([h.page.waitForEvent('download'), wb.review.button('export-labelled').click()]);
  assert.match(download.suggestedFilename(), /-tone start\.wav$/);
  const saved = join(await tempDir(t), 'labelled.wav');
  await download.saveAs(saved);
  assert.ok(Math.abs(dominantFrequency((await readWav(saved)).data, 16_000) - 1004) < 3);
});

/** RMS per 100 ms window of one channel of 16-bit PCM. */
function envelope(pcm: Buffer, channels: number, channel: number): number[] {
  const win = 1600;
  const frames = pcm.length / 2 / channels;
  const out: number[] = [];
  for (let w = 0; (w + 1) * win <= frames; w++) {
    let sum = 0;
    for (let i = w * win; i < (w + 1) * win; i++) sum += pcm.readInt16LE((i * channels + channel) * 2) ** 2;
    out.push(Math.sqrt(sum / win));
  }
  return out;
}

/** Pearson correlation of two envelopes at the best small lag (files start a few ms apart). */
function similarity(a: number[], b: number[]): number {
  let best = -1;
  for (let lag = -3; lag <= 3; lag++) {
    const x: number[] = [];
    const y: number[] = [];
    for (let i = 0; i < a.length; i++) {
      if (i + lag < 0 || i + lag >= b.length) continue;
      x.push(a[i]!);
      y.push(b[i + lag]!);
    }
    const mean = (v: number[]) => v.reduce((s, n) => s + n, 0) / v.length;
    const [mx, my] = [mean(x), mean(y)];
    let sxy = 0;
    let sxx = 0;
    let syy = 0;
    for (let i = 0; i < x.length; i++) {
      sxy += (x[i]! - mx) * (y[i]! - my);
      sxx += (x[i]! - mx) ** 2;
      syy += (y[i]! - my) ** 2;
    }
    best = Math.max(best, sxy / Math.sqrt(sxx * syy || 1));
  }
  return best;
}

test('"Record call" from the workbench: one stereo WAV, leg A left and leg B right, besides the per-leg files', { skip }, async (t) => {
  const h = await startHarness(t);
  const wb = new Workbench(h.page);
  await wb.tapOnDemo('call', 'PJSIP/alice-');
  await wb.editor.legs().nth(1).waitFor();
  const channels = await wb.editor.legs().locator('.leg-channel').allTextContents();
  await wb.editor.root.locator('[data-action=record-mode]').selectOption('call+legs');
  // Alice and Bob take 3 s turns: 5 s holds at least one change of speaker.
  const recordFrom = Date.now();
  await record(h, wb, 5000);
  const recordSpanMs = Date.now() - recordFrom;
  await wb.output.root.getByText(/Saved .*call-stereo\.wav/).waitFor();
  const files = (await readdir(h.recordingsDir)).filter((n) => n.endsWith('.wav'));
  assert.equal(files.length, 3, files.join(', '));
  const stereoName = files.find((n) => n.includes('call-stereo'))!;
  const wav = await readWav(join(h.recordingsDir, stereoName));
  assert.equal(wav.format.channels, 2);
  assert.equal(wav.info.channel, `${channels[0]} (L) / ${channels[1]} (R)`);
  // Per-leg files are named after their channel (see recordingFileName).
  const legFile = async (channel: string) => (await readWav(join(h.recordingsDir, files.find((n) => n !== stereoName && n.endsWith(`-${channel.replace(/[^A-Za-z0-9@.-]+/g, '_')}.wav`))!))).data;
  const [a, b] = [envelope(await legFile(channels[0]!), 1, 0), envelope(await legFile(channels[1]!), 1, 0)];
  const [left, right] = [envelope(wav.data, 2, 0), envelope(wav.data, 2, 1)];
  // The stereo file places each leg by arrival time, so on a loaded machine a late burst can shift
  // a stretch of one channel against its per-leg file (right vs leg B once correlated 0.8998): how
  // closely a channel matches its leg measures the load; which leg each channel follows does not.
  const [la, lb, ra, rb] = [similarity(left, a), similarity(left, b), similarity(right, a), similarity(right, b)];
  const figures = JSON.stringify({ la, lb, ra, rb });
  assert.ok(la > 0.6 && la - lb > 0.5, `left follows leg A, not leg B ${figures}`);
  assert.ok(rb > 0.6 && rb - ra > 0.5, `right follows leg B, not leg A ${figures}`);
  assert.ok(measureLevels(wav.data).peakDbfs > -20, 'there is speech in the file');
  // The stereo file holds all the legs recorded (at least the longer leg, give or take the few
  // frames by which the legs start apart) on the wall clock's timeline: where the legs' audio stops
  // coming for a while it holds that silence, which the per-leg files do not (on a loaded machine
  // the stereo file was once 270 ms longer than the longer leg). So it is bounded by the time the
  // recording ran, not by the legs' length plus a guess.
  const legMs = Math.max(...(await Promise.all(channels.map(async (c) => (await legFile(c!)).length / 32))));
  assert.ok(wav.durationMs >= legMs - 100, `stereo ${wav.durationMs} ms holds the longer leg's ${legMs} ms`);
  assert.ok(wav.durationMs <= recordSpanMs + 40, `stereo ${wav.durationMs} ms is no longer than the ${recordSpanMs} ms the recording ran`);
  // The recordings view marks it stereo, and it opens for review with two waveforms.
  await wb.activity.show('recordings');
  await wb.recordings.item(stereoName).getByText('stereo', { exact: true }).waitFor();
});

test('disk full while recording: the recording ends with a clear message in the tap, and the file holds what was written', { skip }, async (t) => {
  const disk = await tinyDisk(t, 64);
  if ('skip' in disk) return t.skip(disk.skip);
  const h = await startHarness(t, { recordingsDir: disk.dir });
  const wb = new Workbench(h.page);
  await wb.tapOnDemo('channel', 'Local/milliwatt@');
  await wb.editor.button('record').click();
  // 64 KiB hold about 2 s of SLIN16.
  const banner = wb.editor.root.locator('[data-part=record-error]');
  await banner.getByText(/Recording stopped\..*the disk is full \(ENOSPC\)/).waitFor({ timeout: 15_000 });
  await h.page.waitForSelector('.tap-editor [data-action=record][aria-pressed=false]');
  await wb.output.root.getByText(/the disk is full/).first().waitFor();
  const name = (await readdir(disk.dir)).find((n) => n.endsWith('.wav'))!;
  const wav = await readWav(join(disk.dir, name));
  assert.ok(wav.durationMs > 1000 && wav.durationMs < 2100, `${wav.durationMs} ms kept`);
  assert.ok(Math.abs(dominantFrequency(wav.data, 16_000) - 1004) < 3);
  // The tap goes on: listening and the live view do not depend on the disk.
  assert.equal(await wb.editor.legs().first().locator('.leg-state').textContent(), 'streaming');
});
