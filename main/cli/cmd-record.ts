import { measureLevels } from '../core/audio/levels.ts';
import { SLIN16 } from '../core/audio/wav-format.ts';
import { createTransport } from '../core/tap/create-transport.ts';
import { TapRecorder } from '../core/tap/tap-recorder.ts';
import { StereoRecorder } from '../core/tap/stereo-recorder.ts';
import { EXIT, TAP_FLAGS, exitCodeFor, formatBytes, formatElapsed, numberOption, parse, required, say, transportRequest } from './cli-common.ts';
import { processGuard } from './drain-guard.ts';
import { closeAllSafely } from './safe-close.ts';

export const RECORD_HELP = `asterisk-tap record (--url ws://HOST:8088/ws | --transport ari-media --ari URL --user U --password P)
                    --channel ID --out FILE.wav [--seconds N]
  Records one channel (one direction) to a 16 kHz mono WAV, written to disk as audio arrives.
  --channel          channel name (PJSIP/alice-00000001) or uniqueid, exactly as Asterisk has it
  --seconds N        stop after N seconds of audio (default: until the call ends or Ctrl+C)
  --transport T      stream-channel (default, res_ari_stream on /ws), ari-media (stock Asterisk
                     20.16+: ARI snoop + chan_websocket; needs --ari), or auto
  --ari URL --user U --password P   ARI (for ari-media, and auto)
  --direction in|out|both  ari-media: what the channel reads (in, default), what it is sent
                     (out), or both as a stereo WAV (left in, right out, aligned on arrival)
  --header "K: V"    extra request header (repeatable), for proxies in front of Asterisk
  --proxy-user/--proxy-password  Basic auth for such a proxy
  --insecure         accept a self-signed wss certificate
  --overwrite        replace FILE if it exists
  --endpoint NAME    endpoint name stored in the file's metadata
  --force-close      close the socket right after recording (can crash res_ari_stream; see README)`;

/** `record`: stream → WAV with a live progress line; finishes the file first, then drains safely. */
export async function recordCommand(argv: string[]): Promise<number> {
  const { values } = parse(argv, {
    ...TAP_FLAGS,
    out: { type: 'string' },
    seconds: { type: 'string' },
    overwrite: { type: 'boolean' },
    endpoint: { type: 'string' },
  });
  const out = required(values.out, '--out');
  const seconds = numberOption(values.seconds, '--seconds', 0.02, 86_400);
  const request = transportRequest(values);
  const stereo = values.direction === 'both';
  const client = await createTransport(request);
  // both: a second leg for what the channel is sent; left = in, right = out.
  const other = stereo ? await createTransport({ ...request, choice: 'ari-media', direction: 'out' }) : undefined;
  const recorderOptions = {
    overwrite: values.overwrite === true,
    ...(values.endpoint ? { endpoint: values.endpoint } : {}),
    ...(seconds ? { limitBytes: Math.round(seconds * SLIN16.sampleRate) * 2 * (stereo ? 2 : 1) } : {}),
  };
  const recorder = other ? await StereoRecorder.start([client, other], out, recorderOptions) : await TapRecorder.start(client, out, recorderOptions);

  let stopRecording!: () => void;
  const recordingStopped = new Promise<void>((resolve) => (stopRecording = resolve));
  recorder.writer.events.on('error', (err) => {
    say(`Recording stopped: ${err.message}`);
    stopRecording();
  });
  let levels = { peakDbfs: -120, rmsDbfs: -120 };
  client.events.on('pcm', (chunk) => {
    levels = measureLevels(chunk.data);
    if (recorder.writer.isFull) stopRecording();
  });
  // From here to the process's end a signal finishes the file, never closes the socket.
  processGuard.set({
    stop: stopRecording,
    force: () => {
      client.forceClose();
      other?.forceClose();
    },
  });

  const tty = process.stderr.isTTY === true;
  let lastPrinted = 0;
  const progress = setInterval(() => {
    const line = `● REC ${formatElapsed(recorder.writer.durationMs)}  ${formatBytes(recorder.writer.dataBytes)}  peak ${levels.peakDbfs.toFixed(1)} dBFS  rms ${levels.rmsDbfs.toFixed(1)} dBFS  [${client.state}]`;
    if (tty) process.stderr.write(`\r${line}\x1b[K`);
    else if (Date.now() - lastPrinted >= 1000) {
      say(line);
      lastPrinted = Date.now();
    }
  }, 200);

  client.connect();
  other?.connect();
  say(`Recording ${client.channel} from ${client.url} to ${out}${seconds ? ` for ${seconds} s` : ''}. Ctrl+C stops.`);
  await Promise.race([recordingStopped, client.outcome]);
  clearInterval(progress);
  if (tty) process.stderr.write('\n');

  const result = await recorder.finish();
  say(`Saved ${out}: ${(result.durationMs / 1000).toFixed(2)} s, ${formatBytes(result.dataBytes)}${result.drops ? `, ${result.drops} frames dropped (disk too slow)` : ''}.`);
  if (result.error) say(`Warning: ${result.error.message}`);
  // A failure known now is said now, before what may be a long wait for the call to end.
  let told = false;
  const early = await Promise.race([client.outcome, Promise.resolve(undefined)]);
  if (early && (early.state === 'failed' || early.stats.frames === 0)) {
    say(early.message);
    told = true;
  }
  // Even after a failure (e.g. a text frame) the socket may still be open: drain it too.
  await closeAllSafely([client], values['force-close'] === true);
  if (other) await closeAllSafely([other], true);

  const final = await client.outcome;
  if (told) {
    // said above
  } else if (final.state === 'failed' || final.stats.frames === 0) say(final.message);
  else if (final.reason === 'call-ended') say('The call ended; Asterisk closed the stream.');
  if (result.error) return EXIT.error;
  return exitCodeFor(final.reason === 'closed-by-user' ? null : final.reason, final.stats.frames);
}
