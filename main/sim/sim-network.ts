/**
 * The demo PBX's network: what its PJSIP channels' RTP would have done, as Asterisk's
 * `GET /ari/channels/{id}/rtp_statistics` reports it (shape captured from Asterisk 23.4.1). Every
 * figure is a pure function of the call's frame number, so tests know what to expect.
 *
 * The lossy leg's bursts are the detectors' dropout schedule (signal-generators.ts): the
 * statistics count exactly the packets whose audio is zeros there (what Asterisk's concealment of a
 * lost packet looks like on a tap), so the network's view and the audio's can be compared.
 */

import { DROPOUT_BURSTS, DROPOUT_CYCLE_FRAMES, inDropout } from './signal-generators.ts';

const FRAMES_PER_S = 50;

/**
 * The demo's lossy call is the dropouts call: its `PJSIP/judy-…` leg loses every packet of each
 * burst of the detectors' DROPOUT_BURSTS (its audio has zeros exactly there), and its jitter and
 * RTT rise with each burst, longer bursts more.
 */
export const LOSSY_CHANNEL_PREFIX = 'PJSIP/judy-';
export const LOSSY_SCENARIO = 'dropouts';

/** A burst as the network saw it: frames [from, to) of each cycle lost, jitter and RTT raised. */
export interface NetworkBurst {
  from: number;
  to: number;
  jitterMs: number;
  rttMs: number;
}
export const LOSSY_BURSTS: readonly NetworkBurst[] = DROPOUT_BURSTS.map((b) => ({
  from: b.startFrame,
  to: b.startFrame + b.frames,
  // 40 ms of loss: 34 ms of jitter; 400 ms: 95 ms (a congested Wi-Fi link queues before it drops).
  jitterMs: Math.round(30 + 3.3 * b.frames),
  rttMs: b.frames >= 20 ? 380 : 40 + 6 * b.frames,
}));
/** A clean line's figures (LAN-like, as in the capture of a real call). */
const CLEAN = { jitterMs: 2, rttMs: 20 };
/** How fast the reported jitter falls back after a burst (RFC 3550's running estimate decays too). */
const JITTER_DECAY_S = 0.6;
/** RTT comes from RTCP reports: a raised figure stays until the next report, about this long. */
const RTT_HOLD_FRAMES = 100;

/** True when the lossy leg's packet for frame `f` (from the call's start) was lost: where its audio has zeros. */
export function lossyFrameLost(f: number): boolean {
  return inDropout(f);
}

/** Packets lost in frames [0, f) of the lossy leg, without walking every frame. */
export function lossyLostBefore(f: number): number {
  const lostIn = (b: NetworkBurst, end: number): number => Math.max(0, Math.min(end, b.to) - b.from);
  const perCycle = LOSSY_BURSTS.reduce((s, b) => s + lostIn(b, DROPOUT_CYCLE_FRAMES), 0);
  const rest = f % DROPOUT_CYCLE_FRAMES;
  return Math.floor(f / DROPOUT_CYCLE_FRAMES) * perCycle + LOSSY_BURSTS.reduce((s, b) => s + lostIn(b, rest), 0);
}

/** Jitter (ms) and RTT (ms) of the lossy leg at frame `f`: raised in a burst, then falling back. */
function lossyFigures(f: number): { jitterMs: number; rttMs: number } {
  const c = f % DROPOUT_CYCLE_FRAMES;
  let jitterMs = CLEAN.jitterMs;
  let rttMs = CLEAN.rttMs;
  for (const b of LOSSY_BURSTS) {
    if (c >= b.from && c < b.to) jitterMs = Math.max(jitterMs, b.jitterMs);
    else if (c >= b.to) jitterMs = Math.max(jitterMs, CLEAN.jitterMs + (b.jitterMs - CLEAN.jitterMs) * Math.exp(-(c - b.to) / FRAMES_PER_S / JITTER_DECAY_S));
    if (c >= b.from && c < b.to + RTT_HOLD_FRAMES) rttMs = Math.max(rttMs, b.rttMs);
  }
  return { jitterMs, rttMs };
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
      local_maxrxploss: ch.lossy ? 100 : 0,
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
