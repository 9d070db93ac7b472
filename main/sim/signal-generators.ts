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
function prng(seed: number): () => number {
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
export function speechSource(opts: { f0: number; seed: number; peak: number; talking: (frame: number) => boolean }): FrameSource {
  const syllableFrames = 12; // 240 ms
  return (index) => {
    const out = new Int16Array(FRAME_SAMPLES);
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
      out[i] = Math.max(-32767, Math.min(32767, Math.round(opts.peak * loud * env * v * 0.35)));
    }
    return out;
  };
}

/** DTMF row/column frequencies (ITU-T Q.23). */
const DTMF: Record<string, [number, number]> = {
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
  const speech = speechSource({ f0: 160, seed, peak: 30000, talking: () => true });
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
