import { randomUUID } from 'node:crypto';
import type { FrameSource } from './signal-generators.ts';

/** A channel as ARI shows it (field names and shapes as captured from Asterisk 23). */
export interface AriChannelJson {
  id: string;
  name: string;
  state: string;
  protocol_id: string;
  caller: { name: string; number: string };
  connected: { name: string; number: string };
  accountcode: string;
  dialplan: { context: string; exten: string; priority: number; app_name: string; app_data: string };
  creationtime: string;
  language: string;
}

export interface AriBridgeJson {
  id: string;
  technology: string;
  bridge_type: string;
  bridge_class: string;
  creator: string;
  name: string;
  channels: string[];
  creationtime: string;
  video_mode: string;
}

export interface SimChannel {
  json: AriChannelJson;
  /** What the channel reads (the direction res_ari_stream streams). */
  source: FrameSource;
  /** The DTMF digit ending at a frame, if the channel carries DTMF (chan_websocket's DTMF_END). */
  dtmfEnd?: (frame: number) => string | undefined;
  /** Global frame index at which this channel's audio starts (its frame 0). */
  startFrame: number;
  call: SimCall;
}

export interface SimCall {
  /** Scenario name, used to start a replacement after hangup. */
  scenario: string;
  channels: SimChannel[];
  bridge: AriBridgeJson | undefined;
  startFrame: number;
}

/** Asterisk's ARI timestamp: 2026-11-25T10:29:06.337+0000. */
export function ariTime(ms: number): string {
  return new Date(ms).toISOString().replace('Z', '+0000');
}

/**
 * Hands out uniqueids (`<epoch>.<n>`, or `<systemname>-<epoch>.<n>` when asterisk.conf sets
 * systemname, as captured in part C) and channel-name suffixes (`-0000000a`) as Asterisk does.
 */
export class IdAllocator {
  private readonly epoch = Math.floor(Date.now() / 1000);
  private readonly prefix: string;
  private nextUnique = 0;
  private nextSuffix = 0;

  constructor(systemName = '') {
    this.prefix = systemName ? `${systemName}-` : '';
  }

  uniqueid(): string {
    return `${this.prefix}${this.epoch}.${this.nextUnique++}`;
  }
  suffix(): string {
    return (this.nextSuffix++).toString(16).padStart(8, '0');
  }
}

export interface ChannelSpec {
  name: string;
  source: FrameSource;
  dtmfEnd?: (frame: number) => string | undefined;
  caller?: { name: string; number: string };
  connected?: { name: string; number: string };
  dialplan: AriChannelJson['dialplan'];
}

export function makeChannel(spec: ChannelSpec, id: string, call: SimCall, startFrame: number, nowMs: number): SimChannel {
  return {
    json: {
      id,
      name: spec.name,
      state: 'Up',
      protocol_id: '',
      caller: spec.caller ?? { name: '', number: '' },
      connected: spec.connected ?? { name: '', number: '' },
      accountcode: '',
      dialplan: spec.dialplan,
      creationtime: ariTime(nowMs),
      language: 'en',
    },
    source: spec.source,
    ...(spec.dtmfEnd ? { dtmfEnd: spec.dtmfEnd } : {}),
    startFrame,
    call,
  };
}

export function makeBridge(channelIds: string[], nowMs: number): AriBridgeJson {
  return {
    id: randomUUID(),
    technology: 'simple_bridge',
    bridge_type: 'mixing',
    bridge_class: 'basic',
    creator: '',
    name: '',
    channels: channelIds,
    creationtime: ariTime(nowMs),
    video_mode: 'none',
  };
}
