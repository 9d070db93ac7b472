/**
 * AudioWorklet processor: plays one leg's SLIN16 through a jitter buffer. The audio comes from
 * the live worker, either written straight into a ring in shared memory (when the page is
 * cross-origin isolated: no message reaches this thread per packet) or as data-plane packets on
 * a port the page hands over, which are written into a private ring here. Either way it starts
 * once PREBUFFER of audio is waiting, never keeps more than MAX_QUEUED (older audio is skipped so
 * the added latency stays bounded), and on an underrun fades to silence over a few samples
 * instead of stopping dead (no clicks), then waits to prebuffer again.
 */
import { PCM_HEADER_BYTES } from '../../preload/pcm-wire.ts';
import { PlayerRing } from '../live/player-ring.ts';

// The AudioWorklet global scope is not in TypeScript's DOM lib; declare what is used.
declare const sampleRate: number;
declare class AudioWorkletProcessor {
  readonly port: MessagePort;
}
declare function registerProcessor(name: string, ctor: new () => AudioWorkletProcessor): void;

const PREBUFFER_MS = 40;
const MAX_QUEUED_MS = 60;
const FADE_SAMPLES = 32;

/** What the page sends this processor. */
interface Control {
  /** The live worker's packets arrive on this port. */
  feed?: MessagePort;
  /** The live worker writes into this ring (shared memory). */
  ring?: SharedArrayBuffer;
  /** The leg is no longer heard: end (process() returns false, so the node can be collected). */
  stop?: boolean;
}

class TapPlayerProcessor extends AudioWorkletProcessor {
  private ring = new PlayerRing(new ArrayBuffer(PlayerRing.BYTES));
  private playing = false;
  private last = 0;
  private underruns = 0;
  private skipped = 0;
  private lastReport = 0;
  private stopped = false;
  private feedPort: MessagePort | undefined;

  constructor() {
    super();
    this.port.onmessage = (ev: MessageEvent<Control>) => {
      const msg = ev.data;
      if (msg.stop) {
        this.stopped = true;
        this.feedPort?.close();
      }
      // SharedArrayBuffer exists only where the page is cross-origin isolated.
      if (typeof SharedArrayBuffer === 'function' && msg.ring instanceof SharedArrayBuffer) this.ring = new PlayerRing(msg.ring);
      if (msg.feed instanceof MessagePort) {
        this.feedPort?.close();
        this.feedPort = msg.feed;
        this.feedPort.onmessage = (e: MessageEvent<ArrayBuffer | { buffer: ArrayBuffer; stamp: number }>) => this.onPacket(e.data);
      }
    };
  }

  /** A data-plane packet (preload/pcm-wire.ts), whole: the samples follow its header. */
  private onPacket(msg: ArrayBuffer | { buffer: ArrayBuffer; stamp: number }): void {
    const buffer = msg instanceof ArrayBuffer ? msg : msg.buffer;
    if (buffer.byteLength < PCM_HEADER_BYTES || (buffer.byteLength - PCM_HEADER_BYTES) % 2 !== 0) return;
    this.ring.write(new Int16Array(buffer, PCM_HEADER_BYTES));
    // Latency measurement: say when the audio thread holds this packet.
    if (!(msg instanceof ArrayBuffer)) this.port.postMessage({ held: msg.stamp });
  }

  process(_inputs: Float32Array[][], outputs: Float32Array[][]): boolean {
    if (this.stopped) return false;
    const out = outputs[0]?.[0];
    if (!out) return true;
    // Too far behind (a burst after a stall): drop the oldest audio rather than add latency.
    this.skipped += this.ring.keepNewest((MAX_QUEUED_MS / 1000) * sampleRate);
    if (!this.playing && this.ring.available() >= (PREBUFFER_MS / 1000) * sampleRate) this.playing = true;
    let i = 0;
    if (this.playing) {
      i = this.ring.readInto(out, 0, out.length);
      if (i > 0) this.last = out[i - 1]!;
      if (i < out.length) {
        this.underruns++;
        this.playing = false;
      }
    }
    // Fill the rest: ramp from the last sample down to zero, then silence.
    for (let k = 0; i < out.length; i++, k++) out[i] = k < FADE_SAMPLES ? this.last * (1 - k / FADE_SAMPLES) : 0;
    if (i === out.length && !this.playing) this.last = 0;
    this.lastReport += out.length;
    if (this.lastReport >= sampleRate / 2) {
      this.lastReport = 0;
      this.port.postMessage({ underruns: this.underruns, skipped: this.skipped, received: this.ring.written, bufferedMs: (this.ring.available() / sampleRate) * 1000 });
    }
    return true;
  }
}

registerProcessor('tap-player', TapPlayerProcessor);
