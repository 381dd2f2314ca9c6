// Smoke test of the release package in pkg/ (what npm users get): each entry imported from a
// plain <script type="module"> page loads the stand-in widget and turns calls into Intercom
// calls (the default entry fetches the .wasm beside it, the inline one fetches none); and the
// package as `npm pack` makes it: its exact files, its `exports`, its types from the tarball.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync, spawnSync } from 'node:child_process';
import { openBrowser, openPage, ROOT } from './harness.mjs';
import { packageFlow, packageFlowResult } from './flows.mjs';
import { packAndInstall, PACKAGE } from './apps.mjs';

let env;
before(async () => { env = await openBrowser(); });
after(async () => { await env?.close(); });

const PAGE = '<!doctype html><meta charset="utf-8"><title>package smoke test</title><script>/* first script */</script>';

for (const [entry, wasm] of [['/pkg/index.js', ['/pkg/intercom_web_destination_bg.wasm']], ['/pkg/inline.js', []]]) {
  test(`the release package (${entry}) loads the widget and sends each action`, async () => {
    const { page, problems } = await openPage(env, PAGE);
    const result = await page.evaluate(packageFlow, { entry, appId: 'smoke123' });
    assert.deepEqual(result, packageFlowResult({ origin: env.origin, appId: 'smoke123', wasm }));
    assert.deepEqual(problems, []);
  });
}

test('the inline entry in an engine without Uint8Array.fromBase64 decodes the module with atob', async () => {
  const { page, problems } = await openPage(env, PAGE, undefined, { initScript: () => { delete Uint8Array.fromBase64; } });
  const result = await page.evaluate(packageFlow, { entry: '/pkg/inline.js', appId: 'smoke123' });
  assert.deepEqual(result, packageFlowResult({ origin: env.origin, appId: 'smoke123', wasm: [] }));
  assert.deepEqual(problems, []);
});

test('the inline entry in an engine without DecompressionStream: no plugin, one console error naming the default entry', async () => {
  const { page, problems } = await openPage(env, PAGE, undefined, { initScript: () => { delete window.DecompressionStream; } });
  const count = await page.evaluate(async () => {
    const { default: intercomDestination } = await import('/pkg/inline.js');
    return (await intercomDestination({ appId: 'smoke123' })).length;
  });
  assert.equal(count, 0);
  assert.deepEqual(problems, [
    'console error: Intercom Web (Actions): this browser has no DecompressionStream to unpack the inlined module: import intercom-web-destination (the .wasm beside it) instead of intercom-web-destination/inline',
  ]);
});

test('bad settings: no plugin, one console error with the message, nothing thrown into the page', async () => {
  const { page, problems } = await openPage(env, PAGE);
  const result = await page.evaluate(async () => {
    const { default: intercomDestination } = await import('/pkg/index.js');
    const plugins = await intercomDestination({ appId: 'x', apiBase: 'mars' });
    return { count: plugins.length, scripts: document.scripts.length };
  });
  assert.deepEqual(result, { count: 0, scripts: 1 });
  // The plugin reports the bad settings on the console as an error, on purpose.
  assert.deepEqual(problems, [
    'console error: Intercom Web (Actions): apiBase must be one of https://api-iam.intercom.io, https://api-iam.eu.intercom.io, https://api-iam.au.intercom.io (or us, eu, au), got "mars"',
  ]);
});

test('npm pack: exactly the package files; every export resolves; strict TypeScript from the tarball', () => {
  const app = packAndInstall('package');
  try {
    assert.equal(app.packed.name, PACKAGE);
    assert.deepEqual(app.packed.files.map((f) => f.path).sort(), [
      'README.md',
      'classic/intercom-destination.js',
      'classic/intercom_web_destination_bg.wasm',
      'index.d.ts',
      'index.js',
      'inline.d.ts',
      'inline.js',
      'intercom_web_destination_bg.wasm',
      'package.json',
    ]);
    // The package page: the settings come from the repository's README, whole.
    const readme = fs.readFileSync(path.join(app.installed, 'README.md'), 'utf8');
    assert.ok(!readme.includes('<!-- README.md:'), 'a section of README.md was not filled in');
    for (const heading of ['## Use it', '## Entry points', '## Settings', "## Intercom's session rules"]) {
      assert.ok(readme.includes(`\n${heading}\n`), `the package README has no "${heading}"`);
    }
    assert.ok(readme.includes('| `nestedTraits` |'), 'the settings table is in the package README');
    // Node resolves each export (its default condition) to the file it names.
    const resolved = JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', `
      const names = ['', '/inline', '/classic', '/intercom_web_destination_bg.wasm', '/classic/intercom_web_destination_bg.wasm', '/package.json'];
      console.log(JSON.stringify(names.map((n) => import.meta.resolve('${PACKAGE}' + n))));`], { cwd: app.dir, encoding: 'utf8' }));
    const base = `file://${fs.realpathSync(app.installed)}/`;
    assert.deepEqual(resolved, [
      'index.js', 'inline.js', 'classic/intercom-destination.js', 'intercom_web_destination_bg.wasm',
      'classic/intercom_web_destination_bg.wasm', 'package.json',
    ].map((f) => base + f));
    // The classic build's .wasm is the package's.
    assert.ok(fs.readFileSync(path.join(app.installed, 'classic', 'intercom_web_destination_bg.wasm'))
      .equals(fs.readFileSync(path.join(app.installed, 'intercom_web_destination_bg.wasm'))));
    // A strict TypeScript app sees both entries' types through `exports` (no paths mapping).
    fs.writeFileSync(path.join(app.dir, 'main.ts'), `
      import intercomDestination from '${PACKAGE}';
      import inline, { type IntercomPlugin } from '${PACKAGE}/inline';
      const same: typeof intercomDestination = inline;
      const plugins: Promise<IntercomPlugin[]> = inline({ appId: 'abc12345', apiBase: 'eu' });
      // @ts-expect-error: a misspelt setting fails with the inline entry too
      void inline({ appId: 'abc12345', ensurePIng: true });
      void same; void plugins;
    `);
    for (const moduleResolution of ['bundler', 'nodenext']) {
      fs.writeFileSync(path.join(app.dir, 'tsconfig.json'), JSON.stringify({
        compilerOptions: {
          strict: true, exactOptionalPropertyTypes: true, noEmit: true, target: 'ES2022', lib: ['ES2022', 'DOM'],
          module: moduleResolution === 'bundler' ? 'ESNext' : 'NodeNext', moduleResolution, types: [], skipLibCheck: false,
        },
        files: ['main.ts'],
      }));
      const tsc = spawnSync(path.join(ROOT, 'node_modules/.bin/tsc'), ['-p', '.', '--pretty', 'false'], { cwd: app.dir, encoding: 'utf8' });
      assert.equal(tsc.status, 0, `tsc (moduleResolution ${moduleResolution}) failed:\n${tsc.stdout}${tsc.stderr}`);
    }
  } finally {
    app.remove();
  }
});
