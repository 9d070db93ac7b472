/**
 * The demo PBX's network: what its PJSIP channels' RTP would have done, as Asterisk's
 * `GET /ari/channels/{id}/rtp_statistics` reports it (shape captured from Asterisk 23.4.1). Every
 * figure is a pure function of the call's frame number, so tests know what to expect.
 *
 * The lossy call's bursts are defined once here: the statistics count the lost packets, and its
 * audio has exact-zero 20 ms frames where they were lost (what Asterisk's concealment of a lost
 * packet looks like on a tap), so the network's view and the audio's can be compared.
 */
import type { FrameSource } from './signal-generators.ts';

const FRAMES_PER_S = 50;

/** A stretch of trouble: every `lossEvery`-th packet lost, jitter and RTT raised. */
export interface NetworkBurst {
  startS: number;
  endS: number;
  lossEvery: number;
  jitterMs: number;
  rttMs: number;
}

/** The lossy call repeats this cycle: two bursts in every 10 s. */
export const LOSSY_CYCLE_S = 10;
export const LOSSY_BURSTS: readonly NetworkBurst[] = [
  { startS: 3, endS: 5, lossEvery: 5, jitterMs: 60, rttMs: 120 },
  { startS: 7, endS: 8, lossEvery: 3, jitterMs: 95, rttMs: 380 },
];
/** A clean line's figures (LAN-like, as in the capture of a real call). */
const CLEAN = { jitterMs: 2, rttMs: 20 };
/** How fast the reported jitter falls back after a burst (RFC 3550's running estimate decays too). */
const JITTER_DECAY_S = 0.4;

const CYCLE_FRAMES = LOSSY_CYCLE_S * FRAMES_PER_S;
const burstFrames = LOSSY_BURSTS.map((b) => ({ ...b, from: b.startS * FRAMES_PER_S, to: b.endS * FRAMES_PER_S }));

/** True when the lossy call's packet for frame `f` (from the call's start) was lost. */
export function lossyFrameLost(f: number): boolean {
  const c = f % CYCLE_FRAMES;
  return burstFrames.some((b) => c >= b.from && c < b.to && (c - b.from) % b.lossEvery === 0);
}

/** Packets lost in frames [0, f) of the lossy call, without walking every frame. */
export function lossyLostBefore(f: number): number {
  const lostIn = (b: (typeof burstFrames)[number], end: number): number => (end <= b.from ? 0 : Math.ceil((Math.min(end, b.to) - b.from) / b.lossEvery));
  const perCycle = burstFrames.reduce((s, b) => s + lostIn(b, CYCLE_FRAMES), 0);
  const rest = f % CYCLE_FRAMES;
  return Math.floor(f / CYCLE_FRAMES) * perCycle + burstFrames.reduce((s, b) => s + lostIn(b, rest), 0);
}

/** Jitter (ms) and RTT (ms) of the lossy call at frame `f`: raised in a burst, jitter decaying after it. */
function lossyFigures(f: number): { jitterMs: number; rttMs: number } {
  const t = (f % CYCLE_FRAMES) / FRAMES_PER_S;
  let jitterMs = CLEAN.jitterMs;
  const rttMs = CLEAN.rttMs;
  for (const b of LOSSY_BURSTS) {
    if (t >= b.startS && t < b.endS) return { jitterMs: b.jitterMs, rttMs: b.rttMs };
    if (t >= b.endS) jitterMs = Math.max(jitterMs, CLEAN.jitterMs + (b.jitterMs - CLEAN.jitterMs) * Math.exp(-(t - b.endS) / JITTER_DECAY_S));
  }
  return { jitterMs, rttMs };
}

/**
 * The lossy call's audio: `source` over a faint line hum (so the only exact-zero stretches are the
 * lost packets, not the talker's pauses), with a frame of exact zeros wherever a packet was lost.
 */
export function withLostFrames(source: FrameSource): FrameSource {
  return (f) => {
    const frame = source(f);
    if (!frame) return null;
    if (lossyFrameLost(f)) return new Int16Array(frame.length);
    for (let i = 0; i < frame.length; i++) {
      const n = f * frame.length + i;
      // 50 Hz at about -58 dBFS, offset by one LSB so it never rounds to a run of zeros.
      frame[i] = Math.max(-32768, Math.min(32767, frame[i]! + Math.round(40 * Math.sin((2 * Math.PI * 50 * n) / 16_000)) + (n % 2 === 0 ? 1 : -1)));
    }
    return frame;
  };
}

/** A small deterministic wobble, so figures move like a real call's and never sit exactly still. */
const wobble = (f: number, seed: number): number => 0.5 + 0.5 * Math.sin(f / 37 + seed);

/** A channel of the demo, as the statistics need it. */
export interface RtpChannel {
  uniqueid: string;
  name: string;
  lossy: boolean;
  /** Frames since the call started (50 per second). */
  frames: number;
  ssrc: number;
}

/** MES as a simple function of loss and jitter (88 on a clean call, as captured); a demo figure, not ITU's E-model. */
function mes(lossPct: number, jitterMs: number): number {
  return Math.max(1, Math.round(88 - 2.5 * lossPct - Math.max(0, jitterMs - 20) / 4));
}

/**
 * Asterisk's rtp_statistics for a demo channel: 403 "Unsupported channel type" for anything but
 * PJSIP (Local, Snoop, WebSocket carry no RTP), else the figures after `frames` packets each way.
 */
export function rtpStatisticsOf(ch: RtpChannel): { status: number; body: unknown } {
  if (!ch.name.startsWith('PJSIP/')) return { status: 403, body: { message: 'Unsupported channel type' } };
  const f = Math.max(0, ch.frames);
  const rxLost = ch.lossy ? lossyLostBefore(f) : 0;
  const now = ch.lossy ? lossyFigures(f) : CLEAN;
  const rxJitter = (now.jitterMs + wobble(f, ch.ssrc % 7)) / 1000;
  const txJitter = (CLEAN.jitterMs * 0.5 + wobble(f, 3)) / 1000;
  const rtt = (now.rttMs + 2 * wobble(f, 5)) / 1000;
  const lossPct = f > 0 ? (100 * rxLost) / f : 0;
  const m = mes(lossPct, now.jitterMs);
  const maxJitter = ch.lossy ? Math.max(...LOSSY_BURSTS.map((b) => b.jitterMs)) / 1000 : rxJitter;
  return {
    status: 200,
    body: {
      txcount: f,
      rxcount: f - rxLost,
      txploss: 0,
      rxploss: rxLost,
      local_ssrc: ch.ssrc,
      remote_ssrc: (ch.ssrc * 2654435761) >>> 0,
      txoctetcount: f * 160,
      rxoctetcount: (f - rxLost) * 160,
      channel_uniqueid: ch.uniqueid,
      txjitter: txJitter,
      rxjitter: rxJitter,
      remote_maxjitter: txJitter * 2,
      remote_minjitter: 0,
      remote_normdevjitter: txJitter,
      remote_stdevjitter: txJitter / 2,
      local_maxjitter: maxJitter,
      local_minjitter: 0,
      local_normdevjitter: rxJitter,
      local_stdevjitter: rxJitter / 2,
      remote_maxrxploss: 0,
      remote_minrxploss: 0,
      remote_normdevrxploss: 0,
      remote_stdevrxploss: 0,
      local_maxrxploss: ch.lossy ? Math.max(...LOSSY_BURSTS.map((b) => 100 / b.lossEvery)) : 0,
      local_minrxploss: 0,
      local_normdevrxploss: lossPct,
      local_stdevrxploss: 0,
      rtt,
      maxrtt: ch.lossy ? Math.max(...LOSSY_BURSTS.map((b) => b.rttMs)) / 1000 : rtt,
      minrtt: CLEAN.rttMs / 1000,
      normdevrtt: rtt,
      stdevrtt: 0.001,
      txmes: 88,
      rxmes: m,
      remote_maxmes: 88,
      remote_minmes: 88,
      remote_normdevmes: 88,
      remote_stdevmes: 0,
      local_maxmes: 88,
      local_minmes: m,
      local_normdevmes: m,
      local_stdevmes: 0,
    },
  };
}
