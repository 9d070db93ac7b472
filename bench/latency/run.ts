/**
 * Latency benchmark (not a test), in Chromium through the web host:
 *   npm run bench:latency [-- --seconds 10 --runs 3]
 * Time from the core receiving a frame (its arrival stamp in the Node process) to the renderer's
 * audio worklet holding it (the worklet echoes the stamp; the page records the delay on the
 * echo, so the figure includes that return hop), p50 and p99, with 1 and 8 live taps open and
 * listened to. Floor, same run: frames stamped in the same Node process and sent over a bare
 * WebSocket to a blank page, delay taken in its onmessage. Page CPU per tap from Chromium's
 * process list (renderer processes), over the same window. With --runs N the floor and app are
 * measured N times, alternating, and the medians and ranges are printed with the goals.
 */
import { performance } from 'node:perf_hooks';
import { join } from 'node:path';
import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir, cpus } from 'node:os';
import { parseArgs } from 'node:util';
import { chromium, type Browser, type Page } from 'playwright-core';
import { WebSocketServer } from 'ws';
import { createServer } from 'node:http';
import { openNodeEndpointStore } from '../../main/core/endpoints/node-endpoint-store.ts';
import { TapService } from '../../main/core/service/tap-service.ts';
import { DemoPbx } from '../../main/sim/demo-pbx.ts';
import { WebHost } from '../../main/web/web-host.ts';
import { rendererCpuMs, rendererProcesses } from './renderer-cpu.ts';

const { values } = parseArgs({ options: { seconds: { type: 'string', default: '10' }, runs: { type: 'string', default: '1' }, threads: { type: 'boolean', default: false }, taps: { type: 'string', default: '1,8' }, 'no-listen': { type: 'boolean', default: false } } });
/** --no-listen: taps shown and drawn but not heard (no audio graph; the delay is then measured to the page's live worker only). */
const listen = !values['no-listen'];
const seconds = Number(values.seconds);
const runs = Math.max(1, Math.floor(Number(values.runs)));
/** Tap counts to measure (default 1 and 8; the summary needs both). */
const tapCounts = values.taps.split(',').map(Number);
/** Distinct streaming channels of the demo PBX (a channel already tapped focuses its tab instead of opening another). */
const CHANNEL_PREFIXES = ['PJSIP/alice-', 'PJSIP/bob-', 'Local/milliwatt@', 'PJSIP/dave-', 'PJSIP/carol-', 'PJSIP/frank-', 'PJSIP/henry-', 'PJSIP/judy-', 'PJSIP/ken-', 'PJSIP/ivy-', 'PJSIP/olivia-'];
const root = new URL('../../', import.meta.url).pathname;

const pct = (xs: number[], q: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * (s.length - 1)))] ?? NaN;
};

/** CPU ms per thread name of the renderer processes, from /proc (Linux; --threads). */
async function rendererThreadsMs(browser: Browser): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  if (!values.threads) return out;
  const tick = 10; // USER_HZ
  for (const p of await rendererProcesses(browser)) {
    const tids = await readdir(`/proc/${p.id}/task`).catch(() => [] as string[]);
    for (const tid of tids) {
      try {
        const stat = await readFile(`/proc/${p.id}/task/${tid}/stat`, 'utf8');
        const close = stat.lastIndexOf(')');
        const name = stat.slice(stat.indexOf('(') + 1, close).replace(/[0-9]+$/, '#');
        const fields = stat.slice(close + 2).split(' ');
        const ms = (Number(fields[11]) + Number(fields[12])) * tick;
        out.set(name, (out.get(name) ?? 0) + ms);
      } catch {
        // The thread ended between the listing and the read.
      }
    }
  }
  return out;
}

function printThreads(before: Map<string, number>, after: Map<string, number>): void {
  if (!values.threads) return;
  const rows = [...after].map(([name, ms]) => [name, ms - (before.get(name) ?? 0)] as const).filter(([, ms]) => ms > 0).sort((a, b) => b[1] - a[1]);
  console.log(`       renderer threads, % of a core: ${rows.map(([n, ms]) => `${n} ${((ms / (seconds * 1000)) * 100).toFixed(1)}`).join(' · ')}`);
}

async function measureApp(browser: Browser, web: WebHost, pbx: DemoPbx, n: number): Promise<{ delays: number[]; atPage: number[]; cpuMs: number }> {
  const context = await browser.newContext();
  const page: Page = await context.newPage();
  await page.goto(web.url);
  await page.waitForSelector('body[data-ready=true]');
  await page.locator('[data-view=channels]').first().click();
  const names = CHANNEL_PREFIXES.flatMap((p) => pbx.channelByPrefix(p)?.json.name ?? []);
  if (names.length < n) throw new Error(`The demo PBX has ${names.length} of the ${n} distinct channels this run needs.`);
  for (let i = 0; i < n; i++) {
    await page.locator('#manual-channel').fill(names[i]!);
    await page.locator('#manual-channel').press('Enter');
    await page.locator(`.tab >> nth=${i}`).waitFor();
    if (listen) {
      await page.locator('.tap-editor [data-action=listen]').click();
      await page.locator('.tap-editor [data-action=listen][aria-pressed=true]').waitFor();
    }
  }
  const hook = (on: boolean) => page.evaluate((v) => (window as unknown as { __asteriskTap: { latency(on: boolean): number[] } }).__asteriskTap.latency(v), on);
  await hook(true);
  await page.waitForTimeout(2000); // warm-up, discarded
  await hook(true);
  await page.evaluate(() => (window as unknown as { __asteriskTap: { latencyAtPage?: () => number[] } }).__asteriskTap.latencyAtPage?.());
  const cpu0 = await rendererCpuMs(browser);
  const threads0 = await rendererThreadsMs(browser);
  await page.waitForTimeout(seconds * 1000);
  const cpuMs = (await rendererCpuMs(browser)) - cpu0;
  printThreads(threads0, await rendererThreadsMs(browser));
  const delays = await hook(false);
  // Older builds have no page-arrival probe: then that split is not shown.
  const atPage = await page.evaluate(() => (window as unknown as { __asteriskTap: { latencyAtPage?: () => number[] } }).__asteriskTap.latencyAtPage?.() ?? []);
  // Stop this run's taps: the host sends every open tap's audio to every page, so taps left open
  // would add their traffic to the next run's page.
  const taps = await page.evaluate(() => (window as unknown as { __asteriskTap: { taps(): { id: string }[] } }).__asteriskTap.taps().map((t) => t.id));
  for (const tapId of taps) await service.handle('tap:stop', { tapId }).catch(() => undefined);
  await context.close();
  return { delays, atPage, cpuMs };
}

async function measureFloor(browser: Browser, n: number): Promise<number[]> {
  // The floor page comes from the same server as its socket, like the app's (Chromium's local
  // network checks refuse a blank page's socket to loopback).
  const server = createServer((_req, res) => res.writeHead(200, { 'Content-Type': 'text/html' }).end('<!doctype html><title>floor</title>'));
  const wss = new WebSocketServer({ server });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  const timers: NodeJS.Timeout[] = [];
  wss.on('connection', (ws) => {
    const frame = Buffer.alloc(640 + 8);
    timers.push(
      setInterval(() => {
        frame.writeDoubleLE(performance.timeOrigin + performance.now(), 0);
        ws.send(frame);
      }, 20),
    );
  });
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`http://127.0.0.1:${port}/`);
  const delays = await page.evaluate(
    async ([p, count, ms]) => {
      const out: number[] = [];
      let measuring = false;
      for (let i = 0; i < count; i++) {
        const ws = new WebSocket(`ws://127.0.0.1:${p}`);
        ws.binaryType = 'arraybuffer';
        ws.onmessage = (ev: MessageEvent<ArrayBuffer>) => {
          if (measuring) out.push(performance.timeOrigin + performance.now() - new DataView(ev.data).getFloat64(0, true));
        };
      }
      await new Promise((r) => setTimeout(r, 2000));
      measuring = true;
      await new Promise((r) => setTimeout(r, ms));
      return out;
    },
    [port, n, seconds * 1000] as const,
  );
  timers.forEach(clearInterval);
  await context.close();
  wss.close();
  server.close();
  return delays;
}

const pbx = new DemoPbx();
await pbx.start();
const { store } = await openNodeEndpointStore(await mkdtemp(join(tmpdir(), 'bench-cfg-')));
const service = new TapService({ store, recordingsDir: await mkdtemp(join(tmpdir(), 'bench-rec-')), host: 'web', version: 'bench', demo: { wsUrl: pbx.wsUrl, ariUrl: pbx.ariUrl, ariUser: 'demo', ariPassword: 'demo' } });
const web = new WebHost({ service, rendererDir: join(root, 'out/renderer') });
await web.start();
const browser = await chromium.launch({
  executablePath: process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--autoplay-policy=no-user-gesture-required'],
});
console.log(`latency benchmark: ${seconds} s per run, ${runs} run(s), ${cpus().length} × ${cpus()[0]?.model ?? '?'}, node ${process.version}, ${browser.version()}`);
console.log('taps | run | path              |    n |  p50 ms |  p99 ms | added p50 | added p99 | page CPU % of a core per tap');
interface Row {
  addedP50: number;
  addedP99: number;
  floorP99: number;
  /** Added p99 up to the page's main thread (NaN for builds without that probe). */
  pageP99: number;
  cpuTotal: number;
}
const rows = new Map<number, Row[]>([
  [1, []],
  [8, []],
]);
for (let run = 1; run <= runs; run++) {
  for (const n of tapCounts) {
    // Start with the floor or the app by turns, so a drift in the machine's load does not favour one.
    const floorFirst = run % 2 === 1;
    const floorBefore = floorFirst ? await measureFloor(browser, n) : undefined;
    const app = await measureApp(browser, web, pbx, n);
    const floor = floorBefore ?? (await measureFloor(browser, n));
    const cpuTotal = (app.cpuMs / (seconds * 1000)) * 100;
    const row = (label: string, d: number[], extra: string) =>
      console.log(`${String(n).padStart(4)} | ${String(run).padStart(3)} | ${label.padEnd(17)} | ${String(d.length).padStart(4)} | ${pct(d, 0.5).toFixed(2).padStart(7)} | ${pct(d, 0.99).toFixed(2).padStart(7)} | ${extra}`);
    row('bare ws (floor)', floor, '        - |         - | -');
    const r: Row = { addedP50: pct(app.delays, 0.5) - pct(floor, 0.5), addedP99: pct(app.delays, 0.99) - pct(floor, 0.99), floorP99: pct(floor, 0.99), pageP99: pct(app.atPage, 0.99) - pct(floor, 0.99), cpuTotal };
    if (app.atPage.length > 0) row('core → worker', app.atPage, `${(pct(app.atPage, 0.5) - pct(floor, 0.5)).toFixed(2).padStart(9)} | ${(pct(app.atPage, 0.99) - pct(floor, 0.99)).toFixed(2).padStart(9)} | -`);
    row('core → worklet', app.delays, `${r.addedP50.toFixed(2).padStart(9)} | ${r.addedP99.toFixed(2).padStart(9)} | ${(cpuTotal / n).toFixed(2)}`);
    rows.get(n)!.push(r);
  }
}
const med = (xs: number[]): number => pct(xs, 0.5);
const span = (xs: number[], digits = 2): string => `${med(xs).toFixed(digits)} (${Math.min(...xs).toFixed(digits)}–${Math.max(...xs).toFixed(digits)})`;
const one = rows.get(1)!;
const eight = rows.get(8)!;
if (one.length === 0 || eight.length === 0) {
  await browser.close();
  await service.shutdown(0);
  await pbx.stop();
  service.dispose();
  await web.stop();
  process.exit(0);
}
// A further tap: what 8 taps cost beyond 1, per tap, paired within each run.
const further = eight.map((r, i) => (r.cpuTotal - one[i]!.cpuTotal) / 7);
console.log(`\nmedian (min–max) over ${runs} run(s):`);
console.log(`  one tap: page CPU ${span(one.map((r) => r.cpuTotal))} % of a core (goal ≤ 3); added p50 ${span(one.map((r) => r.addedP50))} ms, p99 ${span(one.map((r) => r.addedP99))} ms (goal < 5), of which up to the page's live worker ${span(one.map((r) => r.pageP99))} ms; floor p99 ${span(one.map((r) => r.floorP99))} ms`);
console.log(`  8 taps: page CPU ${span(eight.map((r) => r.cpuTotal))} % of a core, each further tap ${span(further)} % (goal ≤ 1.5); added p50 ${span(eight.map((r) => r.addedP50))} ms, p99 ${span(eight.map((r) => r.addedP99))} ms (goal < 5), of which up to the page's live worker ${span(eight.map((r) => r.pageP99))} ms; floor p99 ${span(eight.map((r) => r.floorP99))} ms`);
await browser.close();
await service.shutdown(0);
await pbx.stop();
service.dispose();
await web.stop();
