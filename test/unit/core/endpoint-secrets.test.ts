import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmod, readFile, readdir, stat, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { openNodeEndpointStore } from '../../../main/core/endpoints/node-endpoint-store.ts';
import { isSecretHeader } from '../../../main/core/endpoints/secret-headers.ts';
import { migrateLegacySecrets, NODE_SECRETS_FILE, SAFE_STORAGE_SECRETS_NAME } from '../../../main/core/endpoints/secret-store.ts';
import { EndpointsService } from '../../../main/core/service/endpoints-service.ts';
import { tempDir } from '../../helpers/temp-dir.ts';

const base = { name: 'Lab', wsUrl: 'ws://10.0.0.5:8088/ws', allowSelfSigned: false };
const secretHeaders = { Authorization: 'Bearer tok-111', 'Proxy-Authorization': 'Basic cHJveHk6MjIy', 'X-Api-Key': 'key-333', Cookie: 'sess=444', 'X-Session-Token': 'tok-555' };

test('which header names count as secrets', () => {
  for (const n of ['Authorization', 'proxy-authorization', 'X-Api-Key', 'X-Auth-User', 'X-Token', 'Cookie', 'X-Client-Secret', 'X-Password']) assert.equal(isSecretHeader(n), true, n);
  for (const n of ['X-Trace-Id', 'User-Agent', 'X-Forwarded-For']) assert.equal(isSecretHeader(n), false, n);
});

test('secret-looking header values go to the secrets file, never endpoints.json or an export; taps still send them', async (t) => {
  const dir = await tempDir(t);
  const { store } = await openNodeEndpointStore(dir);
  const ep = store.add({ ...base, headers: { ...secretHeaders, 'X-Trace-Id': 'plain-666' } });
  const file = await readFile(join(dir, 'endpoints.json'), 'utf8');
  for (const v of Object.values(secretHeaders)) assert.ok(!file.includes(v), `${v} in endpoints.json`);
  assert.match(file, /plain-666/);
  assert.match(file, /"X-Api-Key": ""/, 'the name stays, so the form shows it');
  for (const v of Object.values(secretHeaders)) assert.ok(!store.exportJson().includes(v), `${v} in the export`);
  const view = new EndpointsService(store, undefined);
  assert.deepEqual(view.tapOptions(store.get(ep.id)!, 'PJSIP/a-1').headers, { ...secretHeaders, 'X-Trace-Id': 'plain-666' });
  // Saved again from the form (secret values come back empty): the secrets are kept.
  store.update(ep.id, { ...base, headers: { ...Object.fromEntries(Object.keys(secretHeaders).map((k) => [k, ''])), 'X-Trace-Id': 'plain-666' } });
  assert.equal(store.headersFor(ep.id)['X-Api-Key'], 'key-333');
  // A new value replaces; a header taken out of the list forgets its secret.
  store.update(ep.id, { ...base, headers: { 'X-Api-Key': 'key-new' } });
  assert.deepEqual(store.headersFor(ep.id), { 'X-Api-Key': 'key-new' });
  assert.doesNotMatch(await readFile(join(dir, NODE_SECRETS_FILE), 'utf8'), /tok-111/);
  const copy = store.duplicate(ep.id);
  assert.deepEqual(store.headersFor(copy.id), { 'X-Api-Key': 'key-new' });
  store.remove(ep.id);
  assert.deepEqual(store.headersFor(copy.id), { 'X-Api-Key': 'key-new' });
});

test('secret header values already in endpoints.json are moved to the secrets file at start, with a notice', async (t) => {
  const dir = await tempDir(t);
  const ep = { id: 'e1', ...base, headers: { Authorization: 'Bearer old-777', 'X-Trace-Id': 'x' } };
  await writeFile(join(dir, 'endpoints.json'), JSON.stringify({ schemaVersion: 1, endpoints: [ep] }), { mode: 0o644 });
  const { store, warning } = await openNodeEndpointStore(dir);
  assert.match(warning ?? '', /moved 1 header value .*secrets/i);
  assert.doesNotMatch(await readFile(join(dir, 'endpoints.json'), 'utf8'), /old-777/);
  assert.deepEqual(store.headersFor('e1'), { Authorization: 'Bearer old-777', 'X-Trace-Id': 'x' });
  assert.equal((await openNodeEndpointStore(dir)).warning, undefined, 'once');
});

test('a secrets file readable by others is tightened to 0600; a corrupt one is set aside and said so', async (t) => {
  const dir = await tempDir(t);
  await writeFile(join(dir, NODE_SECRETS_FILE), JSON.stringify({ e1: { ariPassword: 'p' } }));
  await chmod(join(dir, NODE_SECRETS_FILE), 0o644);
  const first = await openNodeEndpointStore(dir);
  assert.equal((await stat(join(dir, NODE_SECRETS_FILE))).mode & 0o777, 0o600);
  assert.match(first.warning ?? '', /readable by other users.*0600/);
  assert.equal(first.store.secrets.get('e1', 'ariPassword'), 'p');
  await writeFile(join(dir, NODE_SECRETS_FILE), '{ damaged');
  const second = await openNodeEndpointStore(dir);
  assert.match(second.warning ?? '', /secrets file .* damaged.*kept as .*corrupt.*enter .*passwords/i);
  assert.ok((await readdir(dir)).some((n) => n.startsWith(`${NODE_SECRETS_FILE}.corrupt-`)));
});

test('the desktop app and the Node store keep secrets in distinct files; a shared legacy secrets.json is moved to its owner', async (t) => {
  const nodeDir = await tempDir(t);
  await writeFile(join(nodeDir, 'secrets.json'), JSON.stringify({ e1: { ariPassword: 'node-pass' } }), { mode: 0o600 });
  assert.match(migrateLegacySecrets(nodeDir) ?? '', /node/i);
  assert.deepEqual(await readdir(nodeDir), [NODE_SECRETS_FILE]);
  const { store } = await openNodeEndpointStore(nodeDir);
  assert.equal(store.secrets.get('e1', 'ariPassword'), 'node-pass');

  const appDir = await tempDir(t);
  await writeFile(join(appDir, 'secrets.json'), JSON.stringify({ 'e1.ariPassword': 'djEwAAAA' }));
  migrateLegacySecrets(appDir);
  assert.deepEqual(await readdir(appDir), [`${SAFE_STORAGE_SECRETS_NAME}.json`]);
  // The Node store opened on the desktop app's folder does not take (or damage) the encrypted file.
  const other = await openNodeEndpointStore(appDir);
  assert.equal(other.warning, undefined);
  assert.equal(await readFile(join(appDir, `${SAFE_STORAGE_SECRETS_NAME}.json`), 'utf8'), JSON.stringify({ 'e1.ariPassword': 'djEwAAAA' }));
});

test('an endpoint file too large to be real is set aside unread with a message, in bounded memory', async (t) => {
  const dir = await tempDir(t);
  await writeFile(join(dir, 'endpoints.json'), '{"schemaVersion":1,"endpoints":[]}');
  await truncate(join(dir, 'endpoints.json'), 200 * 1024 * 1024);
  const before = process.memoryUsage().arrayBuffers;
  const { store, warning } = await openNodeEndpointStore(dir);
  assert.ok(process.memoryUsage().arrayBuffers - before < 32 * 1024 * 1024);
  assert.match(warning ?? '', /200\.0 MB.*more than.*kept as .*too-large/);
  assert.deepEqual(store.list(), []);
});
