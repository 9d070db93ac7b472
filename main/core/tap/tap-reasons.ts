import { CodedError } from '../common/coded-error.ts';

import type { TapEndReason, TapReason } from '../../../preload/contract.ts';

// Why a tap ended or failed: the unions are part of the contract (LegView.reason carries them).
export type { TapEndReason, TapFailReason, TapReason } from '../../../preload/contract.ts';

/** A sentence a person can act on, for each reason. */
export function describeTapReason(reason: TapReason, ctx: { url?: string; channel?: string } = {}): string {
  const where = ctx.url ?? 'the server';
  const channel = ctx.channel === undefined ? 'the channel' : `channel "${ctx.channel}"`;
  switch (reason) {
    case 'channel-not-found':
      return (
        `Asterisk accepted the connection but closed it at once without audio: ${channel} does not exist. ` +
        'Check the exact channel name (e.g. PJSIP/alice-00000001, case-sensitive) or use its uniqueid.'
      );
    case 'call-ended':
      return `The call on ${channel} ended: Asterisk closed the stream.`;
    case 'closed-by-user':
      return 'The connection was closed from this side.';
    case 'invalid-url':
      return `"${where}" is not a usable websocket URL. Use ws://host:8088/ws or wss://host:8089/ws.`;
    case 'dns':
      return `The host name in ${where} could not be resolved. Check the spelling and your DNS.`;
    case 'refused':
      return `Nothing is listening at ${where}. Is Asterisk running, and is its HTTP server enabled (http.conf: enabled=yes, bindport)?`;
    case 'timeout':
      return `${where} did not complete the websocket handshake in time. Check firewalls and that the port belongs to Asterisk's HTTP server.`;
    case 'tls':
      return (
        `The TLS certificate of ${where} was not accepted. Install its CA in the system store, ` +
        'or allow self-signed certificates for this endpoint if you trust it.'
      );
    case 'protocol':
      return `${where} sent something a stream-channel server never sends (a text frame or an oversized frame). Is this really Asterisk's /ws with res_ari_stream?`;
    case 'unauthorized':
      return `ARI at ${where} refused the user name or password (HTTP 401). Check ari.conf.`;
    case 'unsupported':
      return `${where} cannot stream through ARI external media: chan_websocket needs Asterisk 20.16, 21.11, 22.6 or 23+ (with chan_websocket loaded). Use the stream-channel transport instead.`;
    case 'media-window':
      return `Asterisk dropped the external media channel before its websocket connected (it waits about 30 s). Try again; check that ${where} is reachable for websockets.`;
    case 'connection-lost':
      return `The connection to ${where} was lost without a proper close (network drop or Asterisk stopped).`;
    default:
      return describeHttpReason(reason, where);
  }
}

function describeHttpReason(reason: `http-${number}`, where: string): string {
  const status = Number(reason.slice('http-'.length));
  if (status === 400) {
    return (
      `${where} refused the stream-channel websocket (HTTP 400): this server does not offer the ` +
      '"stream-channel" protocol. Load res_ari_stream (module load res_ari_stream.so) or check the path (/ws).'
    );
  }
  if (status === 401 || status === 403) {
    return `${where} refused the websocket with HTTP ${status}: check the endpoint's user, password or extra headers.`;
  }
  if (status === 404) return `${where} has no websocket at this path (HTTP 404). Asterisk serves it at /ws.`;
  return `${where} refused the websocket upgrade with HTTP ${status}.`;
}

/** The error thrown or reported for a tap that failed or ended abnormally. */
export class TapError extends CodedError<TapReason> {
  constructor(reason: TapReason, message: string, options?: { cause?: unknown; detail?: string }) {
    super(reason, message, options);
    this.name = 'TapError';
  }
}

/** True for reasons that mean the tap ended normally rather than failed. */
export function isEndReason(reason: TapReason): reason is TapEndReason {
  return reason === 'channel-not-found' || reason === 'call-ended' || reason === 'closed-by-user';
}
