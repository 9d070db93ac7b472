import { CodedError } from '../core/common/coded-error.ts';

/** Misbehaviour the demo PBX can put on stream-channel connections, for tests. */
export type SimFaultKind =
  | 'stall' // stop sending frames after `afterMs`; socket stays open
  | 'drop' // cut the TCP connection after `afterMs`, without a close frame
  | 'text' // send a text frame after `afterMs` (Asterisk never does)
  | 'odd-frames' // send audio in odd-sized pieces (sample split across frames)
  | 'oversize' // send one 128 KiB binary frame after `afterMs`
  | 'flood' // send `count` frames at once, as fast as the socket takes them
  | 'stall-handshake' // never answer the upgrade request
  | 'no-module'; // answer 400, as an Asterisk without res_ari_stream does

export interface SimFault {
  kind: SimFaultKind;
  afterMs?: number;
  count?: number;
  /** Only connections whose Channel-ID contains this text; all when absent. */
  channel?: string;
}

const KINDS: readonly SimFaultKind[] = ['stall', 'drop', 'text', 'odd-frames', 'oversize', 'flood', 'stall-handshake', 'no-module'];

/** Parses `KIND[:N][@channel]` (N is afterMs, or the frame count for flood). */
export function parseFault(spec: string): SimFault {
  const m = /^([a-z-]+)(?::(\d+))?(?:@(.+))?$/.exec(spec.trim());
  const kind = m?.[1] as SimFaultKind | undefined;
  if (!m || kind === undefined || !KINDS.includes(kind)) {
    throw new CodedError('usage', `Unknown fault "${spec}". Use KIND[:N][@channel] with KIND one of ${KINDS.join(', ')}.`);
  }
  const fault: SimFault = { kind };
  if (m[2] !== undefined) {
    if (kind === 'flood') fault.count = Number(m[2]);
    else fault.afterMs = Number(m[2]);
  }
  if (m[3] !== undefined) fault.channel = m[3];
  return fault;
}

export function faultApplies(fault: SimFault, channelId: string | undefined): boolean {
  return fault.channel === undefined || (channelId ?? '').includes(fault.channel);
}
