/**
 * One side of the ingest benchmark, run as its own process so its CPU can be measured alone:
 *   node bench/ingest/client.ts <core|detectors|minimal> <wsUrl> <comma-separated channels> <N> <seconds> <outDir>
 * Opens N taps (round-robin over the channels) with recording on, waits until all stream, then
 * measures CPU and RSS for <seconds>, and prints one JSON line. Taps are then left draining
 * until the PBX hangs up, as the app does.
 */
import { createWriteStream, type WriteStream } from 'node:fs';
import { join } from 'node:path';
import WebSocket from 'ws';
import { StreamChannelClient } from '../../main/core/tap/stream-channel-client.ts';
import { TapRecorder } from '../../main/core/tap/tap-recorder.ts';
import { buildWavHeader, SLIN16 } from '../../main/core/audio/wav-format.ts';
import { CallAnalyzer } from '../../main/core/diagnostics/call-analyzer.ts';

const [kind, url, channelList, nArg, secondsArg, outDir] = process.argv.slice(2);
const channels = channelList!.split(',');
const n = Number(nArg);
const seconds = Number(secondsArg);

interface Tap {
  frames(): number;
  drops(): number;
  streaming(): boolean;
  finish(): Promise<void>;
  closed: Promise<void>;
}

function coreTap(i: number, detectors = false): Promise<Tap> {
  const client = new StreamChannelClient({ url: url!, channel: channels[i % channels.length]! });
  if (detectors) {
    // The call-health detectors on every chunk, as the tap session's detectors stage runs them.
    const analyzer = new CallAnalyzer({ legs: 1 });
    client.events.on('pcm', (chunk) => analyzer.pushBytes(0, chunk.data, chunk.wallClockMs));
  }
  return TapRecorder.start(client, join(outDir!, `core-${i}.wav`)).then((recorder) => {
    client.connect();
    return {
      frames: () => client.stats.frames,
      drops: () => recorder.drops,
      streaming: () => client.state === 'streaming',
      finish: async () => {
        await recorder.finish();
        client.stop();
      },
      closed: client.socketClosed,
    };
  });
}

/** The floor: what a hand-written script does (ws → append to a file), no stats, no safety. */
function minimalTap(i: number): Promise<Tap> {
  const file: WriteStream = createWriteStream(join(outDir!, `min-${i}.wav`));
  file.write(buildWavHeader(SLIN16, 0).header);
  const ws = new WebSocket(url!, ['stream-channel'], { headers: { 'Channel-ID': channels[i % channels.length]! }, perMessageDeflate: false });
  let frames = 0;
  let done = false;
  ws.on('message', (data: Buffer) => {
    frames++;
    if (!done) file.write(data);
  });
  ws.on('error', () => undefined);
  return Promise.resolve({
    frames: () => frames,
    drops: () => 0,
    streaming: () => frames > 0,
    finish: () =>
      new Promise<void>((resolve) => {
        done = true;
        file.end(resolve);
      }),
    closed: new Promise<void>((resolve) => ws.on('close', () => resolve())),
  });
}

const taps = await Promise.all(Array.from({ length: n }, (_, i) => (kind === 'minimal' ? minimalTap(i) : coreTap(i, kind === 'detectors'))));
const deadline = Date.now() + 15_000;
while (!taps.every((t) => t.streaming())) {
  if (Date.now() > deadline) throw new Error('taps did not all start streaming');
  await new Promise((r) => setTimeout(r, 20));
}
const framesAtStart = taps.reduce((s, t) => s + t.frames(), 0);
const cpu0 = process.cpuUsage();
const t0 = performance.now();
let rssMax = 0;
const sampler = setInterval(() => (rssMax = Math.max(rssMax, process.memoryUsage().rss)), 200);
await new Promise((r) => setTimeout(r, seconds * 1000));
const cpu = process.cpuUsage(cpu0);
const wallMs = performance.now() - t0;
clearInterval(sampler);
const frames = taps.reduce((s, t) => s + t.frames(), 0) - framesAtStart;
await Promise.all(taps.map((t) => t.finish()));
process.stdout.write(
  `${JSON.stringify({ kind, n, wallMs, cpuMs: (cpu.user + cpu.system) / 1000, rssMb: rssMax / 1024 / 1024, frames, expectedFrames: Math.round((n * wallMs) / 20), drops: taps.reduce((s, t) => s + t.drops(), 0) })}\n`,
);
await Promise.all(taps.map((t) => t.closed));
