/**
 * Call-health findings: what the detectors (main/core/diagnostics) say is wrong with a call.
 * Types only, re-exported by preload/contract.ts, so the renderer can import them.
 */

/** What a finding is about. */
export type FindingKind = 'silence' | 'one-way' | 'clipping' | 'dropout' | 'echo' | 'dtmf' | 'tone';

/** How bad it is: `error` breaks the call, `warning` degrades it, `info` is worth knowing (a DTMF digit). */
export type FindingSeverity = 'error' | 'warning' | 'info';

/**
 * One finding over a stretch of a tap or a recording. Times are seconds of audio from the start
 * of the analysis (a recording's first sample, or a tap's first frame); fields are only ever added.
 */
export interface Finding {
  /** Unique within one analysis; an in-progress update and its final finding share it. */
  id: number;
  kind: FindingKind;
  /** The leg it is about (0 = left / first channel), or null for the whole call. */
  leg: number | null;
  startS: number;
  endS: number;
  severity: FindingSeverity;
  /** One sentence a person can act on. */
  message: string;
  /** Wall-clock time (ms since the epoch) of `startS`, when the audio came with arrival times. */
  startWallMs?: number;
  /** dtmf: the digit, 0-9 * # A-D. */
  digit?: string;
  /** echo: delay of the echo behind the other leg's speech, ms. */
  delayMs?: number;
  /** echo: how much weaker the echo is than the other leg's speech, dB. */
  lossDb?: number;
  /** tone: its frequency, Hz. */
  hz?: number;
  /** clipping: clipped samples in the stretch. */
  clippedSamples?: number;
}

/**
 * A silence or one-way stretch still growing (sent about once a second once it has lasted the
 * detector's minimum). `done` is true when it ended without becoming a finding (then drop it);
 * otherwise a Finding with the same id follows when it ends.
 */
export interface FindingProgress {
  id: number;
  kind: 'silence' | 'one-way';
  leg: number | null;
  startS: number;
  /** How far it reaches so far. */
  endS: number;
  startWallMs?: number;
  done: boolean;
}

/** Levels of one leg over everything analysed so far. */
export interface LegSummary {
  leg: number;
  /** Loudest sample, dBFS (-120 for digital silence). */
  peakDbfs: number;
  /** RMS of all samples, dBFS. */
  rmsDbfs: number;
  /** Share of 10 ms blocks with speech-level sound (at or above the detectors' speech level). */
  activeRatio: number;
}
