import workletUrl from './player-worklet.ts?worker&url';
import { PlayerRing } from '../live/player-ring.ts';
import type { PlayerFeed } from '../live/live-protocol.ts';

export interface PlayerStats {
  underruns: number;
  skipped: number;
  received: number;
  bufferedMs: number;
}

/**
 * Optional latency probe: when on, each packet fed to a worklet carries the core's arrival time
 * (wall clock, ms) and the worklet echoes it once it holds the packet. Off by default: it costs a
 * message per packet.
 */
export const latencyProbe = {
  /** Delays in ms from the core receiving a frame to the worklet holding it (bounded). */
  samples: [] as number[],
};

/** One leg's player: worklet → analyser (for measuring what the graph receives) → tap gain. */
export interface LegPlayer {
  /**
   * How the live worker feeds this player, so audio never passes through this thread: a ring in
   * shared memory where the page is cross-origin isolated, else a port for whole data-plane
   * packets (transferred; see preload/pcm-wire.ts).
   */
  feed(): PlayerFeed;
  readonly analyser: AnalyserNode;
  stats: PlayerStats;
}

/**
 * The page's single AudioContext at 16 kHz (SLIN16's rate, so no resampling in the page) and the
 * players of the taps being listened to.
 */
export class AudioEngine {
  private ctx: AudioContext | undefined;
  private loading: Promise<AudioContext> | undefined;
  /** Tap outputs open now: with none, the context is suspended (a running one keeps Chromium's audio threads busy). */
  private open = 0;

  /** The context's state ('none' before the first Listen), for tests and support. */
  get state(): AudioContextState | 'none' {
    return this.ctx?.state ?? 'none';
  }

  private context(): Promise<AudioContext> {
    this.loading ??= (async () => {
      const ctx = new AudioContext({ sampleRate: 16_000, latencyHint: 'interactive' });
      await ctx.audioWorklet.addModule(workletUrl);
      this.ctx = ctx;
      return ctx;
    })();
    return this.loading;
  }

  /** A gain (volume) for one tap, and a player per leg feeding it. */
  async createTapOutput(legs: number): Promise<{ gain: GainNode; players: LegPlayer[]; close: () => void }> {
    const ctx = await this.context();
    this.open++;
    // Unconditionally: a suspend still pending from the last close would otherwise win.
    await ctx.resume();
    const gain = ctx.createGain();
    gain.connect(ctx.destination);
    let closed = false;
    const players = Array.from({ length: legs }, () => {
      const node = new AudioWorkletNode(ctx, 'tap-player', { numberOfInputs: 0, numberOfOutputs: 1, outputChannelCount: [1] });
      const analyser = ctx.createAnalyser();
      analyser.fftSize = 8192;
      node.connect(analyser);
      analyser.connect(gain);
      const player: LegPlayer = {
        analyser,
        stats: { underruns: 0, skipped: 0, received: 0, bufferedMs: 0 },
        feed(): PlayerFeed {
          if (globalThis.crossOriginIsolated && typeof SharedArrayBuffer === 'function') {
            const ring = new SharedArrayBuffer(PlayerRing.BYTES);
            node.port.postMessage({ ring });
            return { ring };
          }
          const channel = new MessageChannel();
          node.port.postMessage({ feed: channel.port1 }, [channel.port1]);
          return { port: channel.port2 };
        },
      };
      node.port.onmessage = (ev: MessageEvent<PlayerStats | { held: number }>) => {
        const msg = ev.data;
        if ('held' in msg) {
          if (latencyProbe.samples.length < 200_000) latencyProbe.samples.push(performance.timeOrigin + performance.now() - msg.held);
        } else player.stats = msg;
      };
      return { player, node };
    });
    return {
      gain,
      players: players.map((p) => p.player),
      close: () => {
        if (closed) return;
        closed = true;
        // Nobody listens any more: stop the audio threads until the next Listen.
        if (--this.open === 0) void ctx.suspend();
        for (const { node, player } of players) {
          // The processor stops (process() returns false) so the node can be collected.
          node.port.postMessage({ stop: true });
          node.port.onmessage = null;
          node.disconnect();
          player.analyser.disconnect();
        }
        gain.disconnect();
      },
    };
  }

  get sampleRate(): number {
    return this.ctx?.sampleRate ?? 16_000;
  }
}

/** The strongest frequency an analyser sees now, Hz (for checks and a readout). */
export function dominantHz(analyser: AnalyserNode): number {
  const bins = new Float32Array(analyser.frequencyBinCount);
  analyser.getFloatFrequencyData(bins);
  let best = 1;
  for (let i = 1; i < bins.length; i++) if (bins[i]! > bins[best]!) best = i;
  return (best * analyser.context.sampleRate) / analyser.fftSize;
}
