/**
 * AudioWorklet processor: plays SLIN16 batches pushed through its port, through a jitter buffer.
 * It starts once PREBUFFER of audio is queued, never holds more than MAX_QUEUED (older audio is
 * skipped so the added latency stays bounded), and on an underrun fades to silence over a few
 * samples instead of stopping dead (no clicks), then waits to prebuffer again.
 */

// The AudioWorklet global scope is not in TypeScript's DOM lib; declare what is used.
declare const sampleRate: number;
declare class AudioWorkletProcessor {
  readonly port: MessagePort;
}
declare function registerProcessor(name: string, ctor: new () => AudioWorkletProcessor): void;

const PREBUFFER_MS = 40;
const MAX_QUEUED_MS = 60;
const FADE_SAMPLES = 32;

class TapPlayerProcessor extends AudioWorkletProcessor {
  // Batches stay int16 as they came (converted while playing): no allocation per batch on the audio thread.
  private readonly queue: Int16Array[] = [];
  private queued = 0;
  private offset = 0;
  private playing = false;
  private last = 0;
  private underruns = 0;
  private skipped = 0;
  private received = 0;
  private lastReport = 0;

  constructor() {
    super();
    this.port.onmessage = (ev: MessageEvent<ArrayBuffer | { buffer: ArrayBuffer; stamp: number }>) => {
      const msg = ev.data;
      if (msg instanceof ArrayBuffer) this.push(new Int16Array(msg));
      else {
        this.push(new Int16Array(msg.buffer));
        // Latency measurement: say when the audio thread holds this batch.
        this.port.postMessage({ held: msg.stamp });
      }
    };
  }

  private push(samples: Int16Array): void {
    if (samples.length === 0) return;
    this.queue.push(samples);
    this.queued += samples.length;
    this.received += samples.length;
    const max = (MAX_QUEUED_MS / 1000) * sampleRate;
    // Too far behind (a burst after a stall): drop the oldest audio rather than add latency.
    while (this.queued - this.offset > max && this.queue.length > 1) {
      const old = this.queue.shift()!;
      this.queued -= old.length;
      this.skipped += old.length - this.offset;
      this.offset = 0;
    }
  }

  process(_inputs: Float32Array[][], outputs: Float32Array[][]): boolean {
    const out = outputs[0]?.[0];
    if (!out) return true;
    const available = this.queued - this.offset;
    if (!this.playing && available >= (PREBUFFER_MS / 1000) * sampleRate) this.playing = true;
    let i = 0;
    if (this.playing) {
      while (i < out.length && this.queue.length > 0) {
        const head = this.queue[0]!;
        const n = Math.min(out.length - i, head.length - this.offset);
        for (let k = 0; k < n; k++) out[i + k] = head[this.offset + k]! / 32768;
        i += n;
        this.offset += n;
        if (this.offset >= head.length) {
          this.queue.shift();
          this.queued -= head.length;
          this.offset = 0;
        }
      }
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
      this.port.postMessage({ underruns: this.underruns, skipped: this.skipped, received: this.received, bufferedMs: ((this.queued - this.offset) / sampleRate) * 1000 });
    }
    return true;
  }
}

registerProcessor('tap-player', TapPlayerProcessor);
