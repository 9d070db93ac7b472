/**
 * Every threshold of the call-health detectors, with the defaults of issue 12. Levels are dBFS
 * (0 = full scale, RMS over 10 ms blocks unless said otherwise), times milliseconds.
 */
export interface DetectorSettings {
  /** Sample rate of the audio (SLIN16: 16000). The detectors are tuned for 16 kHz. */
  sampleRate: number;
  levels: {
    /** A block at or below this is silent (dead air). */
    silenceDbfs: number;
    /** A block at or above this counts as speech (one-way's "other leg talks", activeRatio). */
    speechDbfs: number;
  };
  silence: {
    minMs: number;
    /** In a two-leg call, a leg silent while the other talks for at least this share of the stretch is listening, not dead air (one-way covers the long case). */
    skipWhenOtherTalksRatio: number;
  };
  oneWay: {
    minMs: number;
    /** The other leg counts as talking until this long after its last speech block (bridges pauses between words). */
    speechHangMs: number;
  };
  clipping: {
    /** Shortest run of samples within 1 LSB of full scale. */
    minRun: number;
    /** Runs closer than this merge into one finding. */
    mergeMs: number;
  };
  dropout: {
    minMs: number;
    /** A run this long or longer is silence, not a dropout. */
    maxMs: number;
    /** Audio must be this close on both sides of the run. */
    contextMs: number;
  };
  echo: {
    minDelayMs: number;
    maxDelayMs: number;
    /** Envelope resolution: one envelope value per this many ms (the correlation's lag step). */
    envelopeMs: number;
    /** Analysis window; a finding needs at least one window with echo. */
    windowMs: number;
    /** Normalised envelope correlation at the echo's delay needed to call it echo. */
    minCorrelation: number;
    /** Share of a window in which the other leg must talk for the window to count as evidence. */
    minOtherActiveRatio: number;
    /** An echo weaker than this is inaudible: not a finding. */
    maxLossDb: number;
    /** Echo is weaker than its source: less loss than this is the mirror image seen from the other leg. */
    minLossDb: number;
    /** Windows that must agree on the delay before it is a finding. */
    minWindows: number;
  };
  dtmf: {
    /** Decide at this frequency deviation (ITU Q.24: operate within ±1.5 %, not beyond ±3.5 %). */
    maxFreqDeviation: number;
    /** Largest level difference between the two tones, either way, dB. */
    maxTwistDb: number;
    /** Each tone's RMS at least this. */
    minToneDbfs: number;
    /** The two tones' share of the window's energy. */
    minPurity: number;
    minToneMs: number;
    minPauseMs: number;
  };
  tone: {
    minMs: number;
    /** How far each 100 ms estimate may stray from the stretch's frequency (±2 %). */
    maxFreqDeviation: number;
    minDbfs: number;
    /** Peak / RMS of a block at most this (a sine is 1.414; speech and noise are far above). */
    maxCrest: number;
    /** Quiet gaps up to this long inside a stretch (cadenced ringback/busy) do not end it. */
    maxGapMs: number;
  };
}

export const DEFAULT_DETECTOR_SETTINGS: DetectorSettings = {
  sampleRate: 16_000,
  levels: { silenceDbfs: -55, speechDbfs: -45 },
  silence: { minMs: 2000, skipWhenOtherTalksRatio: 0.5 },
  oneWay: { minMs: 5000, speechHangMs: 2000 },
  clipping: { minRun: 3, mergeMs: 500 },
  dropout: { minMs: 20, maxMs: 2000, contextMs: 200 },
  echo: { minDelayMs: 10, maxDelayMs: 500, envelopeMs: 2, windowMs: 2000, minCorrelation: 0.4, minOtherActiveRatio: 0.2, maxLossDb: 40, minLossDb: 0, minWindows: 2 },
  dtmf: { maxFreqDeviation: 0.025, maxTwistDb: 8, minToneDbfs: -36, minPurity: 0.85, minToneMs: 40, minPauseMs: 40 },
  tone: { minMs: 3000, maxFreqDeviation: 0.02, minDbfs: -45, maxCrest: 1.6, maxGapMs: 1000 },
};

/** Settings to override, group by group. */
export type DetectorSettingsPatch = { [G in keyof DetectorSettings]?: DetectorSettings[G] extends object ? Partial<DetectorSettings[G]> : DetectorSettings[G] };

export function resolveSettings(patch: DetectorSettingsPatch = {}): DetectorSettings {
  const d = DEFAULT_DETECTOR_SETTINGS;
  return {
    sampleRate: patch.sampleRate ?? d.sampleRate,
    levels: { ...d.levels, ...patch.levels },
    silence: { ...d.silence, ...patch.silence },
    oneWay: { ...d.oneWay, ...patch.oneWay },
    clipping: { ...d.clipping, ...patch.clipping },
    dropout: { ...d.dropout, ...patch.dropout },
    echo: { ...d.echo, ...patch.echo },
    dtmf: { ...d.dtmf, ...patch.dtmf },
    tone: { ...d.tone, ...patch.tone },
  };
}

/** Mean square of full scale, for dBFS of block energies. */
export const FULL_SCALE_SQ = 32768 * 32768;

/** A dBFS level as a mean square of 16-bit samples. */
export function dbfsToMeanSquare(dbfs: number): number {
  return FULL_SCALE_SQ * 10 ** (dbfs / 10);
}

export function meanSquareToDbfs(ms: number): number {
  return ms <= 0 ? -120 : Math.max(-120, 10 * Math.log10(ms / FULL_SCALE_SQ));
}
