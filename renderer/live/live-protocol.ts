/**
 * Messages between the page's main thread and its live worker (live-worker.ts), which owns the
 * live audio: it reads the data plane, folds each leg's waveform, draws the legs' canvases with
 * their finding marks, and feeds the audio worklets of the legs being listened to.
 */

/** Colours of the live pictures, read from the theme's CSS custom properties. */
export interface LivePalette {
  waveBg: string;
  waveFg: string;
  /** Warning marks (border; the band is this colour, faint). */
  warn: string;
  /** Error marks. */
  bad: string;
  /** Info marks (border only). */
  info: string;
  /** Mark labels: text and its backing. */
  labelFg: string;
  labelBg: string;
}

/** A finding as a mark over a leg's waveform: a border where it started and a band to its end (or now). */
export interface MarkSpec {
  /** Stable for the finding's life. */
  key: string;
  kind: string;
  severity: 'error' | 'warning' | 'info';
  /** Wall-clock ms. */
  startedAt: number;
  /** Wall-clock ms; null while it grows. */
  endedAt: number | null;
  /** The finding's sentence: the tooltip over its mark. */
  message: string;
}

/**
 * How a leg's audio reaches its audio worklet: written into a ring in shared memory (the page is
 * cross-origin isolated; no message per packet), or as whole packets on a port.
 */
export type PlayerFeed = { ring: SharedArrayBuffer } | { port: MessagePort };

/** How the data plane reaches the worker. */
export type LiveSourceRequest =
  /** The web host: the worker opens this WebSocket (same origin, the host's cookie) and reads every tap's packets. */
  | { kind: 'source-socket'; url: string }
  /** Electron: one tap's MessagePort (its packets' tap number is the port's, not the packet's). */
  | { kind: 'source-port'; tapNumber: number; port: MessagePort };

/** What the worker can be asked; each answer comes back with the question's `reqId`. */
export type LiveQuestion =
  /** Tests: columns folded in, pictures presented, and the kinds of the marks in the last picture. */
  | { kind: 'state'; id: number }
  /** Tests: the picture (without its labels) against a full redraw of the same columns and marks. */
  | { kind: 'check'; id: number }
  /** The message of the mark under x (canvas pixels), for a tooltip. */
  | { kind: 'hit'; id: number; x: number }
  /**
   * Latency bench, clearing what it returns: delays (ms) from the core receiving a frame to this
   * worker reading it ('worker'), or to a shared ring holding it for the worklet ('ring').
   */
  | { kind: 'probe-samples'; at: 'worker' | 'ring' };

export type LiveRequest =
  | LiveSourceRequest
  /** A leg's canvas, transferred: the worker draws it from now on. */
  | { kind: 'attach'; id: number; tapNumber: number; leg: number; canvas: OffscreenCanvas; width: number; height: number; seconds: number }
  | { kind: 'detach'; id: number }
  /** Whether the canvas can be seen (in the document, its page visible, inside the viewport): nothing is drawn while not. */
  | { kind: 'visible'; id: number; visible: boolean }
  | { kind: 'resize'; id: number; width: number; height: number }
  /** The theme changed: every picture is drawn again in these colours. */
  | { kind: 'palette'; palette: LivePalette }
  /** The leg's findings to mark (replaces the earlier list). */
  | { kind: 'marks'; id: number; marks: MarkSpec[] }
  /** Feed this leg's audio to an audio worklet (null: stop feeding). */
  | { kind: 'listen'; id: number; feed: PlayerFeed | null }
  /** Latency bench: stamp what is fed to the worklets and keep arrival delays. */
  | { kind: 'probe'; on: boolean }
  | { kind: 'ask'; reqId: number; question: LiveQuestion };

/** A leg's state, for tests. */
export interface LiveLegState {
  columnsAdded: number;
  draws: number;
  /** Data-plane packets received for this leg. */
  packets: number;
  /** Kinds of the marks in the last picture. */
  marks: string[];
}

/** A picture check (tests): see wave-draw.ts comparePictures. */
export interface LivePictureCheck {
  maxDiff: number;
  barHeights: number[];
}

export type LiveReply =
  | { kind: 'answer'; reqId: number; value: LiveLegState | LivePictureCheck | string | number[] | null }
  /** The data plane failed (e.g. the host went away); the control plane reports the same to the user. */
  | { kind: 'source-closed'; message: string };
