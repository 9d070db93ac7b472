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
      if (t === 0 || m.startedAt > t || (m.endedAt !== null && m.endedAt <= t - colMs)) continue;
      const border = m.startedAt > t - BORDER_COLUMNS * colMs;
      if (!border && alpha === 0) continue;
      ctx.globalAlpha = border ? 1 : alpha;
      ctx.fillRect(x0 + i, 0, 1, height);
    }
  }
  ctx.globalAlpha = 1;
}

/** Whether a mark shows in a window ending at `newest` (wall-clock ms) and `windowMs` long. */
export function markInView(m: MarkSpec, newest: number, windowMs: number): boolean {
  return m.startedAt <= newest && (m.endedAt ?? newest) >= newest - windowMs;
}

/** The x (canvas pixels) of a wall-clock time in a picture whose right edge is `newest`. */
export const xOfTime = (t: number, newest: number, width: number, colMs: number): number => width - 1 - (newest - t) / colMs;

/**
 * What moves over the picture rather than with it: each mark's label, kept inside the picture
 * at its left edge while its start has scrolled out, and a dashed edge where a growing mark ends
 * (now). Drawn on top of a copy of the scrolled picture each time.
 */
export function drawOverlays(ctx: Ctx2d, width: number, height: number, newest: number, colMs: number, marks: readonly MarkSpec[], palette: LivePalette): void {
  ctx.font = LABEL_FONT;
  ctx.textBaseline = 'top';
  for (const m of marks) {
    if (!markInView(m, newest, width * colMs)) continue;
    const x = Math.max(0, Math.round(xOfTime(m.startedAt, newest, width, colMs))) + 3;
    const w = Math.ceil(ctx.measureText(m.kind).width) + 6;
    ctx.globalAlpha = 0.85;
    ctx.fillStyle = palette.labelBg;
    ctx.fillRect(x, 1, w, 13);
    ctx.globalAlpha = 1;
    ctx.fillStyle = palette.labelFg;
    ctx.fillText(m.kind, x + 3, 2);
    if (m.endedAt === null) {
      ctx.fillStyle = palette.labelFg;
      for (let y = 0; y < height; y += 4) ctx.fillRect(width - 1, y, 1, 2);
    }
  }
}

/** The message of the topmost mark under x, for a tooltip. */
export function markAt(x: number, width: number, newest: number, colMs: number, marks: readonly MarkSpec[]): string | null {
  const t = newest - (width - 1 - x) * colMs;
  for (let i = marks.length - 1; i >= 0; i--) {
    const m = marks[i]!;
    if (m.startedAt - 2 * colMs <= t && (m.endedAt ?? newest) >= t) return m.message;
  }
  return null;
}
