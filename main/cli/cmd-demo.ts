import { mkdir } from 'node:fs/promises';
import { fileStamp, recordingFileName } from '../core/common/file-names.ts';
import { join, resolve } from 'node:path';
import { measureLevels } from '../core/audio/levels.ts';
import { repairRecordingsIn } from '../core/audio/wav-repair.ts';
import { SLIN16 } from '../core/audio/wav-format.ts';
import { StreamChannelClient } from '../core/tap/stream-channel-client.ts';
import { TapRecorder } from '../core/tap/tap-recorder.ts';
import { DemoPbx } from '../sim/demo-pbx.ts';
import { numberOption, parse, say } from './cli-common.ts';

export const DEMO_HELP = `asterisk-tap demo [--seconds 5] [--out-dir recordings]
  Starts the built-in demo PBX, taps the Alice/Bob call and the milliwatt channel, shows their
  levels live and records each to a WAV. Then hangs the calls up, so every tap ends cleanly.`;

/** What `npm start` runs until the workbench exists: the whole path from PBX to WAV, no setup. */
export async function demoCommand(argv: string[]): Promise<number> {
  const { values } = parse(argv, { seconds: { type: 'string' }, 'out-dir': { type: 'string' } });
  const seconds = numberOption(values.seconds, '--seconds', 1, 3600) ?? 5;
  const dir = resolve(values['out-dir'] ?? 'recordings');
  await mkdir(dir, { recursive: true });
  for (const r of await repairRecordingsIn(dir)) if (r.status !== 'ok') say(r.message);

  const pbx = new DemoPbx();
  const url = await pbx.start();
  say(`Demo PBX listening on ${url} (stream-channel at ${pbx.wsUrl}, ARI user demo/demo).`);
  const picks = ['PJSIP/alice-', 'PJSIP/bob-', 'Local/milliwatt@'].map((p) => pbx.channelByPrefix(p)).filter((c) => c !== undefined);
  const stamp = fileStamp();
  const taps = await Promise.all(
    picks.map(async (ch) => {
      const client = new StreamChannelClient({ url: pbx.wsUrl, channel: ch.json.name });
      const file = join(dir, recordingFileName(stamp, ch.json.name));
      const recorder = await TapRecorder.start(client, file, { endpoint: 'Demo PBX (built-in)', limitBytes: seconds * SLIN16.sampleRate * 2 });
      let level = { peakDbfs: -120, rmsDbfs: -120 };
      client.events.on('pcm', (c) => (level = measureLevels(c.data)));
      client.connect();
      return { ch, client, recorder, file, level: () => level };
    }),
  );
  const meter = (db: number): string => '#'.repeat(Math.max(0, Math.round((db + 60) / 3))).padEnd(20, '.');
  const started = Date.now();
  while (taps.some((t) => !t.recorder.writer.isFull) && Date.now() - started < (seconds + 5) * 1000) {
    await new Promise((r) => setTimeout(r, 500));
    say(taps.map((t) => `${t.ch.json.name.slice(0, 22).padEnd(22)} [${meter(t.level().peakDbfs)}] ${t.level().peakDbfs.toFixed(0).padStart(4)} dBFS`).join('  |  '));
  }
  for (const t of taps) {
    const r = await t.recorder.finish();
    say(`Saved ${t.file} (${(r.durationMs / 1000).toFixed(2)} s)`);
  }
  // Hanging up makes the PBX close each stream, the only safe way for a stream-channel tap to end.
  await pbx.stop();
  const outcomes = await Promise.all(taps.map((t) => t.client.outcome));
  say(`Taps ended: ${outcomes.map((o) => o.reason).join(', ')}. Client-first closes seen by the PBX: ${pbx.counters.clientFirstCloses}.`);
  return 0;
}
