import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { networkInterfaces, type NetworkInterfaceInfo } from 'node:os';
import { pipeline, type Duplex } from 'node:stream';
import { describeError } from '../core/common/coded-error.ts';
import { WebSocketServer } from 'ws';
import type { TapService } from '../core/service/tap-service.ts';
import { BRIDGE_LIMITS, attachBridgeSocket } from './bridge-socket.ts';
import { attachPcmSocket } from './pcm-socket.ts';
import { serveStatic } from './static-files.ts';

export interface WebHostOptions {
  service: TapService;
  /** The built renderer (out/renderer). */
  rendererDir: string;
  host?: string;
  port?: number;
  /** Fixed token (tests); random per run otherwise. */
  token?: string;
}


function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * The addresses a server bound to `host` answers on, as they appear in URLs and Host headers
 * (IPv6 in brackets). A wildcard (0.0.0.0, ::) means every interface's address of that family
 * (both for ::), loopback first; IPv6 link-local addresses need a zone no browser takes, so they are left out.
 */
export function listenAddresses(host: string, interfaces: NodeJS.Dict<NetworkInterfaceInfo[]>): string[] {
  const wildcard = host === '0.0.0.0' || host === '::' || host === '[::]' || host === '';
  if (!wildcard) return [host.includes(':') && !host.startsWith('[') ? `[${host}]` : host];
  const all = Object.values(interfaces).flatMap((list) => list ?? []);
  const usable = all.filter((a) => (a.family === 'IPv4' || host !== '0.0.0.0') && !(a.family === 'IPv6' && a.address.toLowerCase().startsWith('fe80:')));
  usable.sort((a, b) => Number(b.internal) - Number(a.internal) || Number(a.family === 'IPv6') - Number(b.family === 'IPv6'));
  const out = usable.map((a) => (a.family === 'IPv6' ? `[${a.address}]` : a.address));
  if (out.length === 0) out.push(host === '0.0.0.0' ? '127.0.0.1' : '[::1]');
  return [...new Set(out)];
}

/**
 * Tests of the crash guard only (ASTERISK_TAP_FAULT_INJECTION=1, behind the token): raises an
 * exception nothing catches, or a rejection nothing handles, as a bug in a handler would.
 */
function injectFault(kind: string | null): void {
  if (kind === 'rejection') void Promise.reject(new Error('injected unhandled rejection (fault injection test)'));
  else
    setImmediate(() => {
      throw new Error('injected uncaught exception (fault injection test)');
    });
}

/**
 * `asterisk-tap serve`: the same core and renderer as the desktop app, for a browser. Every
 * request and the socket need the per-run token (from the printed URL, then a cookie); the Host
 * header must be this server (DNS rebinding) and the socket's Origin this page.
 */
export class WebHost {
  readonly token: string;
  private readonly opts: WebHostOptions;
  private readonly server: Server;
  // UTF-8 is checked per message by the bridge (to answer bad-request rather than close).
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: BRIDGE_LIMITS.maxFrameBytes, skipUTF8Validation: true });

  constructor(opts: WebHostOptions) {
    this.opts = opts;
    this.token = opts.token ?? randomBytes(24).toString('base64url');
    this.server = createServer((req, res) => {
      this.onRequest(req, res).catch((err: unknown) => {
        this.opts.service.log('error', `The web host could not answer ${req.method ?? '?'} ${(req.url ?? '').slice(0, 200)}: ${describeError(err)}.`);
        if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' }).end('The host could not answer this request; see its log.\n');
        else res.destroy();
      });
    });
    this.server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => this.onUpgrade(req, socket, head));
  }

  async start(): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.opts.port ?? 0, this.opts.host ?? '127.0.0.1', () => {
        this.server.removeListener('error', reject);
        this.server.on('error', (err) => this.opts.service.log('warn', `The web host could not take a connection: ${err.message}.`));
        resolve();
      });
    });
  }

  /** The first of {@link origins}: loopback when bound to every interface. */
  get origin(): string {
    return this.origins[0]!;
  }
  /** Where a browser can reach this server: one origin per address it listens on. */
  get origins(): string[] {
    const { port } = this.server.address() as AddressInfo;
    return listenAddresses(this.opts.host ?? '127.0.0.1', networkInterfaces()).map((a) => `http://${a}:${port}`);
  }
  /** {@link url} for every address it listens on (`--host 0.0.0.0`: each interface's). */
  get urls(): string[] {
    return this.origins.map((o) => `${o}/?token=${this.token}`);
  }
  /**
   * Browsers send a host's cookies to every port of it: with the port in its name, the token of
   * one `serve` is never offered to (or overwritten by) another on the same host.
   */
  get cookieName(): string {
    return `tap_token_${(this.server.address() as AddressInfo).port}`;
  }
  /** The URL to open: carries the token, like Jupyter's. */
  get url(): string {
    return `${this.origin}/?token=${this.token}`;
  }

  /** Host headers of this server: its addresses (every interface's when bound to all) and localhost; never a name (DNS rebinding). */
  private allowedHosts(): Set<string> {
    const { port } = this.server.address() as AddressInfo;
    const host = this.opts.host ?? '127.0.0.1';
    const names = [...listenAddresses(host, networkInterfaces()), host.includes(':') ? `[${host}]` : host, 'localhost', '127.0.0.1'];
    return new Set(names.map((n) => `${n}:${port}`));
  }

  private tokenOf(req: IncomingMessage, url: URL): { ok: boolean; fromQuery: boolean } {
    const q = url.searchParams.get('token');
    if (q !== null && safeEqual(q, this.token)) return { ok: true, fromQuery: true };
    const name = this.cookieName;
    const cookie = (req.headers.cookie ?? '').split(';').map((c) => c.trim()).find((c) => c.startsWith(`${name}=`));
    return { ok: cookie !== undefined && safeEqual(cookie.slice(name.length + 1), this.token), fromQuery: false };
  }

  private async onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://x');
    if (!this.allowedHosts().has(String(req.headers.host))) {
      res.writeHead(421, { 'Content-Type': 'text/plain' }).end('This server only answers to its own address.\n');
      return;
    }
    const token = this.tokenOf(req, url);
    if (!token.ok) {
      res.writeHead(401, { 'Content-Type': 'text/plain; charset=utf-8' }).end('Asterisk Tap: open the URL printed by "asterisk-tap serve"; it carries the access token.\n');
      return;
    }
    if (token.fromQuery) {
      // Trade the token in the URL for a cookie, so it does not linger in history or get shared by copy-paste.
      url.searchParams.delete('token');
      res.writeHead(303, { 'Set-Cookie': `${this.cookieName}=${this.token}; HttpOnly; SameSite=Strict; Path=/`, Location: url.pathname + url.search, 'Cache-Control': 'no-store' }).end();
      return;
    }
    if (url.pathname === '/debug/fault' && process.env['ASTERISK_TAP_FAULT_INJECTION'] === '1') {
      injectFault(url.searchParams.get('kind'));
      res.writeHead(202, { 'Content-Type': 'text/plain' }).end('fault injected\n');
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405).end();
      return;
    }
    const resource = await this.opts.service.resource(url.pathname, req.headers.range).catch((err: unknown) => ({ status: 500, headers: { 'Content-Type': 'text/plain; charset=utf-8' }, body: Buffer.from(`${describeError(err)}\n`) }));
    if (resource) {
      const body = resource.body;
      res.writeHead(resource.status, { ...resource.headers, 'X-Content-Type-Options': 'nosniff' });
      if (body === undefined || Buffer.isBuffer(body)) res.end(req.method === 'HEAD' ? undefined : body);
      else if (req.method === 'HEAD') {
        // The file was opened for the answer's headers: close it, nothing is sent.
        body.destroy();
        res.end();
      } else {
        // pipeline closes the file when the client aborts (media elements abort ranges all the time).
        pipeline(body, res, () => undefined);
      }
      return;
    }
    if (!(await serveStatic(this.opts.rendererDir, url.pathname, res))) res.writeHead(404, { 'Content-Type': 'text/plain' }).end('Not found\n');
  }

  private onUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    // Until `ws` takes the socket over, nothing else listens for its errors (a reset client).
    socket.on('error', () => socket.destroy());
    const url = new URL(req.url ?? '/', 'http://x');
    const reject = (status: number, text: string): void => {
      socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    };
    if (url.pathname !== '/bridge' && url.pathname !== '/pcm') return reject(404, 'Not Found');
    const host = String(req.headers.host);
    if (!this.allowedHosts().has(host)) return reject(421, 'Misdirected Request');
    if (req.headers.origin !== `http://${host}`) return reject(403, 'Forbidden');
    if (!this.tokenOf(req, url).ok) return reject(401, 'Unauthorized');
    // Control (JSON) and the data plane (PCM, read by the page's live worker) on separate sockets.
    this.wss.handleUpgrade(req, socket, head, (ws) => (url.pathname === '/pcm' ? attachPcmSocket(ws, this.opts.service) : attachBridgeSocket(ws, this.opts.service)));
  }

  async stop(): Promise<void> {
    for (const c of this.wss.clients) c.terminate();
    this.wss.close();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
