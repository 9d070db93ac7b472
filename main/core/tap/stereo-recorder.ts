import { performance } from 'node:perf_hooks';
import type { Disposable } from '../common/disposable.ts';
import { StereoAligner } from '../audio/stereo-aligner.ts';
import { WavWriter, type WavWriterOptions, type WavWriterResult } from '../audio/wav-writer.ts';
import type { PcmChunk } from './stream-channel-client.ts';
import type { TapTransport } from './tap-transport.ts';

/**
 * Records two legs into one stereo WAV (first leg left, second right), aligned on arrival time,
 * with silence where a leg sent nothing. Written as audio is pushed, like the mono recorder; in
 * the app a tap session's recorders stage pushes to it, {@link StereoRecorder.start} wires it to
 * two lone transports (CLI).
 */
export class StereoRecorder implements Disposable {
  readonly writer: WavWriter;
  private readonly aligner: StereoAligner;
  private readonly timer: NodeJS.Timeout;
  private subscriptions: Disposable[] = [];
  private dropped = 0;

  private constructor(writer: WavWriter) {
    this.writer = writer;
    this.aligner = new StereoAligner(performance.timeOrigin + performance.now());
    // A quiet leg must not hold the file back: the clock moves it on.
    this.timer = setInterval(() => this.write(false), 100);
  }

  /** Creates the file; audio comes through {@link push}. `channels` name the left and right legs. */
  static async create(channels: [string, string], path: string, options: WavWriterOptions & { endpoint?: string } = {}): Promise<StereoRecorder> {
    const info = { channel: `${channels[0]} (L) / ${channels[1]} (R)`, startedAt: new Date().toISOString(), ...(options.endpoint ? { endpoint: options.endpoint } : {}) };
    const writer = await WavWriter.create(path, { ...options, format: { sampleRate: 16_000, channels: 2, bitsPerSample: 16 }, info });
    return new StereoRecorder(writer);
  }

  /** Records two transports that have no tap session (CLI): the recorder is their audio's listener. */
  static async start(legs: [TapTransport, TapTransport], path: string, options: WavWriterOptions & { endpoint?: string } = {}): Promise<StereoRecorder> {
    const recorder = await StereoRecorder.create([legs[0].channel, legs[1].channel], path, options);
    recorder.subscriptions = legs.map((leg, i) => leg.events.on('pcm', (chunk) => recorder.push(i as 0 | 1, chunk)));
    return recorder;
  }

  /** Adds a chunk of the left (0) or right (1) leg. */
  push(leg: 0 | 1, chunk: Pick<PcmChunk, 'data' | 'wallClockMs'>): void {
    const { data } = chunk;
    this.aligner.push(leg, chunk.wallClockMs, new Int16Array(data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength)));
    this.write(false);
  }

  /** Writes the disk could not keep up with. */
  get drops(): number {
    return this.dropped;
  }

  private write(final: boolean): void {
    const out = this.aligner.drain(performance.timeOrigin + performance.now(), final);
    if (out.length > 0 && !this.writer.write(new Uint8Array(out.buffer, out.byteOffset, out.byteLength)) && !this.writer.isFull && !this.writer.error) this.dropped += 1;
  }

  async finish(): Promise<WavWriterResult> {
    clearInterval(this.timer);
    this.subscriptions.forEach((s) => s.dispose());
    this.subscriptions = [];
    this.write(true);
    return this.writer.finish();
  }

  dispose(): void {
    void this.finish();
  }
}
