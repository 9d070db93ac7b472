import { CodedError } from '../common/coded-error.ts';

/**
 * What Asterisk's `GET /channels/{id}/rtp_statistics` says about a channel's RTP, validated.
 * Jitter and RTT are in seconds, as Asterisk sends them. `rx` is what Asterisk received from the
 * channel's endpoint (the direction stream-channel taps), `tx` what it sent (as the far end's
 * RTCP reports it). MES (Media Experience Score, 0-100) exists on recent versions only.
 */
export interface RtpStatistics {
  txcount: number;
  rxcount: number;
  txploss: number;
  rxploss: number;
  txjitter: number;
  rxjitter: number;
  rtt: number;
  maxrtt: number | null;
  txmes: number | null;
  rxmes: number | null;
  localSsrc: number | null;
  remoteSsrc: number | null;
  channelUniqueid: string | null;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const finite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** Counters, jitter and RTT that must be there; a missing or negative one means this is not RTP statistics. */
const REQUIRED = ['txcount', 'rxcount', 'txploss', 'rxploss', 'txjitter', 'rxjitter', 'rtt'] as const;

/**
 * Validates ARI's answer (the shape captured from Asterisk 23.4.1). Loss counters may be negative
 * in RTCP (duplicates counted as negative loss): they are kept as sent and clamped by whoever
 * computes percentages. Throws `ari-bad-response` when a required figure is missing.
 */
export function parseRtpStatistics(v: unknown): RtpStatistics {
  if (!isRecord(v)) throw new CodedError('ari-bad-response', 'ARI answered rtp_statistics with something that is not an object.');
  for (const k of REQUIRED) {
    if (!finite(v[k])) throw new CodedError('ari-bad-response', `ARI's rtp_statistics has no numeric "${k}": is this Asterisk's ARI?`);
  }
  const opt = (k: string): number | null => (finite(v[k]) ? v[k] : null);
  const n = (k: (typeof REQUIRED)[number]): number => v[k] as number;
  if (n('txcount') < 0 || n('rxcount') < 0 || n('txjitter') < 0 || n('rxjitter') < 0 || n('rtt') < 0) {
    throw new CodedError('ari-bad-response', "ARI's rtp_statistics has a negative packet count, jitter or round-trip time.");
  }
  return {
    txcount: n('txcount'),
    rxcount: n('rxcount'),
    txploss: n('txploss'),
    rxploss: n('rxploss'),
    txjitter: n('txjitter'),
    rxjitter: n('rxjitter'),
    rtt: n('rtt'),
    maxrtt: opt('maxrtt'),
    txmes: opt('txmes'),
    rxmes: opt('rxmes'),
    localSsrc: opt('local_ssrc'),
    remoteSsrc: opt('remote_ssrc'),
    channelUniqueid: typeof v['channel_uniqueid'] === 'string' ? v['channel_uniqueid'] : null,
  };
}
