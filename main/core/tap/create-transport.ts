import { AriClient } from '../ari/ari-client.ts';
import type { AriAppInstance } from '../ari/ari-app-instance.ts';
import { StreamChannelClient, type StreamChannelOptions } from './stream-channel-client.ts';
import type { TransportChoice } from '../../../preload/contract.ts';
import { TRANSPORT_TRAITS, type TapTransport, type TransportKind } from './tap-transport.ts';

export type { TransportChoice } from '../../../preload/contract.ts';

export interface TransportRequest {
  choice: TransportChoice;
  channel: string;
  /** stream-channel: the /ws URL and its options. */
  stream?: Omit<StreamChannelOptions, 'channel'>;
  /** ari-media: ARI and which direction. */
  ari?: { url: string; user: string; password: string };
  direction?: 'in' | 'out';
  /** ari-media: the app instance the leg belongs to (default: the process's). */
  instance?: AriAppInstance;
}

/** Asterisk versions with chan_websocket external media: 20.16+, 21.11+, 22.6+, 23+. */
export function offersChanWebsocket(version: string): boolean {
  const [major = 0, minor = 0] = version.split('.').map((n) => Number.parseInt(n, 10));
  return major >= 23 || (major === 22 && minor >= 6) || (major === 21 && minor >= 11) || (major === 20 && minor >= 16);
}

/** auto: ari-media when ARI credentials are set and chan_websocket.so is loaded (or, without that answer, the version has it). */
export async function resolveTransport(req: TransportRequest): Promise<TransportKind> {
  if (req.choice !== 'auto') return req.choice;
  if (!req.ari) return 'stream-channel';
  const ari = new AriClient(req.ari);
  try {
    // Part C: ARI says whether chan_websocket.so is loaded (a new enough version may still lack it).
    return (await ari.moduleStatus('chan_websocket.so')) !== undefined ? 'ari-media' : 'stream-channel';
  } catch {
    // No answer from the modules route (a proxy, a restricted user): judge by the version.
  }
  try {
    const info = (await ari.asteriskInfo()) as { system?: { version?: string } };
    return offersChanWebsocket(info.system?.version ?? '') ? 'ari-media' : 'stream-channel';
  } catch {
    return req.stream ? 'stream-channel' : 'ari-media';
  }
}

/**
 * The legs a tap on `channels` has with this transport: each channel's audio, or, for a
 * transport that taps directions, what the first channel reads (in) and, for a call, what it is
 * sent (out).
 */
export function planLegs(kind: TransportKind, channels: string[]): { channel: string; direction: 'in' | 'out' }[] {
  if (TRANSPORT_TRAITS[kind].callLegs === 'per-channel') return channels.map((channel) => ({ channel, direction: 'in' }));
  const directions: ('in' | 'out')[] = channels.length > 1 ? ['in', 'out'] : ['in'];
  return directions.map((direction) => ({ channel: channels[0]!, direction }));
}

/** Creates (does not connect) the transport for one leg. */
export async function createTransport(req: TransportRequest): Promise<TapTransport> {
  const kind = await resolveTransport(req);
  if (kind === 'ari-media') {
    if (!req.ari) throw new Error('the ari-media transport needs ARI (URL, user, password)');
    // Loaded on use: a stream-channel-only process (the CLI) does not load ws and the ARI events code.
    const { AriMediaClient } = await import('./ari-media-client.ts');
    return new AriMediaClient({ ariUrl: req.ari.url, user: req.ari.user, password: req.ari.password, channel: req.channel, direction: req.direction ?? 'in', ...(req.instance ? { instance: req.instance } : {}) });
  }
  if (!req.stream) throw new Error('the stream-channel transport needs the /ws URL');
  return new StreamChannelClient({ ...req.stream, channel: req.channel });
}
