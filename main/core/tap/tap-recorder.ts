import type { Disposable } from '../common/disposable.ts';
import { WavWriter, type WavWriterOptions, type WavWriterResult } from '../audio/wav-writer.ts';
import type { PcmChunk } from './stream-channel-client.ts';
import type { TapTransport } from './tap-transport.ts';

/**
 * Records one leg's audio to a WAV as it is pushed. It counts its own drops (disk slower than the
 * stream for more than the writer's buffer). In the app a tap session's recorders stage pushes to
 * it; {@link TapRecorder.start} wires it to a lone transport (CLI, benchmarks).
 */
export class TapRecorder implements Disposable {
  readonly writer: WavWriter;
  private dropped = 0;
  private subscription: Disposable | undefined;

  private constructor(writer: WavWriter) {
    this.writer = writer;
  }

  /** Creates the file; audio comes through {@link push}. */
  static async create(path: string, options: WavWriterOptions & { channel: string; endpoint?: string }): Promise<TapRecorder> {
    const info = { channel: options.channel, startedAt: new Date().toISOString(), ...(options.endpoint ? { endpoint: options.endpoint } : {}), ...options.info };
    return new TapRecorder(await WavWriter.create(path, { ...options, info }));
  }

  /** Records a transport that has no tap session (CLI, benchmarks): the recorder is its audio's listener. */
  static async start(client: TapTransport, path: string, options: WavWriterOptions & { endpoint?: string } = {}): Promise<TapRecorder> {
    const recorder = await TapRecorder.create(path, { ...options, channel: client.channel });
    recorder.subscription = client.events.on('pcm', (chunk) => recorder.push(chunk));
    return recorder;
  }

  /** Queues a chunk for the file; false (and counted) when the disk is too slow to take it. */
  push(chunk: Pick<PcmChunk, 'data'>): boolean {
    if (this.writer.write(chunk.data) || this.writer.isFull || this.writer.error) return true;
    this.dropped += 1;
    return false;
  }

  /** Chunks the disk could not keep up with. */
  get drops(): number {
    return this.dropped;
  }

  /** Stops taking audio and finishes the file. */
  async finish(): Promise<WavWriterResult> {
    this.subscription?.dispose();
    return this.writer.finish();
  }

  dispose(): void {
    this.subscription?.dispose();
    this.writer.dispose();
  }
}
