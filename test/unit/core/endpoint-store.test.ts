import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, readdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { openNodeEndpointStore } from '../../../main/core/endpoints/node-endpoint-store.ts';
import { EndpointValidationError } from '../../../main/core/endpoints/endpoint-store.ts';
import { validateEndpoint } from '../../../main/core/endpoints/endpoint-schema.ts';
import { tempDir } from '../../helpers/temp-dir.ts';

const lab = { name: 'Lab PBX', wsUrl: 'ws://10.0.0.5:8088/ws', ariUrl: 'http://10.0.0.5:8088/ari', ariUser: 'tap', headers: { 'X-Proxy-Token': 'abc' }, allowSelfSigned: false };

test('adds, lists, updates, duplicates and removes endpoints in one JSON file', async (t) => {
  const dir = await tempDir(t);
  const { store, warning } = await openNodeEndpointStore(dir);
  assert.equal(warning, undefined);
  const a = store.add({ ...lab, ariPassword: 's3cret' });
  assert.equal(store.list().length, 1);
  const updated = store.update(a.id, { ...lab, name: 'Lab PBX 2' });
  assert.equal(updated.name, 'Lab PBX 2');
  const copy = store.duplicate(a.id);
  assert.equal(copy.name, 'Lab PBX 2 (copy)');
  assert.equal(store.secrets.get(copy.id, 'ariPassword'), 's3cret');
  store.remove(a.id);
  assert.deepEqual(store.list().map((e) => e.id), [copy.id]);
  assert.equal(store.secrets.get(a.id, 'ariPassword'), undefined);
  // A second store on the same folder reads the same file (same format as electron-store).
  const again = (await openNodeEndpointStore(dir)).store;
  assert.deepEqual(again.list(), store.list());
  assert.throws(() => store.remove('missing'), (e: unknown) => (e as { code?: string }).code === 'endpoint-not-found');
});

test('passwords never reach the endpoint file; the secrets file is 0600', async (t) => {
  const dir = await tempDir(t);
  const { store } = await openNodeEndpointStore(dir);
  store.add({ ...lab, ariPassword: 'ari-pass-123', authPassword: 'proxy-pass-456' });
  const file = await readFile(join(dir, 'endpoints.json'), 'utf8');
  assert.doesNotMatch(file, /ari-pass-123|proxy-pass-456/);
  const secrets = await readFile(join(dir, 'node-secrets.json'), 'utf8');
  assert.match(secrets, /ari-pass-123/);
  assert.equal((await stat(join(dir, 'node-secrets.json'))).mode & 0o777, 0o600);
});

test('invalid input is refused with a message per field', async (t) => {
  const { store } = await openNodeEndpointStore(await tempDir(t));
  assert.throws(
    () => store.add({ ...lab, name: '', wsUrl: 'ftp://x', headers: { 'Channel-ID': 'x' } }),
    (e: unknown) => {
      assert.ok(e instanceof EndpointValidationError);
      const fields = e.fields.map((f) => f.field).sort();
      assert.deepEqual(fields, ['headers', 'name', 'wsUrl']);
      return true;
    },
  );
  assert.deepEqual(validateEndpoint({ id: 'x', ...lab, ariUser: undefined }).map((f) => f.field), ['ariUser']);
  assert.equal(validateEndpoint({ id: 'x', ...lab, headers: { 'X-A': 'line\r\nInjected: 1' } })[0]?.field, 'headers');
  assert.equal(store.list().length, 0);
});

test('a corrupt file is backed up and replaced with a message, never a crash', async (t) => {
  const dir = await tempDir(t);
  for (const content of ['{ not json', JSON.stringify({ schemaVersion: 1, endpoints: [{ id: 'x', name: 5 }] })]) {
    await writeFile(join(dir, 'endpoints.json'), content);
    const { store, warning } = await openNodeEndpointStore(dir);
    assert.match(warning ?? '', /damaged.*kept as .*corrupt/);
    assert.deepEqual(store.list(), []);
  }
  const backups = (await readdir(dir)).filter((n) => n.includes('.corrupt-'));
  assert.equal(backups.length, 2);
  assert.equal(await readFile(join(dir, backups.sort()[0]!), 'utf8').then((s) => s.length > 0), true);
});

test('export carries no secrets; import adds valid endpoints and reports the rest', async (t) => {
  const { store } = await openNodeEndpointStore(await tempDir(t));
  store.add({ ...lab, ariPassword: 'do-not-export' });
  const json = store.exportJson();
  assert.doesNotMatch(json, /do-not-export/);
  const other = (await openNodeEndpointStore(await tempDir(t))).store;
  const parsed = JSON.parse(json) as { endpoints: unknown[] };
  parsed.endpoints.push({ name: 'Broken', wsUrl: 'nope' });
  const result = other.importJson(JSON.stringify(parsed));
  assert.equal(result.added.length, 1);
  assert.equal(result.added[0]!.name, 'Lab PBX');
  assert.deepEqual(result.rejected.map((r) => r.name), ['Broken']);
  assert.throws(() => other.importJson('nope'), (e: unknown) => (e as { code?: string }).code === 'import-invalid');
  assert.throws(() => other.importJson('{"x":1}'), (e: unknown) => (e as { code?: string }).code === 'import-invalid');
});
