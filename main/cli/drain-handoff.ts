import { spawn } from 'node:child_process';
import type { Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import { StreamChannelClient } from '../core/tap/stream-channel-client.ts';
import type { TapTransport } from '../core/tap/tap-transport.ts';

/** Largest frame the drainer keeps whole (it discards everything anyway; bigger ones stream past). */
const DRAIN_MAX_PAYLOAD = 64 * 1024;

/** Says where the sockets went; the same words for every command. */
export function describeHandOff(h: { pid: number; count: number }): string {
  return `Still connected: ${h.count === 1 ? 'the socket was' : `${h.count} sockets were`} handed to a background process (pid ${h.pid}) that discards the audio until Asterisk ends the call; nothing was closed first. (kill -9 ${h.pid} would close it first: see README.)`;
}

/**
 * Hands the still-open stream-channel sockets of `clients` to one detached drain process
 * (drain-child.ts), so this command can exit now without closing anything first. Returns the
 * drainer's pid and how many sockets it took; sockets that cannot move (wss) stay here.
 */
export function handOffDraining(clients: TapTransport[]): { pid: number; count: number; stayed: TapTransport[] } | undefined {
  const moved: { socket: Socket; state: unknown }[] = [];
  const stayed: TapTransport[] = [];
  for (const c of clients) {
    if (!c.isSocketOpen) continue;
    const h = c instanceof StreamChannelClient ? c.handOff() : undefined;
    if (h) moved.push(h);
    else stayed.push(c);
  }
  if (moved.length === 0) return undefined;
  const args = JSON.stringify(moved.map((m, i) => ({ fd: 3 + i, state: m.state, maxPayload: DRAIN_MAX_PAYLOAD })));
  // Beside this file: drain-child.ts when run from source, drain-child.js when built.
  const script = fileURLToPath(new URL(import.meta.url.endsWith('.ts') ? './drain-child.ts' : './drain-child.js', import.meta.url));
  const child = spawn(process.execPath, [script, args], {
    detached: true,
    stdio: ['ignore', 'ignore', 'ignore', ...moved.map((m) => m.socket)],
  });
  child.unref();
  // This process forgets its copies without a shutdown: the drainer's keep the connections up.
  for (const m of moved) m.socket.unref();
  return { pid: child.pid ?? 0, count: moved.length, stayed };
}
