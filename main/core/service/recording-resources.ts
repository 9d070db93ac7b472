import { basename, join } from 'node:path';
import type { Readable } from 'node:stream';
import { computeSpectrogram } from '../audio/wav-spectrogram.ts';
import { inspectWav, openRegularFile } from '../audio/wav-reader.ts';
import { parseRange } from './http-range.ts';
import type { RecordingsFolder } from './recordings-folder.ts';

/** An HTTP answer either host (web host, Electron's app protocol) turns into its own response. */
export interface HttpResource {
  status: number;
  headers: Record<string, string>;
  body?: Readable | Buffer;
}

export const RECORDINGS_PREFIX = '/recordings/';
export const EXPORTS_PREFIX = '/exports/';

/** The URL the review editor plays a recording from. */
export function audioUrlOf(name: string): string {
  return `${RECORDINGS_PREFIX}${encodeURIComponent(name)}`;
}
export function spectrogramUrlOf(name: string): string {
  return `${RECORDINGS_PREFIX}${encodeURIComponent(name)}/spectrogram.json`;
}
export function exportUrlOf(jobId: string, fileName: string): string {
  return `${EXPORTS_PREFIX}${encodeURIComponent(jobId)}/${encodeURIComponent(fileName)}`;
}

const text = (status: number, body: string): HttpResource => ({ status, headers: { 'Content-Type': 'text/plain; charset=utf-8' }, body: Buffer.from(body) });

/**
 * Serves a regular file (never through a symlink) whole or by range (media elements seek with
 * range requests). The file is opened here, so a failure is an answer, not a stream error
 * later; the body stream owns the handle and closes it when it ends or is destroyed (the hosts
 * destroy it for HEAD and when the client goes away).
 */
async function fileResource(path: string, type: string, range: string | undefined, extra: Record<string, string> = {}): Promise<HttpResource> {
  const handle = await openRegularFile(path, { noFollow: true });
  let body: Readable | Buffer | undefined;
  try {
    const { size } = await handle.stat();
    const r = parseRange(range, size);
    const base = { 'Content-Type': type, 'Accept-Ranges': 'bytes', 'Cache-Control': 'no-cache', ...extra };
    if (r === 'unsatisfiable') return { status: 416, headers: { ...base, 'Content-Range': `bytes */${size}` } };
    if (!r) {
      body = size === 0 ? Buffer.alloc(0) : handle.createReadStream();
      return { status: 200, headers: { ...base, 'Content-Length': String(size) }, body };
    }
    body = handle.createReadStream({ start: r.start, end: r.end });
    return { status: 206, headers: { ...base, 'Content-Length': String(r.end - r.start + 1), 'Content-Range': `bytes ${r.start}-${r.end}/${size}` }, body };
  } finally {
    // Without a stream to own it, the handle is closed now.
    if (body === undefined || Buffer.isBuffer(body)) await handle.close();
    else body.on('error', () => undefined);
  }
}

/**
 * The recordings' HTTP side: audio with range requests, spectrograms, and (web host) finished
 * exports as downloads. Undefined when the path is not one of these; names go through the
 * folder's own check, so a request cannot reach outside it.
 */
export async function recordingResource(folder: RecordingsFolder, exportsDir: string, pathname: string, range: string | undefined): Promise<HttpResource | undefined> {
  try {
    if (pathname.startsWith(RECORDINGS_PREFIX)) {
      const rest = pathname.slice(RECORDINGS_PREFIX.length).split('/').map(decodeURIComponent);
      const path = folder.resolve(rest[0] ?? '');
      if (rest.length === 1) return await fileResource(path, 'audio/wav', range);
      if (rest.length === 2 && rest[1] === 'spectrogram.json') {
        const data = await computeSpectrogram(path, await inspectWav(path, { strict: true, noFollow: true }));
        return { status: 200, headers: { 'Content-Type': 'application/json', 'Cache-Control': 'no-cache' }, body: Buffer.from(JSON.stringify(data)) };
      }
      return text(404, 'Not found\n');
    }
    if (pathname.startsWith(EXPORTS_PREFIX)) {
      const [jobId = '', name = '', ...more] = pathname.slice(EXPORTS_PREFIX.length).split('/').map(decodeURIComponent);
      const safe = (s: string): boolean => s !== '' && s === basename(s) && !s.startsWith('.');
      if (more.length > 0 || !safe(jobId) || !safe(name)) return text(404, 'Not found\n');
      // RFC 6266: the ASCII fallback plus the UTF-8 name.
      const disposition = `attachment; filename="${name.replace(/[^\x20-\x7e]|"/g, '_')}"; filename*=UTF-8''${encodeURIComponent(name)}`;
      return await fileResource(join(exportsDir, jobId, name), 'audio/wav', range, { 'Content-Disposition': disposition });
    }
  } catch (err) {
    const code = (err as { code?: string }).code;
    // Folders, FIFOs and symlinks named like a recording are not recordings.
    if (code === 'ENOENT' || code === 'recording-name' || code === 'ELOOP' || code === 'EISDIR' || code === 'ENOTREG' || code === 'ENOTDIR' || code === 'ENAMETOOLONG') return text(404, 'No such recording\n');
    if (code === 'wav-unreadable') return text(404, `${(err as Error).message}\n`);
    if (code === 'EMFILE' || code === 'ENFILE') return text(503, 'Too many files are open in the host right now; try again.\n');
    if (typeof code === 'string' && code.startsWith('wav-')) return text(422, `${(err as Error).message}\n`);
    if (err instanceof URIError) return text(400, 'Bad path\n');
    throw err;
  }
  return undefined;
}
