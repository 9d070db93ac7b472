/**
 * AudioWorklet processor: plays the SLIN16 packets the live worker feeds it (through a port the
 * page hands it), through a jitter buffer.
 * It starts once PREBUFFER of audio is queued, never holds more than MAX_QUEUED (older audio is
 * skipped so the added latency stays bounded), and on an underrun fades to silence over a few
 * samples instead of stopping dead (no clicks), then waits to prebuffer again.
 */

import { PCM_HEADER_BYTES } from '../../preload/pcm-wire.ts';

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
  private stopped = false;
  private feedPort: MessagePort | undefined;

  constructor() {
    super();
    // From the page: the port the live worker feeds packets through, and the stop when the leg is no longer heard.
    this.port.onmessage = (ev: MessageEvent<{ feed?: MessagePort; stop?: boolean }>) => {
      if (ev.data.stop) {
        this.stopped = true;
        this.feedPort?.close();
      }
      if (!(ev.data.feed instanceof MessagePort)) return;
      this.feedPort?.close();
      this.feedPort = ev.data.feed;
      this.feedPort.onmessage = (e: MessageEvent<ArrayBuffer | { buffer: ArrayBuffer; stamp: number }>) => this.onPacket(e.data);
    };
  }

  /** A data-plane packet (preload/pcm-wire.ts), whole: the samples follow its header. */
  private onPacket(msg: ArrayBuffer | { buffer: ArrayBuffer; stamp: number }): void {
    const buffer = msg instanceof ArrayBuffer ? msg : msg.buffer;
    if (buffer.byteLength < PCM_HEADER_BYTES || (buffer.byteLength - PCM_HEADER_BYTES) % 2 !== 0) return;
    this.push(new Int16Array(buffer, PCM_HEADER_BYTES));
    // Latency measurement: say when the audio thread holds this packet.
    if (!(msg instanceof ArrayBuffer)) this.port.postMessage({ held: msg.stamp });
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
    if (this.stopped) return false;
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
