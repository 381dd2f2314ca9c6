// Next.js app router from the npm tarball (scripts/test-nextjs.sh; not in scripts/test.sh: it
// installs Next.js, about 380 MB, and builds the app twice). tests/nextjs/app/page.tsx is a
// strict TypeScript client component that passes the factory in analytics-next's `plugins`;
// `next build` type-checks it, then bundles it with Turbopack (Next 16's default) and with
// webpack (`--webpack`); `next start` serves it, and headless Chromium checks the exact Intercom
// calls and that the .wasm came from Next's own static assets.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { openBrowser, ROOT } from '../e2e/harness.mjs';
import { openApp } from '../e2e/apps.mjs';
import { freePort } from '../e2e/engines.mjs';

const APP = path.dirname(fileURLToPath(import.meta.url));
const NEXT = path.join(APP, 'node_modules', '.bin', 'next');
const NPM = ['--no-audit', '--no-fund', '--loglevel=error'];
const ENV = { ...process.env, NEXT_TELEMETRY_DISABLED: '1' };
const BOOT = { app_id: 'next0001', installation_type: 's', api_base: 'https://api-iam.intercom.io' };
const EXPECTED_CALLS = [
  ['boot', BOOT],
  ['update', { user_id: 'u1', email: 'u1@example.com', name: 'Ada' }],
  ['trackEvent', 'Order Completed', { price: { amount: 1999, currency: 'USD' }, coupon: 'X' }],
  ['update', { company: { company_id: 'g1', name: 'Acme' } }],
];

let env;
before(async () => {
  assert.ok(fs.existsSync(NEXT), 'no Next.js in tests/nextjs/node_modules: run scripts/test-nextjs.sh');
  // The tarball, installed without touching the app's package.json or lockfile.
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'intercom-next-'));
  const [packed] = JSON.parse(execFileSync('npm', ['pack', path.join(ROOT, 'pkg'), '--json', '--pack-destination', tmp, ...NPM], { encoding: 'utf8' }));
  execFileSync('npm', ['install', '--no-save', '--offline', ...NPM, path.join(tmp, packed.filename)], { cwd: APP, stdio: ['ignore', 'pipe', 'pipe'] });
  fs.rmSync(tmp, { recursive: true, force: true });
  env = await openBrowser();
});
after(async () => { await env?.close(); });

for (const bundler of ['turbopack', 'webpack']) {
  test(`next build (${bundler}) and next start: the app router page sends the exact Intercom calls`, async () => {
    const started = Date.now();
    const build = spawnSync(NEXT, ['build', ...(bundler === 'webpack' ? ['--webpack'] : [])], { cwd: APP, env: ENV, encoding: 'utf8' });
    assert.equal(build.status, 0, `next build failed:\n${build.stdout}${build.stderr}`);
    const built = Date.now();
    const port = await freePort();
    const server = spawn(NEXT, ['start', '-p', String(port), '-H', '127.0.0.1'], { cwd: APP, env: ENV, stdio: 'ignore' });
    try {
      const url = `http://127.0.0.1:${port}/`;
      for (let waited = 0; ; waited += 200) {
        try {
          if ((await fetch(url)).ok) break;
        } catch {
          // not listening yet
        }
        if (waited > 30000) throw new Error('next start did not answer within 30 s');
        await new Promise((r) => setTimeout(r, 200));
      }
      const { page, problems, requests } = await openApp(env.browser, url);
      await page.waitForFunction(() => window.appDone && window.Intercom && window.Intercom.__standIn, null, { timeout: 30000 });
      assert.deepEqual(await page.evaluate(() => window.appDone), ['Intercom Web (Actions)']);
      assert.deepEqual(await page.evaluate(() => window.__intercomCalls.map((c) => [c.method, ...c.args])), EXPECTED_CALLS);
      const wasm = requests.map((u) => new URL(u).pathname).filter((p) => p.endsWith('.wasm'));
      assert.equal(wasm.length, 1, `one .wasm request: ${wasm}`);
      assert.ok(wasm[0].startsWith('/_next/static/'), wasm[0]);
      assert.deepEqual(problems, []);
      await page.close();
    } finally {
      const exited = new Promise((resolve) => server.once('exit', resolve));
      server.kill('SIGTERM');
      await exited;
    }
    console.log(`next build (${bundler}): ${((built - started) / 1000).toFixed(1)} s`);
  });
}
