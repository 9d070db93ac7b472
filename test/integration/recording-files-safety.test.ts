import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, readdir, rm, symlink, truncate, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildWavHeader } from '../../main/core/audio/wav-format.ts';
import { openNodeEndpointStore } from '../../main/core/endpoints/node-endpoint-store.ts';
import { TapService } from '../../main/core/service/tap-service.ts';
import { WebHost } from '../../main/web/web-host.ts';
import { tempDir } from '../helpers/temp-dir.ts';

async function setup(t: TestContext) {
  const rendererDir = await mkdtemp(join(tmpdir(), 'renderer-'));
  t.after(() => rm(rendererDir, { recursive: true, force: true }));
  await writeFile(join(rendererDir, 'index.html'), '<!doctype html><title>x</title>');
  const dir = join(await tempDir(t), 'rec');
  await mkdir(dir);
  // Twenty minutes (sparse): a range request for all of it cannot finish before the client aborts.
  const { header } = buildWavHeader({ sampleRate: 16_000, channels: 1, bitsPerSample: 16 }, 16_000 * 2 * 1200, { channel: 'PJSIP/a-1' });
  await writeFile(join(dir, 'long.wav'), header);
  await truncate(join(dir, 'long.wav'), header.length + 16_000 * 2 * 1200);
  const { store } = await openNodeEndpointStore(await tempDir(t));
  const service = new TapService({ store, recordingsDir: dir, host: 'web', version: 'test' });
  await service.init();
  const web = new WebHost({ service, rendererDir, token: 'tok' });
  await web.start();
  t.after(async () => {
    service.dispose();
    await web.stop();
  });
  const get = (path: string, headers: Record<string, string> = {}) => fetch(`${web.origin}${path}`, { headers: { cookie: `${web.cookieName}=tok`, ...headers } });
  return { service, web, dir, get };
}

/** Open file descriptors of this process (the web host runs in it). */
async function readdirFdCount(): Promise<number> {
  return (await readdir('/proc/self/fd')).length;
}

test('/recordings/ answers 404 for a folder, a FIFO or a symlink named like a recording (never follows it, never dies)', async (t) => {
  const { get, dir, service } = await setup(t);
  await mkdir(join(dir, 'x.wav'));
  await symlink('/etc/passwd', join(dir, 'p.wav'));
  await symlink(join(dir, 'long.wav'), join(dir, 'link.wav'));
  execFileSync('mkfifo', [join(dir, 'f.wav')]);
  for (const name of ['x.wav', 'p.wav', 'link.wav', 'f.wav']) {
    const res = await get(`/recordings/${name}`);
    assert.equal(res.status, 404, name);
    assert.doesNotMatch(await res.text(), /root:/);
    assert.equal((await get(`/recordings/${name}/spectrogram.json`)).status, 404, `${name} spectrogram`);
  }
  // The list shows them as damaged rather than reading through them (or blocking on the FIFO).
  const list = await service.handle('recordings:list', undefined);
  const damaged = new Map(list.map((r) => [r.name, r.damaged]));
  assert.match(damaged.get('p.wav') ?? '', /symbolic link/);
  assert.match(damaged.get('f.wav') ?? '', /not a regular file/);
  assert.equal(damaged.get('long.wav'), undefined);
  assert.equal((await get('/recordings/long.wav', { range: 'bytes=0-99' })).status, 206);
});

test('HEAD requests and aborted range requests leave no file descriptor open', async (t) => {
  const { web, get } = await setup(t);
  // Warm up: the first requests open sockets and lazily loaded modules.
  await (await get('/recordings/long.wav', { range: 'bytes=0-9' })).arrayBuffer();
  const before = await readdirFdCount();
  for (let i = 0; i < 50; i++) {
    const res = await fetch(`${web.origin}/recordings/long.wav`, { method: 'HEAD', headers: { cookie: `${web.cookieName}=tok` } });
    assert.equal(res.status, 200);
  }
  for (let i = 0; i < 50; i++) {
    await new Promise<void>((resolve, reject) => {
      const req = request(`${web.origin}/recordings/long.wav`, { headers: { cookie: `${web.cookieName}=tok`, range: `bytes=${i * 1000}-` } }, (res) => {
        assert.equal(res.statusCode, 206);
        res.once('data', () => {
          req.destroy();
          resolve();
        });
      });
      req.on('error', (err) => ((err as { code?: string }).code === 'ECONNRESET' ? resolve() : reject(err)));
      req.end();
    });
  }
  let now = Infinity;
  for (let tries = 0; tries < 400 && now > before + 2; tries++) {
    now = await readdirFdCount();
    if (now > before + 2) await new Promise((r) => setTimeout(r, 50));
  }
  assert.ok(now <= before + 2, `${now} file descriptors open, ${before} before 50 HEADs and 50 aborted ranges`);
});
