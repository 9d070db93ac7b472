/** Formats positions in a recording as the wall-clock time they were heard, when the start is known. */
export class WallClock {
  private readonly startMs: number | null;

  constructor(startedAt: string | null) {
    const t = startedAt ? Date.parse(startedAt) : NaN;
    this.startMs = Number.isFinite(t) ? t : null;
  }

  /** "14:03:07" (or "+01:02" from the start when the wall clock is unknown); tenths when asked. */
  format(seconds: number, tenths = false): string {
    if (this.startMs === null) return offset(seconds, tenths);
    const d = new Date(this.startMs + seconds * 1000);
    const p = (n: number): string => String(n).padStart(2, '0');
    return `${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}${tenths ? `.${Math.floor(d.getMilliseconds() / 100)}` : ''}`;
  }

  /** Both: "14:03:07.2 (+01:02.2)". */
  describe(seconds: number): string {
    return this.startMs === null ? offset(seconds, true) : `${this.format(seconds, true)} (${offset(seconds, true)})`;
  }
}

/** "+mm:ss" from the start of the recording. */
export function offset(seconds: number, tenths = false): string {
  const s = Math.max(0, seconds);
  const m = Math.floor(s / 60);
  const rest = s - m * 60;
  return `+${String(m).padStart(2, '0')}:${(tenths ? rest.toFixed(1) : String(Math.floor(rest))).padStart(tenths ? 4 : 2, '0')}`;
}
