/**
 * Drawing of the live waveform's columns, shared by the drawing worker and the main-thread
 * fallback. A column is a 1 px bar from its max to its min (at least 1 px tall) on the background.
 * Scrolling copies the canvas left by whole pixels and draws only the new columns: each column's
 * pixels depend only on its own min/max, so the result is the same picture a full redraw makes.
 */

export interface WaveColors {
  bg: string;
  fg: string;
}

type Ctx2d = CanvasRenderingContext2D | OffscreenCanvasRenderingContext2D;

/** Draws `cols` ([min, max] int16 pairs, oldest first) as the columns starting at x = `x0`. */
export function drawColumns(ctx: Ctx2d, x0: number, cols: Int16Array, height: number, colors: WaveColors): void {
  const n = cols.length / 2;
  ctx.fillStyle = colors.bg;
  ctx.fillRect(x0, 0, n, height);
  ctx.fillStyle = colors.fg;
  const mid = height / 2;
  const scale = mid / 32768;
  for (let i = 0; i < n; i++) {
    const top = mid - cols[i * 2 + 1]! * scale;
    const bottom = mid - cols[i * 2]! * scale;
    ctx.fillRect(x0 + i, top, 1, Math.max(1, bottom - top));
  }
}

/**
 * Brings a canvas that shows the columns up to some point up to date with `fresh`, the columns
 * added since: scroll by their count and draw them at the right (or everything, when `full` or
 * when they fill the width). `fresh` holds the newest min(added, width) columns. `decorate` draws
 * over the n columns from x0 just drawn (finding marks), from their data alone.
 */
export function drawUpdate(ctx: Ctx2d, width: number, height: number, fresh: Int16Array, full: boolean, colors: WaveColors, decorate?: (x0: number, n: number) => void): void {
  const n = fresh.length / 2;
  if (full || n >= width) {
    ctx.fillStyle = colors.bg;
    ctx.fillRect(0, 0, width, height);
    drawColumns(ctx, width - n, fresh, height, colors);
    decorate?.(width - n, n);
    return;
  }
  if (n === 0) return;
  // A copy of the canvas onto itself, by whole pixels: no resampling, the pixels move unchanged.
  ctx.drawImage(ctx.canvas, n, 0, width - n, height, 0, 0, width - n, height);
  drawColumns(ctx, width - n, fresh, height, colors);
  decorate?.(width - n, n);
}

/** What a picture check finds (tests): see {@link comparePictures}. */
export interface PictureCheck {
  /** The largest channel difference (0-255) between the picture and a full redraw. */
  maxDiff: number;
  /** Per column, the pixels not of the background colour (the bar's height). */
  barHeights: number[];
}

/** Compares a live picture with a full redraw of the same columns, and measures its bars. */
export function comparePictures(live: ImageData, ref: ImageData): PictureCheck {
  let maxDiff = 0;
  for (let i = 0; i < live.data.length; i++) maxDiff = Math.max(maxDiff, Math.abs(live.data[i]! - ref.data[i]!));
  const { width, height, data } = live;
  // The background: the top-left pixel (a bar reaches the top row only when the audio clips).
  const bg = [data[0], data[1], data[2]];
  const barHeights: number[] = [];
  for (let x = 0; x < width; x++) {
    let n = 0;
    for (let y = 0; y < height; y++) {
      const i = (y * width + x) * 4;
      if (data[i] !== bg[0] || data[i + 1] !== bg[1] || data[i + 2] !== bg[2]) n++;
    }
    barHeights.push(n);
  }
  return { maxDiff, barHeights };
}
