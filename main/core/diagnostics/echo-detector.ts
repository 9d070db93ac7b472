import type { DetectorSettings } from './detector-settings.ts';
import { dbfsToMeanSquare } from './detector-settings.ts';

/** An echo stretch: `leg` carries a copy of the other leg's speech, `delayMs` later, `lossDb` weaker. */
export type EchoSink = (leg: number, startEnv: number, endEnv: number, delayMs: number, lossDb: number) => void;

/** One direction: does leg `y` carry an echo of leg `x`? */
interface Direction {
  y: number;
  x: number;
  /** Raw products Σ y(t)·x(t-k) over the window, per lag k. */
  r: Float64Array;
  /** The echo stretch: covariance sums per lag and the other leg's variance sum, over its windows. */
  stretchCov: Float64Array;
  stretchVarX: number;
  stretchStart: number;
  stretchEnd: number;
  /** Consecutive windows in which the other leg talked and nothing correlated at the stretch's lag: two end it. */
  misses: number;
  /** Windows of evidence in the stretch, and the lag the first one found. */
  windows: number;
  lag: number;
}

interface Verdict {
  echo: boolean;
  talked: boolean;
  rho: number;
  lag: number;
  varX: number;
  cov: Float64Array;
  rhoAt: (lag: number) => number;
}

/** Windows agree on an echo when their peaks are this many lags apart at most (6 ms at 2 ms). */
const LAG_TOLERANCE = 3;
/** A first echo window waits this many windows for a second that agrees. */
const TENTATIVE_WINDOWS = 5;
/** Envelope steps whose correlation products are added together (at most; one 10 ms block at 2 ms is 5). */
const BATCH = 8;

/**
 * Echo between the two legs of a call, from their RMS envelopes (one value per `envelopeMs`): a
 * bounded cross-correlation over lags `minDelayMs..maxDelayMs`, both ways, in windows of
 * `windowMs`. A window shows echo on leg y when the other leg talked enough in it and the
 * normalised covariance of y with the other leg, delayed, peaks inside the lag range above
 * `minCorrelation`. Windows that agree on the lag make one finding (at least `minWindows` of
 * them: chance correlations do not agree), until two windows in a row show nothing at that lag
 * while the other leg talks; its delay is the peak of their
 * summed covariance (parabolic interpolation between lags) and its loss the gain at that peak
 * (covariance / the other leg's variance), which the leg's own uncorrelated speech does not bias.
 * Cost: about 2 × lags multiply-adds per envelope value, skipped while the other leg has been
 * digital silence for the whole lag range.
 */
export class EchoDetector {
  private readonly s: DetectorSettings['echo'];
  private readonly sink: EchoSink;
  private readonly kMin: number;
  private readonly kMax: number;
  private readonly len: number;
  /** Each leg's last `len` envelope values, stored twice so a lag range is one contiguous run. */
  private readonly rings: [Float64Array, Float64Array];
  /** Non-zero values in each ring: products with an all-zero lag range are skipped (exactly zero). */
  private readonly nonZeroInRing = [0, 0];
  private readonly nonZero: [Uint8Array, Uint8Array];
  private readonly speechAmp: number;
  private p = 0;
  private t = 0;
  private readonly windowLen: number;
  private windowStart = 0;
  private n = 0;
  private readonly sum = [0, 0];
  private readonly sumSq = [0, 0];
  private readonly active = [0, 0];
  private readonly dirs: [Direction, Direction];
  /** Per leg, Σ of the k values just before the window started, k = 0..len (for exact lagged means). */
  private readonly before: [Float64Array, Float64Array];
  private readonly lagSum: Float64Array;
  private readonly tmp: Float64Array;
  private readonly vals = new Float64Array(2);
  /** Ring capacity: the lag range plus a batch, so a batch's newer values never overwrite an older step's lags. */
  private readonly cap: number;
  /** Per direction, the batched steps' own values and ring bases, and their count. */
  private readonly batchY = [new Float64Array(BATCH), new Float64Array(BATCH)];
  private readonly batchBase = [new Int32Array(BATCH), new Int32Array(BATCH)];
  private readonly batchN = [0, 0];
  private batched = 0;
  private readonly one = new Float64Array(4);
  /** The last four raw envelope values of each leg, newest first. */
  private readonly hist = [new Float64Array(4), new Float64Array(4)];

  constructor(settings: DetectorSettings['echo'], speechDbfs: number, sink: EchoSink) {
    this.s = settings;
    this.sink = sink;
    this.kMin = Math.max(1, Math.round(settings.minDelayMs / settings.envelopeMs));
    this.kMax = Math.round(settings.maxDelayMs / settings.envelopeMs);
    this.len = this.kMax + 1;
    this.cap = this.len + BATCH;
    this.rings = [new Float64Array(2 * this.cap), new Float64Array(2 * this.cap)];
    this.nonZero = [new Uint8Array(this.cap), new Uint8Array(this.cap)];
    this.speechAmp = Math.sqrt(dbfsToMeanSquare(speechDbfs));
    this.windowLen = Math.round(settings.windowMs / settings.envelopeMs);
    const dir = (y: number, x: number): Direction => ({ y, x, r: new Float64Array(this.len), stretchCov: new Float64Array(this.len), stretchVarX: 0, stretchStart: -1, stretchEnd: 0, misses: 0, windows: 0, lag: -1 });
    this.dirs = [dir(1, 0), dir(0, 1)];
    this.before = [new Float64Array(this.len + 1), new Float64Array(this.len + 1)];
    this.lagSum = new Float64Array(this.len);
    this.tmp = new Float64Array(this.len + 1);
  }

  /** The two legs' envelope values for one envelope step. */
  step(e0: number, e1: number): void {
    this.one[0] = e0;
    this.one[2] = e1;
    this.steps(this.one, 0, this.one, 2, 1);
  }

  /**
   * `count` envelope steps: leg 0's values `e0[o0 ..]`, leg 1's `e1[o1 ..]`. The products of a
   * batch of steps (up to BATCH, never across a window's end) are added lag by lag, each lag's sum
   * taking the steps in order: the same additions in the same order as step by step, so the same
   * result to the bit, with one load and store of each lag's sum per batch instead of per step.
   */
  steps(e0: Float64Array, o0: number, e1: Float64Array, o1: number, count: number): void {
    const cap = this.cap;
    const vals = this.vals;
    for (let j = 0; j < count; j++) {
      const p = this.p;
      vals[0] = this.smooth(0, e0[o0 + j]!);
      vals[1] = this.smooth(1, e1[o1 + j]!);
      for (let leg = 0; leg < 2; leg++) {
        const v = vals[leg]!;
        const ring = this.rings[leg]!;
        ring[p] = v;
        ring[p + cap] = v;
        const nonZero = v !== 0 ? 1 : 0;
        this.nonZeroInRing[leg]! += nonZero - this.nonZero[leg]![p]!;
        this.nonZero[leg]![p] = nonZero;
        this.sum[leg]! += v;
        this.sumSq[leg]! += v * v;
        if (v >= this.speechAmp) this.active[leg]!++;
      }
      // A step whose products are all exactly zero adds nothing: it is left out of the batch.
      for (let di = 0; di < 2; di++) {
        const d = this.dirs[di]!;
        const yv = vals[d.y]!;
        if (yv === 0 || this.nonZeroInRing[d.x] === 0) continue;
        const b = this.batchN[di]!;
        this.batchY[di]![b] = yv;
        // x(t-k) sits at p + cap - k.
        this.batchBase[di]![b] = p + cap;
        this.batchN[di] = b + 1;
      }
      this.p = p + 1 === cap ? 0 : p + 1;
      this.t++;
      this.batched++;
      if (++this.n >= this.windowLen) {
        this.correlate();
        this.endWindow();
      } else if (this.batched === BATCH) this.correlate();
    }
    this.correlate();
  }

  /** Adds the batched steps' products to each direction's lag sums. */
  private correlate(): void {
    this.batched = 0;
    for (let di = 0; di < 2; di++) {
      const nb = this.batchN[di]!;
      if (nb === 0) continue;
      this.batchN[di] = 0;
      const d = this.dirs[di]!;
      const ring = this.rings[d.x]!;
      const r = d.r;
      const ys = this.batchY[di]!;
      const bs = this.batchBase[di]!;
      const kMin = this.kMin;
      const kMax = this.kMax;
      if (nb === 1) {
        const y0 = ys[0]!;
        const b0 = bs[0]!;
        for (let k = kMin; k <= kMax; k++) r[k]! += y0 * ring[b0 - k]!;
      } else if (nb === 5) {
        const y0 = ys[0]!, y1 = ys[1]!, y2 = ys[2]!, y3 = ys[3]!, y4 = ys[4]!;
        const b0 = bs[0]!, b1 = bs[1]!, b2 = bs[2]!, b3 = bs[3]!, b4 = bs[4]!;
        for (let k = kMin; k <= kMax; k++) {
          let acc = r[k]!;
          acc += y0 * ring[b0 - k]!;
          acc += y1 * ring[b1 - k]!;
          acc += y2 * ring[b2 - k]!;
          acc += y3 * ring[b3 - k]!;
          acc += y4 * ring[b4 - k]!;
          r[k] = acc;
        }
      } else {
        for (let k = kMin; k <= kMax; k++) {
          let acc = r[k]!;
          for (let j = 0; j < nb; j++) acc += ys[j]! * ring[bs[j]! - k]!;
          r[k] = acc;
        }
      }
    }
  }

  /**
   * A 10 ms triangular smoothing of a leg's envelope: voiced speech is periodic, and at 2 ms the
   * envelope still shows the pitch, which would let the correlation lock on a pitch period away
   * from the true delay. Both legs get the same delay from it.
   */
  private smooth(leg: number, v: number): number {
    const h = this.hist[leg]!;
    const out = (h[3]! + 2 * h[2]! + 3 * h[1]! + 2 * h[0]! + v) / 9;
    h[3] = h[2]!;
    h[2] = h[1]!;
    h[1] = h[0]!;
    h[0] = v;
    return out;
  }

  /** Ends open stretches at the end of the audio. */
  finish(): void {
    for (const d of this.dirs) this.endStretch(d);
  }

  /** Σ over the ring of leg's last k values (k = 0..len) into out: the newest first. */
  private tailSums(leg: number, out: Float64Array): void {
    const ring = this.rings[leg]!;
    const last = this.p + this.cap - 1; // the newest value (the ring is stored twice)
    out[0] = 0;
    for (let k = 1; k <= this.len; k++) out[k] = out[k - 1]! + ring[last - k + 1]!;
  }

  private endWindow(): void {
    const n = this.n;
    const verdicts = this.dirs.map((d) => this.judge(d, n));
    // Echo one way masks the weaker mirror image the other way (the same speech, seen back).
    if (verdicts[0]!.echo && verdicts[1]!.echo) verdicts[verdicts[0]!.rho >= verdicts[1]!.rho ? 1 : 0]!.echo = false;
    this.dirs.forEach((d, i) => {
      const v = verdicts[i]!;
      const consistent = d.stretchStart >= 0 && Math.abs(v.lag - d.lag) <= LAG_TOLERANCE;
      if (v.echo && (d.stretchStart < 0 || consistent)) {
        if (d.stretchStart < 0) {
          d.stretchStart = this.windowStart;
          d.lag = v.lag;
        }
        for (let k = this.kMin; k <= this.kMax; k++) d.stretchCov[k]! += v.cov[k]! * n;
        d.stretchVarX += n * v.varX;
        d.stretchEnd = this.t;
        d.windows++;
        d.misses = 0;
      } else if (d.stretchStart >= 0 && d.windows < this.s.minWindows) {
        // Not evidence yet: a window with echo at another lag replaces it; it waits for agreement
        // at most TENTATIVE_WINDOWS windows.
        if (v.echo) {
          this.dropStretch(d);
          d.stretchStart = this.windowStart;
          d.lag = v.lag;
          for (let k = this.kMin; k <= this.kMax; k++) d.stretchCov[k]! += v.cov[k]! * n;
          d.stretchVarX += n * v.varX;
          d.stretchEnd = this.t;
          d.windows = 1;
        } else if (this.t - d.stretchEnd > TENTATIVE_WINDOWS * this.windowLen) this.dropStretch(d);
      } else if (d.stretchStart >= 0 && v.talked && v.rhoAt(d.lag) < this.s.minCorrelation / 2 && ++d.misses >= 2) this.endStretch(d);
      d.r.fill(0);
    });
    for (let leg = 0; leg < 2; leg++) this.tailSums(leg, this.before[leg]!);
    this.windowStart = this.t;
    this.n = 0;
    this.sum.fill(0);
    this.sumSq.fill(0);
    this.active.fill(0);
  }

  private judge(d: Direction, n: number): Verdict {
    const meanY = this.sum[d.y]! / n;
    const meanX = this.sum[d.x]! / n;
    const varY = this.sumSq[d.y]! / n - meanY * meanY;
    const varX = this.sumSq[d.x]! / n - meanX * meanX;
    const talked = this.active[d.x]! / n >= this.s.minOtherActiveRatio;
    const cov = this.lagSum;
    if (!talked || varX <= 1e-9 || varY <= 1e-9) return { echo: false, talked, rho: 0, lag: -1, varX, cov, rhoAt: () => 0 };
    // The other leg's exact mean over the window shifted by k: the window's sum, minus its last
    // k values, plus the k values before it.
    const tail = this.tmp;
    this.tailSums(d.x, tail);
    const pre = this.before[d.x]!;
    let best = -1;
    let bestRho = -Infinity;
    const norm = 1 / Math.sqrt(varX * varY);
    for (let k = this.kMin; k <= this.kMax; k++) {
      const meanXk = (this.sum[d.x]! - tail[k]! + pre[k]!) / n;
      cov[k] = d.r[k]! / n - meanY * meanXk;
      const rho = cov[k]! * norm;
      if (rho > bestRho) [best, bestRho] = [k, rho];
    }
    const gain = cov[best]! / varX;
    // An "echo" louder than its source is the mirror image (the echo leg's copy seen back), not echo.
    const lossDb = gain > 0 ? -20 * Math.log10(gain) : Infinity;
    const plausible = lossDb >= this.s.minLossDb && lossDb <= this.s.maxLossDb;
    const echo = best > this.kMin && best < this.kMax && bestRho >= this.s.minCorrelation && plausible;
    const kept = echo ? Float64Array.from(cov) : cov;
    // ρ near a given lag (the stretch's), to tell a window that contradicts the echo from one that is only unclear.
    const rhoAt = (lag: number): number => {
      let m = -Infinity;
      for (let k = Math.max(this.kMin, lag - LAG_TOLERANCE); k <= Math.min(this.kMax, lag + LAG_TOLERANCE); k++) m = Math.max(m, kept[k]! * norm);
      return m;
    };
    return { echo, talked, rho: bestRho, lag: best, varX, cov: kept, rhoAt };
  }

  /** Forgets a stretch without reporting it. */
  private dropStretch(d: Direction): void {
    d.stretchCov.fill(0);
    d.stretchVarX = 0;
    d.stretchStart = -1;
    d.windows = 0;
    d.misses = 0;
  }

  private endStretch(d: Direction): void {
    if (d.stretchStart < 0) return;
    if (d.windows < this.s.minWindows) {
      this.dropStretch(d);
      return;
    }
    const c = d.stretchCov;
    let k = this.kMin;
    for (let j = this.kMin + 1; j <= this.kMax; j++) if (c[j]! > c[k]!) k = j;
    let lag = k;
    let peak = c[k]!;
    if (k > this.kMin && k < this.kMax) {
      const a = c[k - 1]!;
      const b = c[k + 1]!;
      const den = a - 2 * peak + b;
      if (den < 0) {
        const delta = (0.5 * (a - b)) / den;
        lag = k + delta;
        peak = peak - 0.25 * (a - b) * delta;
      }
    }
    const gain = peak / d.stretchVarX;
    const lossDb = gain > 0 ? -20 * Math.log10(gain) : 99;
    this.sink(d.y, d.stretchStart, d.stretchEnd, lag * this.s.envelopeMs, lossDb);
    this.dropStretch(d);
  }
}
