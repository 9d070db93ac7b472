/**
 * Deterministic audio for the demo PBX. Every generator is a pure function of the sample index,
 * so a frame has the same bytes in every run and for every listener.
 */
export const SAMPLE_RATE = 16_000;
export const FRAME_SAMPLES = 320;

/** Produces one 20 ms frame of samples for frame number `index`, or null for "no frame sent". */
export type FrameSource = (index: number) => Int16Array | null;

/** Milliwatt as captured from Asterisk 23: 1004 Hz, peak 25107 (-2.3 dBFS), RMS -6 dBFS. */
export const MILLIWATT_HZ = 1004;
export const MILLIWATT_PEAK = 25107;

export function toneSource(hz: number, peak: number): FrameSource {
  return (index) => {
    const out = new Int16Array(FRAME_SAMPLES);
    const start = index * FRAME_SAMPLES;
    for (let i = 0; i < FRAME_SAMPLES; i++) out[i] = Math.round(peak * Math.sin((2 * Math.PI * hz * (start + i)) / SAMPLE_RATE));
    return out;
  };
}

/** A tiny seeded PRNG (mulberry32), so "random" speech is the same every run. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Speech-like sound: a voiced source at `f0` shaped by two formants, in syllables of 150-300 ms
 * grouped into words, talking only while `talking(frameIndex)` is true. Not speech, but it has
 * speech's rhythm, pitch and spectrum, which is what meters, waveforms and VAD-ish eyes need.
 */
export function speechSource(opts: { f0: number; seed: number; peak: number; talking: (frame: number) => boolean; floor?: number }): FrameSource {
  const syllableFrames = 12; // 240 ms
  const floor = opts.floor ?? 0;
  return (index) => {
    const out = new Int16Array(FRAME_SAMPLES);
    // A room's faint noise (optional): real pauses are quiet, not digital zero (which reads as a dropout).
    if (floor > 0) {
      const noise = prng(opts.seed * 104729 + index);
      for (let i = 0; i < FRAME_SAMPLES; i++) out[i] = Math.round((noise() * 2 - 1) * floor);
    }
    if (!opts.talking(index)) return out;
    const syllable = Math.floor(index / syllableFrames);
    const rnd = prng(opts.seed * 7919 + syllable);
    const pause = rnd() < 0.18;
    if (pause) return out;
    const pitch = opts.f0 * (0.85 + 0.3 * rnd());
    const f1 = 300 + 500 * rnd();
    const f2 = 900 + 1400 * rnd();
    const loud = 0.5 + 0.5 * rnd();
    const start = index * FRAME_SAMPLES;
    const posInSyllable = (index % syllableFrames) * FRAME_SAMPLES;
    for (let i = 0; i < FRAME_SAMPLES; i++) {
      const n = start + i;
      const t = n / SAMPLE_RATE;
      const env = Math.sin((Math.PI * (posInSyllable + i)) / (syllableFrames * FRAME_SAMPLES));
      let v = 0;
      for (let h = 1; h * pitch < 3400; h++) {
        const f = h * pitch;
        const gain = 1 / (1 + ((f - f1) / 120) ** 2) + 0.6 / (1 + ((f - f2) / 200) ** 2) + 0.02;
        v += gain * Math.sin(2 * Math.PI * f * t + h);
      }
      out[i] = Math.max(-32767, Math.min(32767, out[i]! + Math.round(opts.peak * loud * env * v * 0.35)));
    }
    return out;
  };
}

/** DTMF row/column frequencies (ITU-T Q.23). */
export const DTMF: Record<string, [number, number]> = {
  '1': [697, 1209], '2': [697, 1336], '3': [697, 1477], A: [697, 1633],
  '4': [770, 1209], '5': [770, 1336], '6': [770, 1477], B: [770, 1633],
  '7': [852, 1209], '8': [852, 1336], '9': [852, 1477], C: [852, 1633],
  '*': [941, 1209], '0': [941, 1336], '#': [941, 1477], D: [941, 1633],
};

/**
 * Digits as DTMF (100 ms tone, 100 ms gap) over a quiet line, then a dropout of `dropoutMs`
 * during which no frames are sent at all (as when RTP stops), repeating every `cycleMs`.
 */
export function dtmfWithDropoutSource(digits: string, cycleMs = 8000, dropoutMs = 2000): FrameSource {
  const framesPerCycle = cycleMs / 20;
  const dropoutStart = framesPerCycle - dropoutMs / 20;
  return (index) => {
    const inCycle = index % framesPerCycle;
    if (inCycle >= dropoutStart) return null;
    const out = new Int16Array(FRAME_SAMPLES);
    const digitSlot = Math.floor(inCycle / 10); // 200 ms per digit: 100 ms tone + 100 ms gap
    const inSlot = inCycle % 10;
    const digit = digits[digitSlot];
    const pair = digit === undefined ? undefined : DTMF[digit];
    const start = index * FRAME_SAMPLES;
    for (let i = 0; i < FRAME_SAMPLES; i++) {
      const t = (start + i) / SAMPLE_RATE;
      let v = 40 * Math.sin(2 * Math.PI * 50 * t); // faint hum: the line is open
      if (pair && inSlot < 5) v += 7000 * (Math.sin(2 * Math.PI * pair[0] * t) + Math.sin(2 * Math.PI * pair[1] * t));
      out[i] = Math.round(v);
    }
    return out;
  };
}

/** The digit whose tone ends at frame `index` of {@link dtmfWithDropoutSource}, for DTMF_END events. */
export function dtmfEndAt(digits: string, cycleMs = 8000): (index: number) => string | undefined {
  const framesPerCycle = cycleMs / 20;
  return (index) => {
    const inCycle = index % framesPerCycle;
    // Each digit: 5 frames of tone then 5 of gap; the tone ends on the 5th frame of its slot.
    return inCycle % 10 === 4 ? digits[Math.floor(inCycle / 10)] : undefined;
  };
}

/** An over-driven line: speech amplified 4x and hard-clipped at full scale. */
export function clippingSource(seed: number): FrameSource {
  const speech = speechSource({ f0: 160, seed, peak: 30000, talking: () => true, floor: 5 });
  return (index) => {
    const frame = speech(index);
    if (!frame) return null;
    for (let i = 0; i < frame.length; i++) frame[i] = Math.max(-32768, Math.min(32767, frame[i]! * 4));
    return frame;
  };
}

/** A line that carries no voice frames at all (on hold, DTX): res_ari_stream sends nothing. */
export const silentSource: FrameSource = () => null;

/** Little-endian bytes of a frame, as they go on the wire. */
export function frameBytes(samples: Int16Array): Buffer {
  const buf = Buffer.allocUnsafe(samples.length * 2);
  for (let i = 0; i < samples.length; i++) buf.writeInt16LE(samples[i]!, i * 2);
  return buf;
}

/** G.711 μ-law of one linear sample (ITU-T G.711, with the usual bias of 0x84 and clip). */
function linearToUlaw(sample: number): number {
  const sign = sample < 0 ? 0x80 : 0;
  const magnitude = Math.min(32635, Math.abs(sample)) + 0x84;
  let exponent = 7;
  for (let mask = 0x4000; (magnitude & mask) === 0 && exponent > 0; mask >>= 1) exponent--;
  const mantissa = (magnitude >> (exponent + 3)) & 0x0f;
  return ~(sign | (exponent << 4) | mantissa) & 0xff;
}

/** A 16 kHz frame as 8 kHz μ-law (every other sample; the demo's signals stay under 4 kHz). */
export function frameUlaw(samples: Int16Array): Buffer {
  const out = Buffer.allocUnsafe(samples.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = linearToUlaw(samples[i * 2]!);
  return out;
}

/**
 * A leg carrying an echo: its own sound plus the other leg's, `delayMs` later and `lossDb` weaker
 * (a hybrid or an acoustic path at the far end).
 */
export function echoSource(own: FrameSource, other: FrameSource, delayMs: number, lossDb: number): FrameSource {
  const delay = Math.round((delayMs * SAMPLE_RATE) / 1000);
  const gain = 10 ** (-lossDb / 20);
  // The other leg's frames are computed once more here; keep the last few (consecutive frames share one).
  const cache = new Map<number, Int16Array | null>();
  const otherFrame = (f: number): Int16Array | null => {
    let v = cache.get(f);
    if (v === undefined) {
      v = other(f);
      cache.set(f, v);
      if (cache.size > 4) cache.delete(cache.keys().next().value!);
    }
    return v;
  };
  return (index) => {
    const out = own(index) ?? new Int16Array(FRAME_SAMPLES);
    const from = index * FRAME_SAMPLES - delay;
    for (let f = Math.floor(from / FRAME_SAMPLES); f * FRAME_SAMPLES < from + FRAME_SAMPLES; f++) {
      const src = f < 0 ? null : otherFrame(f);
      if (!src) continue;
      for (let i = 0; i < FRAME_SAMPLES; i++) {
        const j = f * FRAME_SAMPLES + i - from;
        if (j >= 0 && j < FRAME_SAMPLES) out[j] = Math.max(-32768, Math.min(32767, out[j]! + Math.round(src[i]! * gain)));
      }
    }
    return out;
  };
}

/** One burst of lost audio concealed with zeros: frames [startFrame, startFrame + frames) of every cycle. */
export interface DropoutBurst {
  startFrame: number;
  frames: number;
}

/**
 * The demo's dropout schedule, repeating every DROPOUT_CYCLE_FRAMES (12 s, two 3 s turns of each
 * party): bursts of 40, 100, 200 and 400 ms of zeros, all while the lossy party talks (frames
 * 0-149 and 300-449 of the cycle). Exported so that other views (RTP loss) can match them frame
 * for frame.
 */
export const DROPOUT_CYCLE_FRAMES = 600;
export const DROPOUT_BURSTS: readonly DropoutBurst[] = [
  { startFrame: 40, frames: 2 },
  { startFrame: 100, frames: 5 },
  { startFrame: 330, frames: 10 },
  { startFrame: 400, frames: 20 },
];

/** Whether frame `index` of a dropout leg is lost (zeros). */
export function inDropout(index: number): boolean {
  const f = index % DROPOUT_CYCLE_FRAMES;
  return DROPOUT_BURSTS.some((b) => f >= b.startFrame && f < b.startFrame + b.frames);
}

/** A source whose frames are zeroed where {@link inDropout} says (lost packets concealed with silence). */
export function dropoutSource(base: FrameSource): FrameSource {
  return (index) => (inDropout(index) ? new Int16Array(FRAME_SAMPLES) : base(index));
}

/**
 * In-band DTMF as an IVR hears it: `digits` as tones of `toneMs` with `gapMs` between, then
 * `restMs` of a faint line, repeating; a digit's twist alternates between 0 and +4 dB.
 */
export function inbandDtmfSource(digits: string, toneMs = 80, gapMs = 80, restMs = 1500): FrameSource {
  const perDigit = ((toneMs + gapMs) * SAMPLE_RATE) / 1000;
  const cycle = perDigit * digits.length + (restMs * SAMPLE_RATE) / 1000;
  const toneSamples = (toneMs * SAMPLE_RATE) / 1000;
  return (index) => {
    const out = new Int16Array(FRAME_SAMPLES);
    const noise = prng(4242 + index);
    for (let i = 0; i < FRAME_SAMPLES; i++) {
      const n = index * FRAME_SAMPLES + i;
      const inCycle = n % cycle;
      const slot = Math.floor(inCycle / perDigit);
      const pair = slot < digits.length && inCycle % perDigit < toneSamples ? DTMF[digits[slot]!] : undefined;
      let v = (noise() * 2 - 1) * 30;
      if (pair) {
        const t = n / SAMPLE_RATE;
        const colGain = slot % 2 === 0 ? 1 : 10 ** (4 / 20);
        v += 5000 * Math.sin(2 * Math.PI * pair[0] * t) + 5000 * colGain * Math.sin(2 * Math.PI * pair[1] * t);
      }
      out[i] = Math.round(v);
    }
    return out;
  };
}

/** The in-band DTMF digits of {@link inbandDtmfSource} with their spans in seconds, for the first `cycles` cycles. */
export function inbandDtmfSchedule(digits: string, cycles: number, toneMs = 80, gapMs = 80, restMs = 1500): { digit: string; startS: number; endS: number }[] {
  const out: { digit: string; startS: number; endS: number }[] = [];
  const cycleMs = (toneMs + gapMs) * digits.length + restMs;
  for (let c = 0; c < cycles; c++) {
    [...digits].forEach((digit, i) => {
      const start = c * cycleMs + i * (toneMs + gapMs);
      out.push({ digit, startS: start / 1000, endS: (start + toneMs) / 1000 });
    });
  }
  return out;
}
