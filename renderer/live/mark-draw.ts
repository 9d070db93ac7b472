import type { LivePalette, MarkSpec } from './live-protocol.ts';

type Ctx2d = OffscreenCanvasRenderingContext2D | CanvasRenderingContext2D;

/** A band's opacity over the waveform, by severity (info marks are a border only). */
const BAND_ALPHA: Record<MarkSpec['severity'], number> = { error: 0.18, warning: 0.16, info: 0 };
/** The border where a finding started, in columns. */
const BORDER_COLUMNS = 2;
const LABEL_FONT = '10px sans-serif';

const colorOf = (m: MarkSpec, p: LivePalette): string => (m.severity === 'error' ? p.bad : m.severity === 'warning' ? p.warn : p.info);

/**
 * Draws the marks' bands and start borders over the columns starting at x0, dated by `times`
 * (each column's end, wall-clock ms; 0 before any audio) and `colMs` long. What a column gets
 * depends only on its own time, so a scrolled picture stays equal to a full redraw.
 */
export function drawBands(ctx: Ctx2d, x0: number, times: Float64Array, height: number, marks: readonly MarkSpec[], colMs: number, palette: LivePalette): void {
  for (const m of marks) {
    const alpha = BAND_ALPHA[m.severity];
    ctx.fillStyle = colorOf(m, palette);
    for (let i = 0; i < times.length; i++) {
      const t = times[i]!;
      if (!covers(m, t, colMs)) continue;
      const border = m.startedAt > t - BORDER_COLUMNS * colMs;
      if (!border && alpha === 0) continue;
      ctx.globalAlpha = border ? 1 : alpha;
      ctx.fillRect(x0 + i, 0, 1, height);
    }
  }
  ctx.globalAlpha = 1;
}

/** Whether a mark covers a column that ends at `t` (wall-clock ms; 0: no audio) and lasts `colMs`. */
export function covers(m: MarkSpec, t: number, colMs: number): boolean {
  return t !== 0 && m.startedAt <= t && (m.endedAt === null || m.endedAt > t - colMs);
}

/**
 * The first column of the picture a mark covers, or -1: `times` are the picture's columns' end
 * times, left to right (0 where there was no audio). Dated by the columns themselves, so a mark
 * before a pause (hold, stall) is found where its band is, not where an even clock would put it.
 */
export function firstColumnOf(m: MarkSpec, times: Float64Array, colMs: number): number {
  for (let x = 0; x < times.length; x++) if (covers(m, times[x]!, colMs)) return x;
  return -1;
}

/**
 * What moves over the picture rather than with it: each mark's label, kept inside the picture
 * at its left edge while its start has scrolled out, and a dashed edge where a growing mark ends
 * (now). Drawn on top of a copy of the scrolled picture each time; returns the kinds shown.
 */
export function drawOverlays(ctx: Ctx2d, times: Float64Array, height: number, colMs: number, marks: readonly MarkSpec[], palette: LivePalette): string[] {
  const width = times.length;
  const shown: string[] = [];
  ctx.font = LABEL_FONT;
  ctx.textBaseline = 'top';
  for (const m of marks) {
    const first = firstColumnOf(m, times, colMs);
    if (first < 0) continue;
    shown.push(m.kind);
    const x = first + 3;
    const w = Math.ceil(ctx.measureText(m.kind).width) + 6;
    ctx.globalAlpha = 0.85;
    ctx.fillStyle = palette.labelBg;
    ctx.fillRect(x, 1, w, 13);
    ctx.globalAlpha = 1;
    ctx.fillStyle = palette.labelFg;
    ctx.fillText(m.kind, x + 3, 2);
    if (m.endedAt === null && covers(m, times[width - 1]!, colMs)) {
      for (let y = 0; y < height; y += 4) ctx.fillRect(width - 1, y, 1, 2);
    }
  }
  return shown;
}

/** The message of the topmost mark under column x (or within its 2-column start border), for a tooltip. */
export function markAt(x: number, times: Float64Array, colMs: number, marks: readonly MarkSpec[]): string | null {
  const t = times[Math.max(0, Math.min(times.length - 1, Math.round(x)))] ?? 0;
  for (let i = marks.length - 1; i >= 0; i--) {
    const m = marks[i]!;
    if (covers(m, t, colMs) || covers(m, t + 2 * colMs, colMs)) return m.message;
  }
  return null;
}
