import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import ts from 'typescript';

/** Names in preload/contract.ts (exports and members of exported interfaces) without a JSDoc comment. */
async function undocumented(): Promise<string[]> {
  const path = new URL('../../../preload/contract.ts', import.meta.url);
  const source = ts.createSourceFile('contract.ts', await readFile(path, 'utf8'), ts.ScriptTarget.Latest, true);
  const hasDoc = (node: ts.Node): boolean => ts.getJSDocCommentsAndTags(node).length > 0;
  const missing: string[] = [];
  for (const stmt of source.statements) {
    const exported = ts.canHaveModifiers(stmt) && ts.getModifiers(stmt)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
    if (!exported && !ts.isExportDeclaration(stmt)) continue;
    if (ts.isExportDeclaration(stmt)) {
      if (!hasDoc(stmt)) missing.push(`export { ${stmt.exportClause?.getText(source) ?? '*'} }`);
      continue;
    }
    const name = ts.isVariableStatement(stmt) ? stmt.declarationList.declarations.map((d) => d.name.getText(source)).join(', ') : ((stmt as { name?: ts.Identifier }).name?.text ?? '?');
    if (!hasDoc(ts.isVariableStatement(stmt) ? stmt : stmt)) missing.push(name);
    if (ts.isInterfaceDeclaration(stmt)) for (const m of stmt.members) if (!hasDoc(m)) missing.push(`${name}.${m.name?.getText(source) ?? '(call)'}`);
  }
  return missing;
}

test('every export of the contract, and every member of its interfaces, is documented', async () => {
  assert.deepEqual(await undocumented(), []);
});
