import { net, protocol } from 'electron';
import { join, normalize, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ISOLATION_HEADERS, cspFor, newNonce, renderPage } from '../web/static-files.ts';
import type { TapService } from '../core/service/tap-service.ts';
import { Readable } from 'node:stream';

/**
 * Must run before the app is ready: app:// is a standard, secure scheme (fetch, workers, audio
 * worklets) that streams media (the review editor plays recordings by range requests).
 */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([{ scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true } }]);
}

/** Serves the built renderer from app://renderer/, never file://, with the same CSP as the web host. */
export function serveRenderer(rendererDir: string, service: TapService): void {
  protocol.handle('app', async (request) => {
    const url = new URL(request.url);
    if (url.host !== 'renderer') return new Response('Not found', { status: 404 });
    // Recordings (audio by range, spectrograms) come from the core, as in the web host.
    const resource = await service.resource(url.pathname, request.headers.get('range') ?? undefined);
    if (resource) {
      // HEAD: the file opened for the headers is closed now (the body would never be read).
      if (request.method === 'HEAD' && resource.body instanceof Readable) resource.body.destroy();
      const body = resource.body === undefined || request.method === 'HEAD' ? null : Buffer.isBuffer(resource.body) ? new Uint8Array(resource.body) : (Readable.toWeb(resource.body) as ReadableStream<Uint8Array>);
      return new Response(body, { status: resource.status, headers: resource.headers });
    }
    const file = normalize(join(rendererDir, decodeURIComponent(url.pathname === '/' ? '/index.html' : url.pathname)));
    if (!file.startsWith(rendererDir + sep)) return new Response('Not found', { status: 404 });
    const res = await net.fetch(pathToFileURL(file).toString());
    const headers = new Headers(res.headers);
    const nonce = newNonce();
    headers.set('Content-Security-Policy', cspFor(nonce));
    for (const [name, value] of Object.entries(ISOLATION_HEADERS)) headers.set(name, value);
    if (file.endsWith('.html') && res.ok) return new Response(renderPage(await res.text(), nonce), { status: res.status, headers });
    return new Response(res.body, { status: res.status, headers });
  });
}
