import { performance } from 'node:perf_hooks';
import type { Disposable } from '../common/disposable.ts';
import { StereoAligner } from '../audio/stereo-aligner.ts';
import { WavWriter, type WavWriterOptions, type WavWriterResult } from '../audio/wav-writer.ts';
import type { TapTransport } from './tap-transport.ts';

/**
 * Records two legs into one stereo WAV (first leg left, second right), aligned on arrival time,
 * with silence where a leg sent nothing. Written as audio arrives, like the mono recorder.
 */
export class StereoRecorder implements Disposable {
  readonly writer: WavWriter;
  private readonly aligner: StereoAligner;
  private readonly subscriptions: Disposable[];
  private readonly timer: NodeJS.Timeout;

  private constructor(writer: WavWriter, legs: [TapTransport, TapTransport]) {
    this.writer = writer;
    this.aligner = new StereoAligner(performance.timeOrigin + performance.now());
    this.subscriptions = legs.map((leg, i) =>
      leg.events.on('pcm', (chunk) => {
        const samples = new Int16Array(chunk.data.buffer.slice(chunk.data.byteOffset, chunk.data.byteOffset + chunk.data.byteLength));
        this.aligner.push(i as 0 | 1, chunk.wallClockMs, samples);
        this.write(false);
      }),
    );
    // A quiet leg must not hold the file back: the clock moves it on.
    this.timer = setInterval(() => this.write(false), 100);
  }

  static async start(legs: [TapTransport, TapTransport], path: string, options: WavWriterOptions & { endpoint?: string } = {}): Promise<StereoRecorder> {
    const info = { channel: `${legs[0].channel} (L) / ${legs[1].channel} (R)`, startedAt: new Date().toISOString(), ...(options.endpoint ? { endpoint: options.endpoint } : {}) };
    const writer = await WavWriter.create(path, { ...options, format: { sampleRate: 16_000, channels: 2, bitsPerSample: 16 }, info });
    return new StereoRecorder(writer, legs);
  }

  private write(final: boolean): void {
    const out = this.aligner.drain(performance.timeOrigin + performance.now(), final);
    if (out.length > 0) this.writer.write(new Uint8Array(out.buffer, out.byteOffset, out.byteLength));
  }

  async finish(): Promise<WavWriterResult> {
    clearInterval(this.timer);
    this.subscriptions.forEach((s) => s.dispose());
    this.write(true);
    return this.writer.finish();
  }

  dispose(): void {
    void this.finish();
  }
}
