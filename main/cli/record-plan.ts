import { access } from 'node:fs/promises';
import { join } from 'node:path';
import { UsageError } from './cli-common.ts';

/** One output file: a mono file of one leg, or a stereo file of two legs (left, right). */
export interface PlannedFile {
  path: string;
  legs: number[];
}

/** A file name for a channel: `PJSIP/alice-00000001` → `PJSIP_alice-00000001.wav`. */
export function fileNameFor(channel: string): string {
  return `${channel.replace(/[^A-Za-z0-9@._-]+/g, '_').replace(/^\.+/, '_').slice(0, 200)}.wav`;
}

/**
 * Which files a `record` run writes for its legs: one leg → `--out`; several → one file per leg in
 * `--out-dir`, or with `--stereo` one stereo file of two legs at `--out`.
 */
export function planFiles(channels: string[], o: { out?: string; outDir?: string; stereo: boolean }): PlannedFile[] {
  if (o.stereo) {
    if (channels.length !== 2) throw new UsageError(`--stereo records two legs into one file (left, right); got ${channels.length} channel(s).`);
    if (!o.out) throw new UsageError('--stereo needs --out FILE.wav.');
    return [{ path: o.out, legs: [0, 1] }];
  }
  if (channels.length === 1) {
    if (o.out) return [{ path: o.out, legs: [0] }];
    if (o.outDir) return [{ path: join(o.outDir, fileNameFor(channels[0]!)), legs: [0] }];
    throw new UsageError('--out FILE.wav (or --out-dir DIR) is required.');
  }
  if (!o.outDir) throw new UsageError(`${channels.length} channels: give --out-dir DIR (one file per leg) or, for two legs, --stereo --out FILE.wav.`);
  // The same channel twice (two taps of one stream) gets "-2", "-3" … rather than one file.
  const used = new Map<string, number>();
  const files = channels.map((c, i) => {
    const name = fileNameFor(c);
    const n = (used.get(name) ?? 0) + 1;
    used.set(name, n);
    return { path: join(o.outDir!, n === 1 ? name : name.replace(/\.wav$/, `-${n}.wav`)), legs: [i] };
  });
  return files;
}

/** Refuses, before anything connects, to write over a file unless --overwrite says so. */
export async function checkNotExisting(files: PlannedFile[], overwrite: boolean): Promise<void> {
  if (overwrite) return;
  for (const f of files) {
    const exists = await access(f.path).then(
      () => true,
      () => false,
    );
    if (exists) throw new UsageError(`${f.path} already exists: add --overwrite to replace it, or choose another name.`);
  }
}

/** `--call`: every leg of the call that holds `channel` (name or uniqueid), as ARI groups them. */
export async function callLegs(ari: { url: string; user: string; password: string }, channel: string): Promise<string[] | undefined> {
  // Loaded for --call only: the ARI modules pull in ws and the events code.
  const [{ AriClient }, { groupCalls }] = await Promise.all([import('../core/ari/ari-client.ts'), import('../core/ari/group-calls.ts')]);
  const client = new AriClient(ari);
  const [channels, bridges] = await Promise.all([client.channels(), client.bridges()]);
  const call = groupCalls(channels, bridges).find((legs) => legs.some((c) => c.id === channel || c.name === channel));
  return call?.map((c) => c.name);
}

/**
 * With ARI given, the stream-channel channels ARI does not list. Checked before any socket opens:
 * res_ari_stream would accept an unknown Channel-ID, close it, and log an ERROR on the PBX.
 */
export async function missingOnAri(ari: { url: string; user: string; password: string } | undefined, channels: string[]): Promise<string[]> {
  if (!ari || channels.length === 0) return [];
  const { AriClient } = await import('../core/ari/ari-client.ts');
  const live = await new AriClient(ari).channels();
  return channels.filter((c) => !live.some((l) => l.id === c || l.name === c));
}
