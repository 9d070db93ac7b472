import type { Disposable } from '../common/disposable.ts';
import type { TypedEmitter } from '../common/typed-emitter.ts';
import type { SocketStats } from './socket-stats.ts';
import type { PcmChunk, TapOutcome, TapState } from './stream-channel-client.ts';

import type { TransportKind } from '../../../preload/contract.ts';

export type { TransportKind } from '../../../preload/contract.ts';

/** What differs between transports, so callers ask for a behaviour instead of testing a kind. */
export interface TransportTraits {
  /**
   * Closing from this side is safe while the call is up, so stop() ends the tap at once
   * (ari-media: chan_websocket closes cleanly). Otherwise stop() detaches and the socket drains
   * until Asterisk closes it at hangup (stream-channel: res_ari_stream is damaged by a client
   * that closes first).
   */
  closesCleanly: boolean;
  /**
   * The legs of a call tap: one per channel (stream-channel streams what each channel reads), or
   * both directions of the first channel (ari-media snoops in and out of one channel).
   */
  callLegs: 'per-channel' | 'both-directions';
  /** Each leg is one direction of its channel, so its recording's name says which (-in, -out). */
  namesDirection: boolean;
  /**
   * Channels are checked against ARI (where configured) before connecting, for a clear error at
   * once; ari-media looks the channel up itself as it sets up.
   */
  checksChannelsFirst: boolean;
}

/** The traits of each transport: the one place behaviour is chosen by kind. */
export const TRANSPORT_TRAITS: Readonly<Record<TransportKind, Readonly<TransportTraits>>> = {
  'stream-channel': { closesCleanly: false, callLegs: 'per-channel', namesDirection: false, checksChannelsFirst: true },
  'ari-media': { closesCleanly: true, callLegs: 'both-directions', namesDirection: true, checksChannelsFirst: false },
};

/** The traits of a transport. */
export function traitsOf(transport: Pick<TapTransport, 'kind'>): Readonly<TransportTraits> {
  return TRANSPORT_TRAITS[transport.kind];
}

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
  readonly stats: SocketStats;
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
