/**
 * Review benchmark (not a test), in Chromium through the web host:
 *   npm run bench:review [-- --minutes 1,10,60 --runs 3]
 * For recordings of 1 min, 10 min and 1 h: the time from "open" to a drawn waveform in the review
 * editor and the page's JS heap after it (after a forced GC; with the ArrayBuffers it holds, where
 * decoded audio lives), first open (peaks computed in main
 * while streaming through the file) and later opens (peaks from the cache beside the file).
 * Baseline, same run: wavesurfer.js given only the URL, which downloads and decodes the whole file
 * in the page (its default). Also the peaks pass in main alone, cold and cached.
 */
import { performance } from 'node:perf_hooks';
import { join } from 'node:path';
import { mkdir, mkdtemp, open, rm } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import { parseArgs } from 'node:util';
import { chromium, type Browser } from 'playwright-core';
import { buildWavHeader } from '../../main/core/audio/wav-format.ts';
import { loadPeaks, peaksCachePath } from '../../main/core/audio/wav-peaks.ts';
import { openNodeEndpointStore } from '../../main/core/endpoints/node-endpoint-store.ts';
import { TapService } from '../../main/core/service/tap-service.ts';
import { WebHost } from '../../main/web/web-host.ts';

const { values } = parseArgs({ options: { minutes: { type: 'string', default: '1,10,60' }, runs: { type: 'string', default: '3' } } });
const minutesList = values.minutes.split(',').map(Number);
const runs = Number(values.runs);
const root = new URL('../../', import.meta.url).pathname;
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)] ?? NaN;

/** A speech-like recording: 200 Hz with a syllable envelope, pauses every few seconds (written in 10 s blocks). */
async function makeRecording(path: string, minutes: number): Promise<void> {
  const rate = 16_000;
  const frames = minutes * 60 * rate;
  const { header } = buildWavHeader({ sampleRate: rate, channels: 1, bitsPerSample: 16 }, frames * 2, { channel: 'PJSIP/bench-00000001', endpoint: 'bench', startedAt: '2026-11-25T09:00:00.000Z' });
  const fh = await open(path, 'w');
  await fh.write(header);
  const block = Buffer.alloc(rate * 10 * 2);
  for (let i0 = 0; i0 < frames; i0 += rate * 10) {
    const n = Math.min(rate * 10, frames - i0);
    for (let j = 0; j < n; j++) {
      const i = i0 + j;
      const talking = Math.floor(i / (rate * 3)) % 2 === 0;
      const env = talking ? Math.abs(Math.sin((Math.PI * i) / (rate * 0.25))) : 0.01;
      block.writeInt16LE(Math.round(12_000 * env * Math.sin((2 * Math.PI * 200 * i) / rate)), j * 2);
    }
    await fh.write(block, 0, n * 2);
  }
  await fh.close();
}

interface OpenResult {
  drawnMs: number;
  heapMb: number;
}

async function openInPage(browser: Browser, web: WebHost, name: string, baseline: boolean): Promise<OpenResult> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  await page.goto(web.url);
  await page.waitForSelector('body[data-ready=true]');
  const cdp = await context.newCDPSession(page);
  await page.evaluate(([n, b]) => {
    const hook = (window as unknown as { __asteriskTap: { reviewBaseline(on: boolean): void; openReview(n: string): void } }).__asteriskTap;
    hook.reviewBaseline(b as boolean);
    hook.openReview(n as string);
  }, [name, baseline] as const);
  await page.waitForFunction((n) => (window as unknown as { __asteriskTap: { review(n: string): { drawnAfterMs: number | null } | null } }).__asteriskTap.review(n)?.drawnAfterMs != null, name, { timeout: 120_000, polling: 20 });
  const drawnMs = await page.evaluate((n) => (window as unknown as { __asteriskTap: { review(n: string): { drawnAfterMs: number } } }).__asteriskTap.review(n).drawnAfterMs, name);
  await cdp.send('HeapProfiler.collectGarbage');
  // The JS heap plus the ArrayBuffer backing stores it holds (decoded audio lives there, not in the heap proper).
  const usage = (await cdp.send('Runtime.getHeapUsage')) as { usedSize: number; backingStorageSize?: number };
  const heapMb = (usage.usedSize + (usage.backingStorageSize ?? 0)) / 1024 / 1024;
  await context.close();
  return { drawnMs, heapMb };
}

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'asterisk-tap-bench-review-'));
  const recordingsDir = join(dir, 'rec');
  await mkdir(recordingsDir);
  const { store } = await openNodeEndpointStore(join(dir, 'config'));
  const service = new TapService({ store, recordingsDir, host: 'web', version: 'bench' });
  await service.init();
  const web = new WebHost({ service, rendererDir: join(root, 'out/renderer') });
  await web.start();
  const browser = await chromium.launch({ executablePath: process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--enable-precise-memory-info'] });
  console.log(`# review bench: ${cpus().length} × ${cpus()[0]?.model ?? '?'}, Node ${process.version}, Chromium ${browser.version()}, ${runs} runs each (median)`);
  console.log('| length | file MB | peaks in main, cold / cached ms | open → drawn, first / cached ms | heap MB | baseline (decode in page) ms | baseline heap MB | time ours / baseline | heap ours / baseline |');
  console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|');
  try {
    for (const minutes of minutesList) {
      const name = `bench-${minutes}min.wav`;
      const path = join(recordingsDir, name);
      await makeRecording(path, minutes);
      const mb = ((minutes * 60 * 32_000) / 1024 / 1024).toFixed(1);
      const cold: number[] = [];
      const cached: number[] = [];
      for (let r = 0; r < runs; r++) {
        await rm(peaksCachePath(path), { force: true });
        let t0 = performance.now();
        await loadPeaks(path);
        cold.push(performance.now() - t0);
        t0 = performance.now();
        await loadPeaks(path);
        cached.push(performance.now() - t0);
      }
      const first: OpenResult[] = [];
      const again: OpenResult[] = [];
      const base: OpenResult[] = [];
      for (let r = 0; r < runs; r++) {
        await rm(peaksCachePath(path), { force: true });
        first.push(await openInPage(browser, web, name, false));
        again.push(await openInPage(browser, web, name, false));
        base.push(await openInPage(browser, web, name, true));
      }
      const ours = median(again.map((x) => x.drawnMs));
      const heap = median(again.map((x) => x.heapMb));
      const bt = median(base.map((x) => x.drawnMs));
      const bh = median(base.map((x) => x.heapMb));
      console.log(
        `| ${minutes} min | ${mb} | ${median(cold).toFixed(0)} / ${median(cached).toFixed(0)} | ${median(first.map((x) => x.drawnMs)).toFixed(0)} / ${ours.toFixed(0)} | ${heap.toFixed(1)} | ${bt.toFixed(0)} | ${bh.toFixed(1)} | ${(ours / bt).toFixed(3)}× | ${(heap / bh).toFixed(3)}× |`,
      );
      await rm(path);
    }
  } finally {
    await browser.close();
    service.dispose();
    await web.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
