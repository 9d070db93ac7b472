import { performance } from 'node:perf_hooks';
import { ArrivalRecorder, type ArrivalSummary } from './arrival-stats.ts';
import type { TapOutcome } from './stream-channel-client.ts';
import type { TapTransport } from './tap-transport.ts';
import type { TapReason } from './tap-reasons.ts';
import { SLIN16_FRAME_BYTES } from '../audio/wav-format.ts';

export type ProbeVerdict = 'streaming' | 'silent' | 'channel-not-found' | 'call-ended' | 'failed';

/** What a probe found: the handshake, the first frame, the pacing, and a verdict in words. */
export interface ProbeReport {
  url: string;
  channel: string;
  verdict: ProbeVerdict;
  /** One sentence for a person. */
  summary: string;
  reason: TapReason | null;
  handshakeMs: number | null;
  protocol: string | null;
  firstFrameMs: number | null;
  frames: number;
  bytes: number;
  sizes: Record<string, number>;
  interarrivalMs: ArrivalSummary | null;
  gaps: number;
  tlsNote?: string;
}

/**
 * Connects, listens for `durationMs` (or until the server ends the stream) and reports. The
 * client is returned detached, still draining if the call is up: the caller waits for
 * `client.socketClosed` (or forces a close) so the probe itself never closes first. `endEarly`
 * (e.g. Ctrl+C) ends the listening window before `durationMs`.
 */
export async function runProbe(client: TapTransport, durationMs: number, endEarly?: Promise<void>): Promise<{ report: ProbeReport; client: TapTransport }> {
  const arrivals = new ArrivalRecorder();
  const started = performance.now();
  let openedAt: number | null = null;
  client.events.on('state', (s) => {
    if (s === 'open' && openedAt === null) openedAt = performance.now();
  });
  client.events.on('pcm', (chunk) => arrivals.record(chunk.monotonicMs));
  client.connect();
  let timer: NodeJS.Timeout | undefined;
  const outcome = await Promise.race([
    client.outcome,
    new Promise<null>((resolve) => {
      // The listening window starts at the first byte of the handshake, bounded so a stalled server ends the probe.
      timer = setTimeout(() => resolve(null), durationMs);
      void endEarly?.then(() => resolve(null));
    }),
  ]);
  if (timer) clearTimeout(timer);
  client.stop();
  const stats = client.stats.snapshot();
  const interarrivalMs = arrivals.summary();
  const report: ProbeReport = {
    url: client.url,
    channel: client.channel,
    verdict: verdictOf(outcome, stats.frames),
    summary: '',
    reason: outcome?.reason ?? null,
    handshakeMs: openedAt === null ? null : Math.round((openedAt - started) * 10) / 10,
    protocol: client.protocol ?? null,
    firstFrameMs: stats.firstFrameMs,
    frames: stats.frames,
    bytes: stats.bytes,
    sizes: stats.sizes,
    interarrivalMs,
    gaps: stats.gaps,
  };
  if (client.tlsNote) report.tlsNote = client.tlsNote;
  report.summary = summarize(report, outcome);
  return { report, client };
}

function verdictOf(outcome: TapOutcome | null, frames: number): ProbeVerdict {
  if (outcome === null) return frames > 0 ? 'streaming' : 'silent';
  if (outcome.state === 'failed') return 'failed';
  if (outcome.reason === 'channel-not-found') return 'channel-not-found';
  return 'call-ended';
}

function summarize(r: ProbeReport, outcome: TapOutcome | null): string {
  switch (r.verdict) {
    case 'streaming': {
      const usual = r.sizes[String(SLIN16_FRAME_BYTES)] === r.frames;
      const pace = r.interarrivalMs ? `median ${r.interarrivalMs.median.toFixed(1)} ms, p99 ${r.interarrivalMs.p99.toFixed(1)} ms` : 'one frame';
      return `OK: audio is flowing (${r.frames} frames, ${usual ? '640-byte SLIN16 frames' : 'unusual frame sizes'}, ${pace}; first frame ${r.firstFrameMs} ms after open).`;
    }
    case 'silent':
      return 'Connected, but no audio arrived: the channel exists and is silent (on hold, muted or DTX), or the name matched a channel that sends nothing.';
    case 'call-ended':
      return `The call ended during the probe after ${r.frames} frames.`;
    default:
      return outcome?.message ?? 'The probe failed.';
  }
}
