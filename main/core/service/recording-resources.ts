import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { Readable } from 'node:stream';
import { computeSpectrogram } from '../audio/wav-spectrogram.ts';
import { inspectWav } from '../audio/wav-reader.ts';
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

/** Serves a file whole or by range (media elements seek with range requests). */
async function fileResource(path: string, type: string, range: string | undefined, extra: Record<string, string> = {}): Promise<HttpResource> {
  const { size } = await stat(path);
  const r = parseRange(range, size);
  const base = { 'Content-Type': type, 'Accept-Ranges': 'bytes', 'Cache-Control': 'no-cache', ...extra };
  if (r === 'unsatisfiable') return { status: 416, headers: { ...base, 'Content-Range': `bytes */${size}` } };
  if (!r) return { status: 200, headers: { ...base, 'Content-Length': String(size) }, body: size === 0 ? Buffer.alloc(0) : createReadStream(path) };
  return {
    status: 206,
    headers: { ...base, 'Content-Length': String(r.end - r.start + 1), 'Content-Range': `bytes ${r.start}-${r.end}/${size}` },
    body: createReadStream(path, { start: r.start, end: r.end }),
  };
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
        const data = await computeSpectrogram(path, await inspectWav(path, { strict: true }));
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
    if (code === 'ENOENT' || code === 'recording-name') return text(404, 'No such recording\n');
    if (typeof code === 'string' && code.startsWith('wav-')) return text(422, `${(err as Error).message}\n`);
    if (err instanceof URIError) return text(400, 'Bad path\n');
    throw err;
  }
  return undefined;
}
