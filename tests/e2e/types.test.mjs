// The package's TypeScript types (js/index.d.ts): tests/types compiles with TypeScript under
// `strict` and `exactOptionalPropertyTypes` (both README usages against analytics-next's own
// types, and every deliberate mistake of tests/types/mistakes.ts rejected), and the settings
// they declare are the ones src/intercom/settings.rs accepts and the README's settings table lists.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const read = (file) => fs.readFileSync(path.join(ROOT, file), 'utf8');

test('tests/types compiles: the README usages pass, every deliberate mistake fails', () => {
  const tsc = spawnSync(path.join(ROOT, 'node_modules/.bin/tsc'), ['-p', 'tests/types', '--pretty', 'false'], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  assert.equal(tsc.error, undefined);
  assert.equal(tsc.status, 0, `tsc -p tests/types failed:\n${tsc.stdout}${tsc.stderr}`);
});

/** The property names of the interface `name` in the declaration file `file`, in order. */
function declaredProperties(file, name) {
  const source = ts.createSourceFile(file, read(file), ts.ScriptTarget.Latest);
  const decl = source.statements.find((s) => ts.isInterfaceDeclaration(s) && s.name.text === name);
  assert.ok(decl, `${file} declares no interface ${name}`);
  for (const member of decl.members) {
    assert.ok(ts.isPropertySignature(member), `${name} has a member that is not a property (an index signature?)`);
  }
  return decl.members.map((m) => m.name.text);
}

/**
 * The setting keys the core accepts: the key table of src/intercom/settings.rs and the keys
 * src/intercom/destination.rs reads from the raw settings itself (`subscriptions`).
 */
function rustSettingKeys() {
  const table = read('src/intercom/settings.rs').match(/const KEYS: \[&str; \d+\] = \[([^\]]*)\]/);
  assert.ok(table, 'src/intercom/settings.rs has no `const KEYS: [&str; N] = [...]` table: update this test to read its settings table');
  const keys = [...table[1].matchAll(/"(\w+)"/g)].map((m) => m[1]);
  const direct = [...read('src/intercom/destination.rs').matchAll(/\braw\.get\("(\w+)"\)/g)].map((m) => m[1]);
  assert.ok(direct.includes('subscriptions'), 'src/intercom/destination.rs no longer reads raw.get("subscriptions")');
  return [...keys, ...direct];
}

/** The settings in the first column of the README's table under "## Settings". */
function readmeSettings() {
  const section = read('README.md').split(/^## /m).find((s) => s.startsWith('Settings\n'));
  assert.ok(section, 'README.md has no "## Settings" section');
  return [...section.matchAll(/^\| `(\w+)`/gm)].map((m) => m[1]);
}

test('the settings of index.d.ts are those of src/intercom/settings.rs and of the README table', () => {
  const sorted = (names) => [...names].sort();
  const declared = declaredProperties('js/index.d.ts', 'IntercomDestinationSettings');
  const rust = rustSettingKeys();
  const readme = readmeSettings();
  assert.equal(new Set(declared).size, declared.length, 'a setting declared twice');
  assert.deepEqual(sorted(declared), sorted(rust), 'index.d.ts vs src/intercom/settings.rs');
  assert.deepEqual(sorted(declared), sorted(readme), 'index.d.ts vs the README settings table');
  // Not three empty lists read wrongly: the 16 settings of this writing at least.
  assert.ok(declared.length >= 16, `only ${declared.length} settings found`);
});
