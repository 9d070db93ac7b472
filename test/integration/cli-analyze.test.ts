import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { buildWavHeader } from '../../main/core/audio/wav-format.ts';
import { ECHO_DELAY_MS, ECHO_LOSS_DB, IVR_DIGITS, SCENARIOS } from '../../main/sim/scenarios.ts';
import { runCli } from '../helpers/cli.ts';
import { tempDir } from '../helpers/temp-dir.ts';

/** `seconds` of a demo scenario's first one or two legs as a WAV (stereo for two legs). */
async function scenarioWav(dir: string, name: string, seconds: number, legs = 2): Promise<string> {
  const specs = SCENARIOS.find((s) => s.name === name)!.legs('t').slice(0, legs);
  const n = specs.length;
  const data = Buffer.alloc(seconds * 16_000 * 2 * n);
  for (let f = 0; f < seconds * 50; f++) {
    specs.forEach((spec, leg) => {
      const frame = spec.source(f);
      if (frame) for (let i = 0; i < 320; i++) data.writeInt16LE(frame[i]!, ((f * 320 + i) * n + leg) * 2);
    });
  }
  const path = join(dir, `${name}.wav`);
  await writeFile(path, Buffer.concat([buildWavHeader({ sampleRate: 16_000, channels: n, bitsPerSample: 16 }, data.length).header, data]));
  return path;
}

interface Report {
  file: string;
  durationS: number;
  sampleRate: number;
  legs: { leg: number; peakDbfs: number; rmsDbfs: number; activeRatio: number }[];
  events: { kind: string; leg: number | null; startS: number; endS: number; severity: string; message: string; delayMs?: number; lossDb?: number; digit?: string }[];
}

async function analyzeJson(t: Parameters<typeof runCli>[0], file: string): Promise<Report> {
  const run = runCli(t, ['analyze', file, '--json']);
  assert.equal(await run.exit, 0, run.stderr());
  const lines = run.stdout().trim().split('\n');
  assert.equal(lines.length, 1, 'exactly one JSON object');
  return JSON.parse(lines[0]!) as Report;
}

test('analyze --json: the one-way call names the silent leg, in the documented shape', async (t) => {
  const file = await scenarioWav(await tempDir(t), 'one-way', 12);
  const r = await analyzeJson(t, file);
  assert.deepEqual(Object.keys(r), ['file', 'durationS', 'sampleRate', 'legs', 'events']);
  assert.equal(r.file, file);
  assert.equal(r.durationS, 12);
  assert.equal(r.sampleRate, 16_000);
  assert.deepEqual(r.legs.map((l) => Object.keys(l)), [['leg', 'peakDbfs', 'rmsDbfs', 'activeRatio'], ['leg', 'peakDbfs', 'rmsDbfs', 'activeRatio']]);
  assert.ok(r.legs[1]!.rmsDbfs < -60 && r.legs[1]!.activeRatio === 0);
  assert.deepEqual(r.events.map((e) => [e.kind, e.leg, e.severity]), [['one-way', 1, 'error']]);
  assert.deepEqual(Object.keys(r.events[0]!), ['kind', 'leg', 'startS', 'endS', 'severity', 'message']);
  assert.equal(r.events[0]!.startS, 0);
  assert.equal(r.events[0]!.endS, 12);
});

test('analyze: the echo call gives the echo leg, its delay (±5 ms) and loss (±3 dB)', async (t) => {
  const r = await analyzeJson(t, await scenarioWav(await tempDir(t), 'echo', 30));
  assert.equal(r.events.length, 1, JSON.stringify(r.events));
  const e = r.events[0]!;
  assert.equal(e.kind, 'echo');
  assert.equal(e.leg, 1);
  assert.ok(Math.abs(e.delayMs! - ECHO_DELAY_MS) <= 5, `delay ${e.delayMs}`);
  assert.ok(Math.abs(e.lossDb! - ECHO_LOSS_DB) <= 3, `loss ${e.lossDb}`);
});

test('analyze: the IVR line gives its in-band digits; a clean call has no findings', async (t) => {
  const dir = await tempDir(t);
  const ivr = await analyzeJson(t, await scenarioWav(dir, 'ivr-dtmf', 6, 1));
  assert.deepEqual(ivr.legs.length, 1);
  assert.equal(ivr.events.map((e) => e.digit).join(''), IVR_DIGITS.repeat(3));
  assert.ok(ivr.events.every((e) => e.kind === 'dtmf' && e.severity === 'info' && e.leg === 0));
  const clean = runCli(t, ['analyze', await scenarioWav(dir, 'conversation', 20)]);
  assert.equal(await clean.exit, 0);
  assert.match(clean.stdout(), /20\.0 s, 16000 Hz, stereo/);
  assert.match(clean.stdout(), /No findings\./);
});

test('analyze: a file that is not 16 kHz 16-bit PCM, not a WAV or missing exits 5 saying what it is; usage errors exit 2', async (t) => {
  const dir = await tempDir(t);
  const eight = join(dir, 'eight.wav');
  await writeFile(eight, Buffer.concat([buildWavHeader({ sampleRate: 8000, channels: 1, bitsPerSample: 16 }, 1600).header, Buffer.alloc(1600)]));
  const notWav = join(dir, 'notes.wav');
  await writeFile(notWav, 'hello');
  for (const [file, says] of [
    [eight, /8000 Hz 16-bit PCM, mono; analyze needs 16 kHz/],
    [notWav, /not a WAV file/],
    [join(dir, 'missing.wav'), /Cannot open/],
  ] as const) {
    const run = runCli(t, ['analyze', file]);
    assert.equal(await run.exit, 5, file);
    assert.match(run.stderr(), says);
    assert.equal(run.stdout(), '');
  }
  for (const args of [['analyze'], ['analyze', eight, eight], ['analyze', eight, '--bogus']]) {
    const run = runCli(t, args);
    assert.equal(await run.exit, 2, args.join(' '));
  }
});
