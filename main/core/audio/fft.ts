/**
 * Magnitudes of a real signal's spectrum (radix-2, in place), normalised so a full-scale sine
 * reads about 1. Small and allocation-free per call: the spectrogram runs thousands of these.
 */
export class Fft {
  readonly size: number;
  private readonly re: Float64Array;
  private readonly im: Float64Array;
  private readonly window: Float64Array;
  private readonly rev: Uint32Array;

  constructor(size: number) {
    if (size < 2 || (size & (size - 1)) !== 0) throw new RangeError('FFT size must be a power of two');
    this.size = size;
    this.re = new Float64Array(size);
    this.im = new Float64Array(size);
    // Hann window: the plugin's default too, so pictures look alike.
    this.window = Float64Array.from({ length: size }, (_, i) => 0.5 * (1 - Math.cos((2 * Math.PI * i) / (size - 1))));
    const bits = Math.log2(size);
    this.rev = Uint32Array.from({ length: size }, (_, i) => {
      let r = 0;
      for (let b = 0; b < bits; b++) r |= ((i >> b) & 1) << (bits - 1 - b);
      return r;
    });
  }

  /** `input` holds `size` samples in -1..1; returns `size / 2` magnitudes. */
  magnitudes(input: ArrayLike<number>, out = new Float64Array(this.size / 2)): Float64Array {
    const { re, im, size } = this;
    for (let i = 0; i < size; i++) {
      re[this.rev[i]!] = (input[i] ?? 0) * this.window[i]!;
      im[this.rev[i]!] = 0;
    }
    for (let len = 2; len <= size; len <<= 1) {
      const ang = (-2 * Math.PI) / len;
      const wr = Math.cos(ang);
      const wi = Math.sin(ang);
      for (let i = 0; i < size; i += len) {
        let cr = 1;
        let ci = 0;
        for (let j = 0; j < len / 2; j++) {
          const a = i + j;
          const b = a + len / 2;
          const tr = re[b]! * cr - im[b]! * ci;
          const ti = re[b]! * ci + im[b]! * cr;
          re[b] = re[a]! - tr;
          im[b] = im[a]! - ti;
          re[a] = re[a]! + tr;
          im[a] = im[a]! + ti;
          const ncr = cr * wr - ci * wi;
          ci = cr * wi + ci * wr;
          cr = ncr;
        }
      }
    }
    // ×4/size: 2/size for a one-sided spectrum, ×2 for the Hann window's 0.5 coherent gain.
    for (let k = 0; k < size / 2; k++) out[k] = (4 / size) * Math.hypot(re[k]!, im[k]!);
    return out;
  }
}
