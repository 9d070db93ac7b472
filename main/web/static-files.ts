import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import type { ServerResponse } from 'node:http';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
  '.ico': 'image/x-icon',
  '.map': 'application/json',
};

import { randomBytes } from 'node:crypto';

/** Where index.html carries the per-response style nonce (its meta CSP and a meta the page reads). */
export const NONCE_PLACEHOLDER = '__CSP_NONCE__';

/** A fresh nonce for one page load. */
export function newNonce(): string {
  return randomBytes(18).toString('base64url');
}

/**
 * The page's Content-Security-Policy, also sent as a header (the meta tag is the fallback).
 * Styles: files of the app, plus `<style>` elements carrying this load's nonce (wavesurfer.js
 * styles its shadow DOM that way); inline style attributes stay refused.
 */
export function cspFor(nonce: string): string {
  return CSP_TEMPLATE.replace(NONCE_PLACEHOLDER, nonce);
}

/**
 * Cross-origin isolation for the page and its workers: it then may share memory
 * (SharedArrayBuffer) with its audio worklets, so live audio reaches the audio thread without a
 * message per packet. Everything the page loads is its own origin's, so nothing is refused.
 */
export const ISOLATION_HEADERS = { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' } as const;

/** Fills the page's nonce placeholders. */
export function renderPage(html: string, nonce: string): string {
  return html.replaceAll(NONCE_PLACEHOLDER, nonce);
}

const CSP_TEMPLATE = [
  "default-src 'none'",
  "script-src 'self'",
  `style-src 'self' 'nonce-${NONCE_PLACEHOLDER}'`,
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "media-src 'self' blob:",
  "worker-src 'self' blob:",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** Serves a file from `root`, refusing anything that resolves outside it. Returns false if absent. */
export async function serveStatic(root: string, urlPath: string, res: ServerResponse): Promise<boolean> {
  let rel: string;
  try {
    rel = decodeURIComponent(urlPath === '/' ? '/index.html' : urlPath);
  } catch {
    return false;
  }
  const file = normalize(join(root, rel));
  if (!file.startsWith(root.endsWith(sep) ? root : root + sep)) return false;
  try {
    if (!(await stat(file)).isFile()) return false;
  } catch {
    return false;
  }
  const nonce = newNonce();
  const raw = await readFile(file);
  const body = extname(file) === '.html' ? Buffer.from(renderPage(raw.toString('utf8'), nonce)) : raw;
  res.writeHead(200, {
    'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream',
    'Content-Length': body.length,
    'Content-Security-Policy': cspFor(nonce),
    ...ISOLATION_HEADERS,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cache-Control': 'no-cache',
  });
  res.end(body);
  return true;
}
