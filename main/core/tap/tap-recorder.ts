import type { Disposable } from '../common/disposable.ts';
import { WavWriter, type WavWriterOptions, type WavWriterResult } from '../audio/wav-writer.ts';
import type { TapTransport } from './tap-transport.ts';

/**
 * Records a tap's audio to a WAV as it arrives. Drops by the writer (disk slower than the
 * stream for more than its buffer) are counted on the tap's stats.
 */
export class TapRecorder implements Disposable {
  readonly writer: WavWriter;
  private readonly subscription: Disposable;

  private constructor(writer: WavWriter, client: TapTransport) {
    this.writer = writer;
    this.subscription = client.events.on('pcm', (chunk) => {
      if (!this.writer.write(chunk.data)) client.stats.drops += 1;
    });
  }

  static async start(client: TapTransport, path: string, options: WavWriterOptions & { endpoint?: string } = {}): Promise<TapRecorder> {
    const info = { channel: client.channel, startedAt: new Date().toISOString(), ...(options.endpoint ? { endpoint: options.endpoint } : {}), ...options.info };
    const writer = await WavWriter.create(path, { ...options, info });
    return new TapRecorder(writer, client);
  }

  /** Stops taking audio and finishes the file. */
  async finish(): Promise<WavWriterResult> {
    this.subscription.dispose();
    return this.writer.finish();
  }

  dispose(): void {
    this.subscription.dispose();
    this.writer.dispose();
  }
}
