import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join, relative, sep } from 'node:path';
import { promisify } from 'node:util';
import { ESLint } from 'eslint';

const root = join(import.meta.dirname, '..', '..', '..');
const eslint = new ESLint({ cwd: root });

/** Lints `code` as if it were the file `path` of the repository; returns the rule ids that fired. */
async function lintAs(path: string, code: string): Promise<{ rule: string | null; message: string }[]> {
  const [result] = await eslint.lintText(code, { filePath: join(root, path) });
  return result!.messages.map((m) => ({ rule: m.ruleId, message: m.message }));
}

// Each import below once passed both lint and typecheck. The fixture files do not exist: ESLint
// lints the text as if it were there, so the layer's rules apply exactly as to real code.
const forbidden: { name: string; path: string; code: string; says: RegExp }[] = [
  { name: 'core → electron shell', path: 'main/core/service/fixture.ts', code: "import { registerIpc } from '../../electron/ipc-main.ts';\nregisterIpc;\n", says: /core .* must not import main\/electron\/ipc-main\.ts/ },
  { name: 'core → web host', path: 'main/core/tap/fixture.ts', code: "import { startWebHost } from '../../web/web-host.ts';\nstartWebHost;\n", says: /must not import main\/web\/web-host\.ts/ },
  { name: 'core → CLI', path: 'main/core/fixture.ts', code: "export { say } from '../cli/cli-common.ts';\n", says: /must not import main\/cli\/cli-common\.ts/ },
  { name: 'core → demo PBX', path: 'main/core/audio/fixture.ts', code: "const sim = await import('../../sim/demo-pbx.ts');\nsim;\n", says: /must not import main\/sim\/demo-pbx\.ts/ },
  { name: 'core → renderer', path: 'main/core/service/fixture.ts', code: "import type { AppState } from '../../../renderer/workbench/app-state.ts';\nexport type X = AppState;\n", says: /must not import renderer\/workbench\/app-state\.ts/ },
  { name: 'core → preload script', path: 'main/core/service/fixture.ts', code: "import '../../../preload/index.ts';\n", says: /must not import preload\/index\.ts/ },
  { name: 'renderer → core', path: 'renderer/workbench/fixture.ts', code: "import { TypedEmitter } from '../../main/core/common/typed-emitter.ts';\nnew TypedEmitter();\n", says: /renderer .* must not import main\/core\/common\/typed-emitter\.ts/ },
  { name: 'preload → core', path: 'preload/fixture.ts', code: "export * from '../main/core/audio/levels.ts';\n", says: /preload .* must not import main\/core\/audio\/levels\.ts/ },
];

for (const f of forbidden) {
  test(`layering: ${f.name} is a lint error`, async () => {
    const messages = await lintAs(f.path, f.code);
    assert.ok(
      messages.some((m) => m.rule === 'layers/import-paths' && f.says.test(m.message)),
      JSON.stringify(messages),
    );
  });
}

test('layering: the renderer may not import the ws package (its types bring Node types)', async () => {
  const messages = await lintAs('renderer/bridge/fixture.ts', "import type WebSocket from 'ws';\nexport type W = WebSocket;\n");
  assert.ok(messages.some((m) => m.rule === 'no-restricted-imports' && /ws package/.test(m.message)), JSON.stringify(messages));
});

test('layering: allowed imports pass (core → contract, renderer → contract types, core → core)', async () => {
  assert.deepEqual(await lintAs('main/core/service/fixture.ts', "import type { TapView } from '../../../preload/contract.ts';\nimport { SLIN16 } from '../audio/wav-format.ts';\nexport type X = TapView;\nexport const f = SLIN16;\n"), []);
  assert.deepEqual(await lintAs('renderer/bridge/fixture.ts', "import type { TapView } from '../../preload/contract.ts';\nexport type X = TapView;\n"), []);
});

test("layering: the renderer's compilation holds no Node types", async () => {
  const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
  const { stdout } = await promisify(execFile)(process.execPath, [tsc, '-p', join(root, 'tsconfig.renderer.json'), '--listFilesOnly'], { cwd: root });
  const files = stdout.split('\n').filter(Boolean);
  assert.ok(files.some((f) => f.includes('/renderer/')), 'the listing is the renderer');
  // Judged relative to the project: a checkout may itself live under a folder named main.
  assert.deepEqual(files.filter((f) => /@types\/(node|ws)\//.test(f) || relative(root, f).split(sep)[0] === 'main'), []);
});
