// How users load the plugin, each run in headless Chromium with real analytics-next:
// - the npm package, packed with `npm pack` and installed from the tarball into a small app,
//   bundled by esbuild together with analytics-next;
// - the classic-script build (pkg/classic/, built by scripts/build.sh), loaded by analytics-next
//   itself from `remotePlugins[].url` (the factory is `window[libraryName]`), the way Segment
//   loads its own device-mode destinations; and with a plain <script src> tag.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import * as esbuild from 'esbuild';
import { openBrowser, openPage, ROOT, ANALYTICS_NEXT_UMD } from './harness.mjs';

const BOOT = { app_id: 'bundle01', installation_type: 's', api_base: 'https://api-iam.intercom.io' };
const EXPECTED_CALLS = [
  ['boot', BOOT],
  ['update', { user_id: 'u1', email: 'u1@example.com', name: 'Ada' }],
  ['trackEvent', 'Order Completed', { price: { amount: 1999, currency: 'USD' }, coupon: 'X' }],
  ['update', { company: { company_id: 'g1', name: 'Acme' } }],
];
const NPM = ['--no-audit', '--no-fund', '--loglevel=error'];

/** The small app: README's first way, `register(...await intercomDestination(settings))`. */
const APP = `
import { AnalyticsBrowser } from '@segment/analytics-next';
import intercomDestination from 'intercom-web-destination';

const [analytics] = await AnalyticsBrowser.load(
  { writeKey: 'app', cdnSettings: { integrations: {}, metrics: { sampleRate: 0 }, remotePlugins: [] } },
  { integrations: { 'Segment.io': false } },
);
await analytics.register(...(await intercomDestination({ appId: 'bundle01', widgetUrl: location.origin + '/widget' })));
await analytics.identify('u1', { email: 'u1@example.com', name: 'Ada' });
await analytics.track('Order Completed', { revenue: 19.99, coupon: 'X' });
await analytics.group('g1', { name: 'Acme' });
window.appDone = true;
`;

let env;
let tmp;
let packed; // `npm pack --json` output for pkg/

before(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'intercom-bundlers-'));
  // npm pack ./pkg, then install the tarball into the app (a local file: no network).
  [packed] = JSON.parse(execFileSync('npm', ['pack', path.join(ROOT, 'pkg'), '--json', '--pack-destination', tmp, ...NPM], { encoding: 'utf8' }));
  const app = path.join(tmp, 'app');
  fs.mkdirSync(path.join(app, 'src'), { recursive: true });
  fs.writeFileSync(path.join(app, 'package.json'), JSON.stringify({
    name: 'bundled-app', private: true, type: 'module',
    dependencies: { 'intercom-web-destination': `file:../${packed.filename}` },
  }));
  fs.writeFileSync(path.join(app, 'src', 'main.js'), APP);
  execFileSync('npm', ['install', '--offline', ...NPM], { cwd: app, stdio: ['ignore', 'pipe', 'pipe'] });
  // analytics-next comes from the repo's node_modules (nodePaths), so the app needs no registry.
  await esbuild.build({
    entryPoints: [path.join(app, 'src', 'main.js')],
    bundle: true,
    format: 'esm',
    outdir: path.join(app, 'dist'),
    nodePaths: [path.join(ROOT, 'node_modules')],
    logLevel: 'silent',
  });
  // esbuild leaves `new URL('./intercom_web_destination_bg.wasm', import.meta.url)` as it is
  // (it does not copy such assets): the .wasm goes next to the bundle by hand.
  fs.copyFileSync(
    path.join(app, 'node_modules', 'intercom-web-destination', 'intercom_web_destination_bg.wasm'),
    path.join(app, 'dist', 'intercom_web_destination_bg.wasm'),
  );
  env = await openBrowser({
    mounts: [['/app/', path.join(app, 'dist')], ['/cdn/intercom/v1/', path.join(ROOT, 'pkg', 'classic')]],
  });
});
after(async () => {
  await env?.close();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

/** Opens `html`; `requested()` gives the path of every request so far. */
async function open(html) {
  const { page, problems, requests } = await openPage(env, html, '/bundlers.html');
  return { page, problems, requested: () => requests.map((u) => new URL(u).pathname) };
}

/** The Intercom calls, once the widget has taken them from the stub queue (the plugin's load resolves before). */
async function calls(page) {
  await page.waitForFunction(() => window.Intercom?.__standIn === true);
  return page.evaluate(() => window.__intercomCalls.map((c) => [c.method, ...c.args]));
}

test('npm pack holds exactly the package files (no classic build, no sources)', () => {
  assert.equal(packed.name, 'intercom-web-destination');
  assert.deepEqual(packed.files.map((f) => f.path).sort(), [
    'index.d.ts',
    'index.js',
    'intercom_web_destination_bg.wasm',
    'package.json',
  ]);
});

test('an esbuild bundle of an app importing the packed npm package runs in Chromium', async () => {
  const { page, problems, requested } = await open('<!doctype html><meta charset="utf-8"><script type="module" src="/app/main.js"></script>');
  await page.waitForFunction(() => window.appDone === true && window.Intercom && window.Intercom.__standIn);
  assert.deepEqual(await calls(page), EXPECTED_CALLS);
  // Everything came from the bundle's folder: no /pkg/ and no /node_modules/ at run time.
  assert.deepEqual(requested().filter((p) => !p.startsWith('/widget/') && p !== '/bundlers.html').sort(), [
    '/app/intercom_web_destination_bg.wasm',
    '/app/main.js',
  ]);
  assert.deepEqual(problems, []);
});

test('the classic build, loaded by analytics-next from remotePlugins[].url, exposes the factory as libraryName', async () => {
  const { page, problems, requested } = await open(`<!doctype html><meta charset="utf-8"><script>/* first */</script><script src="${ANALYTICS_NEXT_UMD}"></script>`);
  const result = await page.evaluate(async () => {
    const name = 'Intercom Web (Actions)';
    const [analytics] = await window.AnalyticsNext.AnalyticsBrowser.load(
      {
        writeKey: 'classic',
        cdnSettings: {
          integrations: {},
          metrics: { sampleRate: 0 },
          remotePlugins: [{
            name, creationName: name, libraryName: 'intercomDestination',
            url: `${location.origin}/cdn/intercom/v1/intercom-destination.js`,
            settings: { appId: 'bundle01', widgetUrl: `${location.origin}/widget` },
          }],
        },
      },
      { integrations: { 'Segment.io': false } },
    );
    await analytics.identify('u1', { email: 'u1@example.com', name: 'Ada' });
    await analytics.track('Order Completed', { revenue: 19.99, coupon: 'X' });
    await analytics.group('g1', { name: 'Acme' });
    return {
      pluginName: window.intercomDestination.pluginName,
      destinations: analytics.queue.plugins.filter((p) => p.type === 'destination').map((p) => p.name),
      leaked: ['wasm_bindgen', 'createPlugins', 'makePlugins'].filter((g) => g in window),
    };
  });
  assert.deepEqual(await calls(page), EXPECTED_CALLS);
  assert.deepEqual(result, { pluginName: 'Intercom Web (Actions)', destinations: ['Intercom Web (Actions)'], leaked: [] });
  // The .wasm is found next to the script, wherever that is hosted.
  assert.ok(requested().includes('/cdn/intercom/v1/intercom-destination.js'));
  assert.ok(requested().includes('/cdn/intercom/v1/intercom_web_destination_bg.wasm'));
  assert.ok(!requested().some((p) => p.startsWith('/pkg/')));
  assert.deepEqual(problems, []);
});

test('the classic build from a plain <script src> tag, registered with analytics.register', async () => {
  const { page, problems } = await open(`<!doctype html><meta charset="utf-8"><script src="${ANALYTICS_NEXT_UMD}"></script>
<script src="/pkg/classic/intercom-destination.js"></script>`);
  await page.evaluate(async () => {
    const [analytics] = await window.AnalyticsNext.AnalyticsBrowser.load(
      { writeKey: 'classic', cdnSettings: { integrations: {}, metrics: { sampleRate: 0 }, remotePlugins: [] } },
      { integrations: { 'Segment.io': false } },
    );
    await analytics.register(...(await window.intercomDestination({ appId: 'bundle01', widgetUrl: `${location.origin}/widget` })));
    await analytics.identify('u1', { email: 'u1@example.com', name: 'Ada' });
    await analytics.track('Order Completed', { revenue: 19.99, coupon: 'X' });
    await analytics.group('g1', { name: 'Acme' });
  });
  await page.waitForFunction(() => window.Intercom && window.Intercom.__standIn);
  assert.deepEqual(await calls(page), EXPECTED_CALLS);
  assert.deepEqual(problems, []);
});
