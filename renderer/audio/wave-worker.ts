/**
 * The live waveforms' drawing thread: each waveform's canvas is transferred here
 * (transferControlToOffscreen), so drawing and presenting a new picture costs the page's main
 * thread nothing but one message (no style, layout, paint or commit there). The main thread keeps
 * the columns and says what changed; this side scrolls and draws only that.
 */
import { comparePictures, drawUpdate, type WaveColors } from './wave-draw.ts';
import type { WaveWorkerReply, WaveWorkerRequest } from './wave-worker-protocol.ts';

interface Surface {
  canvas: OffscreenCanvas;
  ctx: OffscreenCanvasRenderingContext2D;
  colors: WaveColors;
}

const surfaces = new Map<number, Surface>();

declare const self: { onmessage: ((ev: MessageEvent<WaveWorkerRequest>) => void) | null; postMessage(msg: WaveWorkerReply): void };

self.onmessage = (ev) => {
  const msg = ev.data;
  if (msg.kind === 'attach') {
    const ctx = msg.canvas.getContext('2d', { alpha: false });
    if (ctx) surfaces.set(msg.id, { canvas: msg.canvas, ctx, colors: msg.colors });
    return;
  }
  const s = surfaces.get(msg.id);
  if (msg.kind === 'detach') {
    surfaces.delete(msg.id);
    return;
  }
  if (!s) return;
  if (msg.kind === 'draw') {
    let full = msg.full;
    if (s.canvas.width !== msg.width || s.canvas.height !== msg.height) {
      // Resizing clears the bitmap: nothing on it can be scrolled.
      s.canvas.width = msg.width;
      s.canvas.height = msg.height;
      full = true;
    }
    if (msg.colors) {
      s.colors = msg.colors;
      full = true;
    }
    drawUpdate(s.ctx, msg.width, msg.height, msg.cols, full, s.colors);
    return;
  }
  // A check for tests: the picture against a full redraw of the same columns, and each column's bar height.
  const { width, height } = s.canvas;
  const ref = new OffscreenCanvas(width, height).getContext('2d', { alpha: false })!;
  drawUpdate(ref, width, height, msg.cols, true, s.colors);
  self.postMessage({ kind: 'checked', reqId: msg.reqId, ...comparePictures(s.ctx.getImageData(0, 0, width, height), ref.getImageData(0, 0, width, height)) });
};
