import type { Disposable } from '../common/disposable.ts';
import type { TypedEmitter } from '../common/typed-emitter.ts';
import type { TapStats } from './tap-stats.ts';
import type { PcmChunk, TapOutcome, TapState } from './stream-channel-client.ts';

/** Which way a tap gets its audio from Asterisk. */
export type TransportKind = 'stream-channel' | 'ari-media';

export interface TapTransportEvents {
  state: (state: TapState) => void;
  pcm: (chunk: PcmChunk) => void;
  /** Fired once when the tap reaches ended or failed (the socket may still be draining). */
  outcome: (outcome: TapOutcome) => void;
  /** Fired once when the socket is gone for good. */
  socketClosed: (code: number) => void;
  /** A DTMF digit seen on the media (ari-media's DTMF_END): becomes a marker. */
  dtmf: (digit: string) => void;
}

/**
 * One leg of a tap, whichever transport feeds it. Recording, replay, stats and the UI only know
 * this interface.
 */
export interface TapTransport extends Disposable {
  readonly kind: TransportKind;
  readonly events: TypedEmitter<TapTransportEvents>;
  readonly stats: TapStats;
  readonly url: string;
  /** The tapped channel as the user named it. */
  readonly channel: string;
  readonly state: TapState;
  readonly isDetached: boolean;
  readonly isSocketOpen: boolean;
  readonly protocol: string | undefined;
  readonly tlsNote: string | undefined;
  readonly outcome: Promise<TapOutcome>;
  readonly socketClosed: Promise<void>;
  connect(): this;
  /** Stops delivering audio; ends the tap the safe way for this transport. */
  stop(): void;
  /** Closes now, whatever the risk (explicit user choice). */
  forceClose(): void;
}
