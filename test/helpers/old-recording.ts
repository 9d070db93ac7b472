import { join } from 'node:path';
import { WavWriter } from '../../main/core/audio/wav-writer.ts';
import { frameBytes } from '../../main/sim/signal-generators.ts';
import { SCENARIOS } from '../../main/sim/scenarios.ts';

/**
 * A recording as the app wrote it before the detectors existed: 3 s of the demo's dropouts leg
 * (Judy: dropouts of 40 ms at 0.8 s and 100 ms at 2.0 s), no sidecar.
 */
export async function writeOldRecording(dir: string, name = 'judy-before-findings.wav'): Promise<string> {
  const judy = SCENARIOS.find((s) => s.name === 'dropouts')!.legs('0000000a').find((l) => l.name.startsWith('PJSIP/judy-'))!;
  const path = join(dir, name);
  const w = await WavWriter.create(path, { info: { channel: judy.name, endpoint: 'Demo PBX (built-in)', startedAt: new Date(Date.UTC(2026, 11, 1, 9, 0, 0)).toISOString() } });
  for (let f = 0; f < 150; f++) w.write(frameBytes(judy.source(f)!));
  await w.finish();
  return path;
}
