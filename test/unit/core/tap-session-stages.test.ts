import { test } from 'node:test';
import assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import { TypedEmitter } from '../../../main/core/common/typed-emitter.ts';
import type { Disposable } from '../../../main/core/common/disposable.ts';
import { TapSession } from '../../../main/core/service/tap-session.ts';
import type { StreamDetector } from '../../../main/core/service/tap-stage.ts';
import { SocketStats } from '../../../main/core/tap/socket-stats.ts';
import type { TapTransport, TapTransportEvents } from '../../../main/core/tap/tap-transport.ts';
import type { TapOutcome } from '../../../main/core/tap/stream-channel-client.ts';
import { readWav } from '../../../main/core/audio/wav-reader.ts';
import { readdir } from 'node:fs/promises';
import { tempDir } from '../../helpers/temp-dir.ts';
import { waitFor } from '../../helpers/demo-pbx.ts';
import { CallAnalyzer } from '../../../main/core/diagnostics/call-analyzer.ts';
import type { Finding } from '../../../preload/contract.ts';

/** A transport fed by the test, counting who listens to its audio. */
class FakeTransport implements TapTransport {
  readonly kind = 'stream-channel' as const;
  readonly events = new TypedEmitter<TapTransportEvents>();
  readonly stats = new SocketStats();
  readonly url = 'ws://fake/ws';
  readonly state = 'streaming' as const;
  readonly isDetached = false;
  readonly isSocketOpen = true;
  readonly protocol = 'stream-channel';
  readonly tlsNote = undefined;
  readonly outcome = new Promise<TapOutcome>(() => undefined);
  readonly socketClosed = Promise.resolve();
  readonly channel: string;
  pcmListeners = 0;

  constructor(channel: string) {
    this.channel = channel;
    const on = this.events.on.bind(this.events);
    this.events.on = ((event: keyof TapTransportEvents, listener: never): Disposable => {
      if (event === 'pcm') this.pcmListeners++;
      const d = on(event, listener);
      return { dispose: () => (event === 'pcm' && this.pcmListeners--, d.dispose()) };
    }) as typeof this.events.on;
  }
  /** One 20 ms frame of a constant value, arriving now (or at the monotonic time given). */
  frame(value: number, at = performance.now()): void {
    const data = Buffer.alloc(640);
    for (let i = 0; i < 320; i++) data.writeInt16LE(value, i * 2);
    this.events.emit('pcm', { data, wallClockMs: performance.timeOrigin + at, monotonicMs: at });
  }
  connect(): this {
    return this;
  }
  stop(): void {}
  forceClose(): void {}
  dispose(): void {}
}

function session(dir: string, detectors: StreamDetector[] = []) {
  const legs = [new FakeTransport('PJSIP/a-1'), new FakeTransport('PJSIP/b-2')];
  const tap = new TapSession({ id: 't', number: 1, endpointId: 'e', endpointName: 'E', title: 'call', legs: legs.map((transport) => ({ transport, direction: 'in' as const })), recordingsDir: () => dir, detectors });
  const logs: string[] = [];
  const batches: { leg: number; bytes: number }[] = [];
  tap.events.on('log', (_l, m) => logs.push(m));
  tap.events.on('pcm', (leg, _w, data) => batches.push({ leg, bytes: data.length }));
  return { tap, legs, logs, batches };
}

test('the session is the only listener of its transports and every chunk passes stats, replay, detectors, recorders and the UI batch', async (t) => {
  const seen: { leg: number; n: number; first: number }[] = [];
  let finished = 0;
  const { tap, legs, batches } = session(await tempDir(t), [{ push: (leg, samples) => seen.push({ leg, n: samples.length, first: samples[0]! }), finish: () => finished++ }]);
  assert.deepEqual(legs.map((l) => l.pcmListeners), [1, 1]);
  await tap.setRecording(true, 'call+legs');
  assert.deepEqual(legs.map((l) => l.pcmListeners), [1, 1], 'recorders do not subscribe');
  legs[0]!.frame(1000);
  legs[1]!.frame(-2000);
  assert.deepEqual(seen, [{ leg: 0, n: 320, first: 1000 }, { leg: 1, n: 320, first: -2000 }]);
  assert.deepEqual(batches, [{ leg: 0, bytes: 640 }, { leg: 1, bytes: 640 }], 'a frame after a quiet 20 ms goes out at once');
  const stats = tap.stats();
  assert.deepEqual(stats.map((s) => [s.frames, s.bytes, s.drops]), [[1, 640, 0], [1, 640, 0]]);
  assert.equal(stats[0]!.peakDbfs, Math.round(20 * Math.log10(1000 / 32768) * 10) / 10);
  assert.deepEqual(legs.map((l) => l.stats.frames), [0, 0], 'the stages never write into the transport');
  const files = tap.view().recording!.map((r) => r.path);
  assert.equal(files.length, 3);
  await tap.setRecording(false);
  const [stereo, a, b] = await Promise.all(files.map((f) => readWav(f)));
  assert.equal(a!.data.readInt16LE(0), 1000);
  assert.equal(b!.data.readInt16LE(0), -2000);
  assert.equal(stereo!.format.channels, 2);
  const saved = await tap.saveReplay(30);
  assert.deepEqual(saved.map((s) => s.bytes), [640, 640], 'replay kept each leg');
  const ended = { state: 'ended' as const, reason: 'call-ended' as const, message: 'ended', closeCode: 1000, stats: legs[0]!.stats.snapshot() };
  legs[0]!.events.emit('outcome', ended);
  assert.equal(finished, 0, 'one leg still up');
  legs[1]!.events.emit('outcome', ended);
  assert.equal(finished, 1, 'the detectors finish when every leg ended');
  await tap.stop();
});

test('stopping the tap finishes its detectors once, while its legs still drain', async (t) => {
  let finished = 0;
  const { tap, legs } = session(await tempDir(t), [{ push: () => undefined, finish: () => finished++ }]);
  legs[0]!.frame(1000);
  await tap.stop();
  assert.equal(finished, 1, 'a stopped tap closes what its detectors have open');
  const ended = { state: 'ended' as const, reason: 'call-ended' as const, message: 'ended', closeCode: 1000, stats: legs[0]!.stats.snapshot() };
  legs[0]!.events.emit('outcome', ended);
  legs[1]!.events.emit('outcome', ended);
  assert.equal(finished, 1, 'and only once');
});

test('stopping the tap disposes its detectors after finishing them, once', async (t) => {
  const calls: string[] = [];
  const { tap, legs } = session(await tempDir(t), [{ push: () => undefined, finish: () => calls.push('finish'), dispose: () => calls.push('dispose') }]);
  legs[0]!.frame(1000);
  await tap.stop();
  tap.dispose();
  assert.deepEqual(calls, ['finish', 'dispose']);
});

test('stop() returns once the file of a leg that just ended is finished and its waveform cache written', async (t) => {
  const dir = await tempDir(t);
  const { tap, legs } = session(dir);
  await tap.setRecording(true, 'legs');
  for (let i = 0; i < 50; i++) legs[0]!.frame(1000);
  legs[0]!.events.emit('outcome', { state: 'ended', reason: 'call-ended', message: 'ended', closeCode: 1000, stats: legs[0]!.stats.snapshot() });
  await tap.stop();
  const names = await readdir(dir);
  const wav = names.find((n) => n.endsWith('.wav'));
  assert.ok(wav, names.join(', '));
  assert.ok(names.includes(`${wav}.peaks.json`), `the peaks cache is written by then: ${names.join(', ')}`);
});

test('a detector that throws when its leg ends is switched off; the leg still ends and its file is saved', async (t) => {
  const { tap, legs, logs } = session(await tempDir(t), [
    {
      push: () => undefined,
      endLeg: () => {
        throw new Error('boom at the end');
      },
    },
  ]);
  await tap.setRecording(true, 'legs');
  legs[0]!.frame(1000);
  const ended = { state: 'ended' as const, reason: 'call-ended' as const, message: 'ended', closeCode: 1000, stats: legs[0]!.stats.snapshot() };
  legs[0]!.events.emit('outcome', ended);
  await waitFor(() => logs.some((l) => /^Saved /.test(l)), 'the ended leg saved its file');
  assert.equal(logs.filter((l) => /detectors stage .* failed .*boom at the end/.test(l)).length, 1);
  assert.ok(logs.includes('PJSIP/a-1: ended'), 'the outcome is still logged');
  await tap.stop();
});

test('a stage that throws is switched off with one error; the audio still reaches the UI', async (t) => {
  const { tap, legs, logs, batches } = session(await tempDir(t), [
    {
      push: () => {
        throw new Error('boom');
      },
    },
  ]);
  legs[0]!.frame(5);
  legs[0]!.frame(5);
  await waitFor(() => batches.length === 2, 'both frames batched');
  assert.equal(logs.filter((l) => /detectors stage .* failed .*boom/.test(l)).length, 1);
  assert.equal(batches.reduce((s, b) => s + b.bytes, 0), 1280);
  assert.equal(tap.stats()[0]!.frames, 2);
  await tap.stop();
});

test("the detectors stage runs the core's CallAnalyzer as it is: dead air on the call is found, closed when the tap stops", async (t) => {
  const analyzer = new CallAnalyzer({ legs: 2 });
  const findings: Finding[] = [];
  analyzer.events.on('finding', (f) => findings.push(f));
  const { tap, legs } = session(await tempDir(t), [analyzer]);
  const t0 = performance.now();
  // 3 s of a call at Asterisk's pace in which both legs send digital silence.
  for (let i = 1; i <= 150; i++) {
    legs[0]!.frame(0, t0 + i * 20);
    legs[1]!.frame(0, t0 + i * 20);
  }
  assert.equal(findings.length, 0, 'a silence in progress is not final yet');
  await tap.stop();
  const silences = findings.filter((f) => f.kind === 'silence' && f.endS - f.startS >= 2);
  assert.deepEqual(silences.map((f) => f.leg).sort(), [0, 1], JSON.stringify(findings.map(({ message: _m, ...f }) => f)));
});
