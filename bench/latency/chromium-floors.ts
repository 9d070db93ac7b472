/**
 * What Chromium itself costs for the parts of a live tap, with no app code (not a test):
 *   node bench/latency/chromium-floors.ts
 * Renderer CPU (SystemInfo.getProcessInfo, as bench/latency/run.ts) of bare pages that each do one
 * thing a listened, shown tap needs: 'audio' plays silence through one AudioWorklet in a 16 kHz
 * AudioContext (the app's player, latencyHint 'interactive'); 'canvas' draws 4 columns on an
 * 866×80 transferred OffscreenCanvas from a worker 22 times a second (the live waveform's rate and
 * size at 1280×720); 'ws' receives 50 binary WebSocket messages of 656 bytes a second in a worker
 * (one tap's data plane). 'blank' is an empty page. 10 s each, every kind twice.
 */
import { chromium } from 'playwright-core';
import { createServer } from 'node:http';
import { WebSocketServer } from 'ws';
import { rendererCpuMs } from './renderer-cpu.ts';
const server = createServer((req, res) => {
  if (req.url === '/w.js') return res.writeHead(200, { 'Content-Type': 'text/javascript' }).end(`registerProcessor('p', class extends AudioWorkletProcessor { process(i, o) { o[0][0].fill(0); return true; } });`);
  if (req.url === '/s.js') return res.writeHead(200, { 'Content-Type': 'text/javascript' }).end(`const ws = new WebSocket('ws://' + location.host + '/'); ws.binaryType = 'arraybuffer'; let n = 0; ws.onmessage = (e) => { n += e.data.byteLength; };`);
  if (req.url === '/d.js') return res.writeHead(200, { 'Content-Type': 'text/javascript' }).end(`onmessage = (e) => { const v = e.data.getContext('2d', { alpha: false }); let x = 0; setInterval(() => { v.fillStyle = '#111'; v.fillRect(x % 866, 0, 4, 80); v.fillStyle = '#4fc3f7'; v.fillRect(x % 866, 20, 4, 40); x += 4; }, 1000 / 22); };`);
  res.writeHead(200, { 'Content-Type': 'text/html' }).end('<!doctype html><canvas id=c width=866 height=80></canvas>');
});
const wss = new WebSocketServer({ server });
wss.on('connection', (ws) => { const f = Buffer.alloc(656); const t = setInterval(() => ws.send(f), 20); ws.on('close', () => clearInterval(t)); });
await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
const port = (server.address() as { port: number }).port;
const browser = await chromium.launch({ executablePath: process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--autoplay-policy=no-user-gesture-required'] });
for (const what of (process.env.WHAT ?? 'blank,audio,canvas,ws,blank,audio,canvas,ws').split(',')) {
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  await page.goto(`http://127.0.0.1:${port}/`);
  if (what === 'audio') await page.evaluate(async () => { const a = new AudioContext({ sampleRate: 16000, latencyHint: 'interactive' }); await a.audioWorklet.addModule('/w.js'); new AudioWorkletNode(a, 'p', { numberOfInputs: 0, outputChannelCount: [1] }).connect(a.destination); await a.resume(); });
  if (what === 'ws') await page.evaluate(() => { new Worker('/s.js'); });
  if (what === 'canvas') await page.evaluate(() => { const off = (document.getElementById('c') as HTMLCanvasElement).transferControlToOffscreen(); new Worker('/d.js').postMessage(off, [off]); });
  await page.waitForTimeout(1500);
  const c0 = await rendererCpuMs(browser); await page.waitForTimeout(10_000); const c1 = await rendererCpuMs(browser);
  console.log(`${what.padEnd(7)} ${((c1 - c0) / 100).toFixed(2)} % of a core`); // ms over 10 s → % of a core
  await ctx.close();
}
await browser.close(); server.close();
