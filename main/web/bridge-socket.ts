import { isUtf8 } from 'node:buffer';
import type WebSocket from 'ws';
import { isInvokeChannel, type BridgeError, type EventChannel, type EventMap, type InvokeChannel } from '../../preload/contract.ts';
import type { Disposable } from '../core/common/disposable.ts';
import { toBridgeError, type ServiceSink, type TapService } from '../core/service/tap-service.ts';

/**
 * What one browser tab may ask of the host at once. A request is small; answering it can cost
 * disk reads and memory, so each connection runs a few at a time, queues a bounded number and
 * refuses the rest with `busy`; while its replies pile up unread, its socket is not read at all.
 */
export const BRIDGE_LIMITS = {
  /** A request's text; larger ones get a `too-large` answer. */
  maxMessageBytes: 256 * 1024,
  /** Frames larger than this are refused by `ws` itself (close 1009) without buffering them. */
  maxFrameBytes: 1024 * 1024,
  /** Requests of one connection running at once. */
  concurrency: 8,
  /** Requests of one connection waiting to run; beyond that they are refused with `busy`. */
  queue: 512,
  /** Unsent replies of one connection above which its socket is no longer read. */
  maxPendingReplyBytes: 8 * 1024 * 1024,
} as const;

interface Request {
  id: number;
  channel: InvokeChannel;
  req: unknown;
}

/** The id of a request too large to parse, if it starts as the renderer writes it. */
function leadingId(data: Buffer): number {
  const m = /^\s*\{\s*"id"\s*:\s*(\d{1,15})\s*[,}]/.exec(data.toString('latin1', 0, 64));
  return m ? Number(m[1]) : -1;
}

/** A request as the contract says ({id, channel, req}), or the reason it is not one. */
export function parseBridgeMessage(data: Buffer, isBinary: boolean): Request | { id: number; error: BridgeError } {
  const bad = (message: string, id = -1): { id: number; error: BridgeError } => ({ id, error: { code: 'bad-request', message } });
  if (isBinary) return bad('Binary messages are not requests: send JSON text {id, channel, req}.');
  if (data.length > BRIDGE_LIMITS.maxMessageBytes) {
    return { id: leadingId(data), error: { code: 'too-large', message: `The request is ${Math.ceil(data.length / 1024)} KB; requests are limited to ${BRIDGE_LIMITS.maxMessageBytes / 1024} KB.` } };
  }
  if (!isUtf8(data)) return bad('The request is not valid UTF-8 text.');
  let msg: unknown;
  try {
    msg = JSON.parse(data.toString('utf8'));
  } catch {
    return bad('The request is not JSON: send {id, channel, req}.');
  }
  if (typeof msg !== 'object' || msg === null || Array.isArray(msg)) return bad('The request must be a JSON object {id, channel, req}.');
  const { id, channel, req } = msg as Record<string, unknown>;
  if (typeof id !== 'number' || !Number.isSafeInteger(id) || id < 0) return bad('The request needs an "id" that is a whole number of 0 or more.');
  if (typeof channel !== 'string') return bad('The request needs a "channel" naming what to do, e.g. "app:info".', id);
  if (!isInvokeChannel(channel)) return bad(`Unknown request "${channel.slice(0, 100)}".`, id);
  return { id, channel, req };
}

/**
 * One browser tab's control plane on the web host: JSON ({id, channel, req} → {id, ok, res|error};
 * {event, payload}). PCM has its own socket (pcm-socket.ts). Nothing a tab sends can end the process: every
 * message is checked before use, socket errors are listened for, and work is bounded.
 */
export function attachBridgeSocket(ws: WebSocket, service: TapService): Disposable {
  let refused = 0;
  let running = 0;
  const queue: Request[] = [];
  let paused = false;
  let drainTimer: NodeJS.Timeout | undefined;
  const sink: ServiceSink = {
    event<C extends EventChannel>(channel: C, payload: EventMap[C]): void {
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ event: channel, payload }));
    },
    // Audio goes on the page's data-plane socket (/pcm), not here.
    pcm: () => undefined,
  };
  const registration = service.addSink(sink);

  const reply = (id: number, body: object): void => {
    if (ws.readyState !== ws.OPEN) return;
    ws.send(JSON.stringify({ id, ...body }));
    // A tab that does not read its replies is no longer read, and its queue waits: bytes in
    // flight stay bounded (the limit plus what the running requests answer).
    if (!paused && ws.bufferedAmount > BRIDGE_LIMITS.maxPendingReplyBytes) {
      paused = true;
      ws.pause();
      drainTimer = setInterval(() => {
        if (ws.readyState !== ws.OPEN || ws.bufferedAmount <= BRIDGE_LIMITS.maxPendingReplyBytes / 2) {
          clearInterval(drainTimer);
          drainTimer = undefined;
          paused = false;
          if (ws.readyState === ws.OPEN) ws.resume();
          pump();
        }
      }, 20);
    }
  };
  const run = (r: Request): void => {
    running++;
    service.handle(r.channel, r.req).then(
      (res) => reply(r.id, { ok: true, res }),
      (err: unknown) => reply(r.id, { ok: false, error: toBridgeError(err) }),
    ).finally(() => {
      running--;
      pump();
    });
  };
  const pump = (): void => {
    while (!paused && running < BRIDGE_LIMITS.concurrency && queue.length > 0) run(queue.shift()!);
  };

  ws.on('message', (data, isBinary) => {
    const parsed = parseBridgeMessage(Buffer.isBuffer(data) ? data : Buffer.concat(Array.isArray(data) ? data : [Buffer.from(data)]), isBinary);
    if ('error' in parsed) return reply(parsed.id, { ok: false, error: parsed.error });
    if (!paused && running < BRIDGE_LIMITS.concurrency) return run(parsed);
    if (queue.length < BRIDGE_LIMITS.queue) {
      queue.push(parsed);
      return;
    }
    refused++;
    reply(parsed.id, { ok: false, error: { code: 'busy', message: `Too many requests at once (${BRIDGE_LIMITS.concurrency + BRIDGE_LIMITS.queue} waiting): this one was refused; try again.` } });
  });
  // `ws` reports frames over its limit, bad UTF-8 and protocol errors here and closes the socket
  // (1009, 1007, 1002); without a listener the error would end the process.
  ws.on('error', (err) => service.log('warn', `A browser tab's connection failed and was closed: ${err.message}.`));
  const dispose = (): void => {
    registration.dispose();
    clearInterval(drainTimer);
    queue.length = 0;
    if (refused > 0) service.log('warn', `A browser tab sent more requests than the host runs at once: ${refused} were refused as busy.`);
  };
  ws.on('close', dispose);
  return { dispose };
}
