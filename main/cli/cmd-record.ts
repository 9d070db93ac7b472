import { unlink } from 'node:fs/promises';
import { measureLevels } from '../core/audio/levels.ts';
import { SLIN16 } from '../core/audio/wav-format.ts';
import type { WavWriter, WavWriterResult } from '../core/audio/wav-writer.ts';
import { createTransport } from '../core/tap/create-transport.ts';
import type { TapOutcome } from '../core/tap/stream-channel-client.ts';
import { TapRecorder } from '../core/tap/tap-recorder.ts';
import { StereoRecorder } from '../core/tap/stereo-recorder.ts';
import type { TapTransport } from '../core/tap/tap-transport.ts';
import { EXIT, TAP_FLAGS, UsageError, checkUrlFlag, exitCodeFor, formatBytes, formatElapsed, numberOption, parse, say, transportRequest } from './cli-common.ts';
import { processGuard } from './drain-guard.ts';
import { callLegs, checkNotExisting, missingOnAri, planFiles, type PlannedFile } from './record-plan.ts';
import { closeAllSafely } from './safe-close.ts';
import { describeHandOff, handOffDraining } from './drain-handoff.ts';
import { watchFindings } from './cli-findings.ts';

export const RECORD_HELP = `asterisk-tap record (--url ws://HOST:8088/ws | --transport ari-media --ari URL --user U --password P)
                    --channel ID [--channel ID2 ...] (--out FILE.wav | --out-dir DIR) [--stereo] [--call] [--seconds N]
  Records channels (one direction each) to 16 kHz WAVs, written to disk as audio arrives, all in
  one process at the core's per-tap cost.
  --channel          channel name (PJSIP/alice-00000001) or uniqueid, exactly as Asterisk has it;
                     repeat it to record several channels at once
  --call             record every leg of the call that holds --channel (needs --ari)
  --out FILE.wav     the file (one channel, or two with --stereo)
  --out-dir DIR      one file per leg, named after the channel (several channels)
  --stereo           two legs into one stereo file: the first --channel left, the second right,
                     aligned on arrival time
  --seconds N        stop after N seconds of audio (default: until the calls end or Ctrl+C)
  --transport T      stream-channel (default, res_ari_stream on /ws), ari-media (stock Asterisk
                     20.16+: ARI snoop + chan_websocket; needs --ari), or auto
  --ari URL --user U --password P   ARI (for ari-media, auto and --call)
  --direction in|out|both  ari-media: in = what the channel reads (its party speaking; default),
                     out = what Asterisk sends to it, or both as a stereo WAV (left in, right out)
  --header "K: V"    extra request header (repeatable), for proxies in front of Asterisk
  --proxy-user/--proxy-password  Basic auth for such a proxy
  --insecure         accept a self-signed wss certificate
  --overwrite        replace files that exist (without it, an existing file is a usage error)
  --endpoint NAME    endpoint name stored in the files' metadata
  --detach           after the files are saved, hand the open sockets to a background process that
                     drains them until the calls end, and exit now (scripts; wss sockets stay here)
  --force-close      close the sockets right after recording (can crash res_ari_stream; see README)
  A start that fails (bad URL, refused, unknown channel) leaves no file behind.`;

interface Leg {
  transport: TapTransport;
  levels: { peakDbfs: number; rmsDbfs: number };
  outcome: TapOutcome | undefined;
}

interface OpenFile extends PlannedFile {
  recorder: { writer: WavWriter; finish(): Promise<WavWriterResult> };
}

/** `record`: streams → WAVs with a live progress line; finishes the files first, then drains safely. */
export async function recordCommand(argv: string[]): Promise<number> {
  const { values } = parse(argv, {
    ...TAP_FLAGS,
    channel: { type: 'string', multiple: true },
    out: { type: 'string' },
    'out-dir': { type: 'string' },
    stereo: { type: 'boolean' },
    call: { type: 'boolean' },
    seconds: { type: 'string' },
    overwrite: { type: 'boolean' },
    endpoint: { type: 'string' },
    detach: { type: 'boolean' },
  });
  checkUrlFlag(values.url, '--url', ['ws', 'wss', 'http', 'https']);
  checkUrlFlag(values.ari, '--ari', ['http', 'https']);
  const seconds = numberOption(values.seconds, '--seconds', 0.02, 86_400);
  const both = values.direction === 'both';
  const first = transportRequest({ ...values, channel: values.channel?.[0] });
  let channels = values.channel ?? [];
  if (values.call) {
    if (!first.ari) throw new UsageError('--call needs ARI: --ari URL --user U --password P.');
    const legs = await callLegs(first.ari, channels[0]!);
    if (!legs) {
      say(`Channel "${channels[0]}" does not exist (ARI lists no such name or uniqueid; names are case-sensitive). Nothing was recorded.`);
      return EXIT.noAudio;
    }
    channels = legs;
  }
  if (both && channels.length > 1) throw new UsageError('--direction both records one channel (its two directions): give one --channel.');
  const files = both ? planFiles(['in', 'out'], { ...(values.out ? { out: values.out } : {}), stereo: true }) : planFiles(channels, { ...(values.out ? { out: values.out } : {}), ...(values['out-dir'] ? { outDir: values['out-dir'] } : {}), stereo: values.stereo === true });
  await checkNotExisting(files, values.overwrite === true);

  const transports = both
    ? [await createTransport(first), await createTransport({ ...first, choice: 'ari-media', direction: 'out' })]
    : await Promise.all(channels.map((channel) => createTransport({ ...first, channel })));
  const missing = await missingOnAri(first.ari, transports.filter((tr) => tr.kind === 'stream-channel').map((tr) => tr.channel));
  if (missing.length > 0) {
    say(`${missing.map((c) => `"${c}"`).join(', ')} ${missing.length === 1 ? 'does' : 'do'} not exist (ARI lists no such name or uniqueid; names are case-sensitive). Nothing was recorded; no connection was opened.`);
    return EXIT.noAudio;
  }
  const legs: Leg[] = transports.map((transport) => ({ transport, levels: { peakDbfs: -120, rmsDbfs: -120 }, outcome: undefined }));
  const open: OpenFile[] = [];
  for (const f of files) {
    const stereo = f.legs.length === 2;
    const options = {
      overwrite: values.overwrite === true,
      ...(values.endpoint ? { endpoint: values.endpoint } : {}),
      ...(seconds ? { limitBytes: Math.round(seconds * SLIN16.sampleRate) * 2 * (stereo ? 2 : 1) } : {}),
    };
    const recorder = stereo ? await StereoRecorder.start([transports[f.legs[0]!]!, transports[f.legs[1]!]!], f.path, options) : await TapRecorder.start(transports[f.legs[0]!]!, f.path, options);
    open.push({ ...f, recorder });
  }

  let stopRecording!: () => void;
  const recordingStopped = new Promise<void>((resolve) => (stopRecording = resolve));
  const allFull = (): boolean => open.every((f) => f.recorder.writer.isFull);
  for (const f of open) {
    f.recorder.writer.events.on('error', (err) => {
      say(`Recording ${f.path} stopped: ${err.message}`);
      if (open.every((o) => o.recorder.writer.error)) stopRecording();
    });
  }
  for (const leg of legs) {
    leg.transport.events.on('pcm', (chunk) => {
      leg.levels = measureLevels(chunk.data);
      if (allFull()) stopRecording();
    });
    void leg.transport.outcome.then((o) => (leg.outcome = o));
  }
  // From here to the process's end a signal finishes the files, never closes a socket.
  processGuard.set({ stop: stopRecording, force: () => legs.forEach((l) => l.transport.forceClose()) });

  // Call-health findings, one line each on stderr as they happen.
  const findings = watchFindings(transports, (text) => say(text));
  const stopProgress = progressLine(open, legs);
  for (const leg of legs) leg.transport.connect();
  const target = open.length === 1 ? open[0]!.path : `${open.length} files in ${values['out-dir'] ?? '.'}`;
  say(`Recording ${legs.map((l) => l.transport.channel).join(', ')} from ${legs[0]!.transport.url} to ${target}${seconds ? ` for ${seconds} s` : ''}. Ctrl+C stops.`);
  await Promise.race([recordingStopped, Promise.all(legs.map((l) => l.transport.outcome))]);
  stopProgress();
  findings.finish();

  let diskError = false;
  for (const f of open) diskError = (await finishFile(f, legs)) || diskError;
  // Failures known now are said now, before what may be a long wait for the calls to end.
  const told = new Set<Leg>();
  for (const leg of legs) {
    if (leg.outcome && (leg.outcome.state === 'failed' || leg.outcome.stats.frames === 0)) {
      say(leg.outcome.message);
      told.add(leg);
    }
  }
  // --detach: the drain moves to a background process and record returns now.
  const moved = values.detach && !values['force-close'] ? handOffDraining(legs.map((l) => l.transport)) : undefined;
  if (moved) say(describeHandOff(moved));
  // Even after a failure (e.g. a text frame) a socket may still be open: drain it too.
  await closeAllSafely(
    legs.map((l) => l.transport),
    values['force-close'] === true || both,
  );
  const codes: number[] = [];
  for (const leg of legs) {
    // A leg handed to the drainer has no end here yet: it recorded what it recorded.
    if (moved && !leg.outcome && !leg.transport.isSocketOpen) {
      codes.push(exitCodeFor(null, leg.transport.stats.frames));
      continue;
    }
    const final = await leg.transport.outcome;
    if (!told.has(leg) && (final.state === 'failed' || final.stats.frames === 0)) say(final.message);
    else if (!told.has(leg) && final.reason === 'call-ended') say(`${leg.transport.channel}: the call ended; Asterisk closed the stream.`);
    codes.push(exitCodeFor(final.reason === 'closed-by-user' ? null : final.reason, final.stats.frames));
  }
  if (diskError) return EXIT.error;
  return both ? codes[0]! : (codes.find((c) => c !== EXIT.ok) ?? EXIT.ok);
}

/**
 * Finishes one file and says what it holds. A file whose legs never opened (bad URL, refused,
 * unknown channel) is removed: a failed start leaves nothing behind. A leg that was connected but
 * sent nothing is said in words. Returns true on a disk error.
 */
async function finishFile(f: OpenFile, legs: Leg[]): Promise<boolean> {
  const result = await f.recorder.finish();
  const mine = f.legs.map((i) => legs[i]!);
  const neverStarted = mine.every((l) => l.transport.stats.frames === 0 && l.outcome !== undefined && (l.outcome.state === 'failed' || l.outcome.reason === 'channel-not-found'));
  if (neverStarted && !result.error) {
    await unlink(f.path).catch(() => undefined);
    say(`Nothing recorded for ${mine.map((l) => l.transport.channel).join(' + ')}: ${f.path} was not kept.`);
    return false;
  }
  say(`Saved ${f.path}: ${(result.durationMs / 1000).toFixed(2)} s, ${formatBytes(result.dataBytes)}${result.drops ? `, ${result.drops} frames dropped (disk too slow)` : ''}.`);
  for (const l of mine) {
    if (l.transport.stats.frames === 0 && !(l.outcome?.state === 'failed')) {
      say(`${l.transport.channel} sent no audio while it was recorded (a silent channel: on hold, muted, or it sends nothing)${f.legs.length === 1 ? `: ${f.path} holds no sound` : ''}.`);
    }
  }
  if (result.error) say(`Warning: ${result.error.message}`);
  return result.error !== undefined && result.error !== null;
}

/** The live line on stderr (redrawn on a terminal, once a second otherwise); returns its stop. */
function progressLine(files: OpenFile[], legs: Leg[]): () => void {
  const tty = process.stderr.isTTY === true;
  let lastPrinted = 0;
  const timer = setInterval(() => {
    const w = files[0]!.recorder.writer;
    const bytes = files.reduce((n, f) => n + f.recorder.writer.dataBytes, 0);
    const lv = legs.length === 1 ? `peak ${legs[0]!.levels.peakDbfs.toFixed(1)} dBFS  rms ${legs[0]!.levels.rmsDbfs.toFixed(1)} dBFS` : `peak ${legs.map((l) => l.levels.peakDbfs.toFixed(0)).join('/')} dBFS`;
    const line = `● REC ${formatElapsed(w.durationMs)}  ${formatBytes(bytes)}  ${lv}  [${legs.map((l) => l.transport.state).join(', ')}]`;
    if (tty) process.stderr.write(`\r${line}\x1b[K`);
    else if (Date.now() - lastPrinted >= 1000) {
      say(line);
      lastPrinted = Date.now();
    }
  }, 200);
  return () => {
    clearInterval(timer);
    if (tty) process.stderr.write('\n');
  };
}
