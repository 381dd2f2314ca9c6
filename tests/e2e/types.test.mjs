// The package's TypeScript types (js/index.d.ts): tests/types compiles with TypeScript under
// `strict` and `exactOptionalPropertyTypes` (both README usages against analytics-next's own
// types, and every deliberate mistake of tests/types/mistakes.ts rejected). That the settings
// they declare are the declared ones (SETTINGS) is checked by tests/settings_table.rs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

test('tests/types compiles: the README usages pass, every deliberate mistake fails', () => {
  const tsc = spawnSync(path.join(ROOT, 'node_modules/.bin/tsc'), ['-p', 'tests/types', '--pretty', 'false'], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  assert.equal(tsc.error, undefined);
  assert.equal(tsc.status, 0, `tsc -p tests/types failed:\n${tsc.stdout}${tsc.stderr}`);
});
