// How users load the plugin, each run in headless Chromium with real analytics-next and held
// to the exact Intercom calls (through the stand-in widget). The npm package is packed with
// `npm pack` and installed from the tarball into a small app, which each bundler builds with its
// production settings and no step for this package:
// - Vite (build, and its dev server), webpack 5: the default entry (they copy the .wasm);
// - Rollup, esbuild (ESM and its default IIFE): the inline entry (they do not copy assets),
//   and esbuild with the default entry and the .wasm copied beside the bundle, as README says;
// - Segment's snippet: analytics.js's standalone build (answered for cdn.segment.com) loads the
//   package's classic build as a remote plugin ({url, libraryName}); and the classic build from
//   a plain <script src> tag.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import * as esbuild from 'esbuild';
import { build as viteBuild, createServer as viteServer } from 'vite';
import webpack from 'webpack';
import { rollup } from 'rollup';
import { nodeResolve } from '@rollup/plugin-node-resolve';
import commonjs from '@rollup/plugin-commonjs';
import { openBrowser, ROOT, ANALYTICS_NEXT_UMD } from './harness.mjs';
import { packAndInstall, openApp, PACKAGE } from './apps.mjs';
import { freePort } from './engines.mjs';

const APP_ID = 'bundle01';
const BOOT = { app_id: APP_ID, installation_type: 's', api_base: 'https://api-iam.intercom.io' };
const EXPECTED_CALLS = [
  ['boot', BOOT],
  ['update', { user_id: 'u1', email: 'u1@example.com', name: 'Ada' }],
  ['trackEvent', 'Order Completed', { price: { amount: 1999, currency: 'USD' }, coupon: 'X' }],
  ['update', { company: { company_id: 'g1', name: 'Acme' } }],
];
const WASM = 'intercom_web_destination_bg.wasm';

/**
 * The small app, importing `entry`: with `register`, README's first way
 * (`analytics.register(...await intercomDestination(settings))`); with `plugins`, the factory
 * passed in `plugins` and matched to the remote plugin that the CDN settings name.
 */
function appSource(entry, mode) {
  const remote = mode === 'plugins'
    ? "[{ name, creationName: name, libraryName: 'intercomDestination', url: location.origin + '/not-served.js', settings }]"
    : '[]';
  return `import { AnalyticsBrowser } from '@segment/analytics-next';
import intercomDestination from '${entry}';

const name = intercomDestination.pluginName;
const settings = { appId: '${APP_ID}', widgetUrl: location.origin + '/widget' };

async function main() {
  const [analytics] = await AnalyticsBrowser.load(
    { writeKey: 'app', cdnSettings: { integrations: {}, metrics: { sampleRate: 0 }, remotePlugins: ${remote} }${mode === 'plugins' ? ', plugins: [intercomDestination]' : ''} },
    { integrations: { 'Segment.io': false } },
  );
  ${mode === 'register' ? 'await analytics.register(...(await intercomDestination(settings)));' : ''}
  await analytics.identify('u1', { email: 'u1@example.com', name: 'Ada' });
  await analytics.track('Order Completed', { revenue: 19.99, coupon: 'X' });
  await analytics.group('g1', { name: 'Acme' });
  window.appDone = analytics.queue.plugins.filter((p) => p.type === 'destination').map((p) => p.name);
}
main().catch((e) => console.error('the app failed: ' + e.message));
`;
}

let env;
let app; // packAndInstall's answer: the tarball installed into app.dir
let dist;

before(async () => {
  app = packAndInstall('bundlers');
  dist = path.join(app.dir, 'dist');
  fs.mkdirSync(dist);
  env = await openBrowser({ mounts: [['/app/', dist], ['/npm/', path.join(app.dir, 'node_modules')]] });
});
after(async () => {
  await env?.close();
  app?.remove();
});

/** Writes `files` ({name: text}) into the app's folder `name`; returns the folder. */
function source(name, files) {
  const dir = path.join(app.dir, name);
  fs.mkdirSync(dir, { recursive: true });
  for (const [file, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, file), text);
  return dir;
}

/** A page at /app/<name>.html that runs `scripts` (HTML). */
function htmlPage(name, scripts) {
  fs.writeFileSync(path.join(dist, `${name}.html`), `<!doctype html><meta charset="utf-8"><title>${name}</title>\n${scripts}\n`);
  return `${env.origin}/app/${name}.html`;
}

/**
 * Runs the app at `url` and checks the exact Intercom calls, that the one destination is
 * "Intercom Web (Actions)", and the .wasm requests: `wasm` is the folder the .wasm must come
 * from (a file in it, whatever the bundler named it), or null for none at all.
 */
async function checkApp(url, { wasm, answer } = {}) {
  const { page, problems, requests } = await openApp(env.browser, url, answer);
  try {
    await page.waitForFunction(() => window.appDone && window.Intercom && window.Intercom.__standIn, null, { timeout: 20000 });
  } catch (e) {
    throw new Error(`${e.message}\nproblems: ${problems.join('\n')}`);
  }
  assert.deepEqual(await page.evaluate(() => window.appDone), ['Intercom Web (Actions)']);
  assert.deepEqual(await page.evaluate(() => window.__intercomCalls.map((c) => [c.method, ...c.args])), EXPECTED_CALLS);
  const wasmRequests = requests.map((u) => new URL(u).pathname).filter((p) => p.endsWith('.wasm'));
  if (wasm === null) {
    assert.deepEqual(wasmRequests, [], 'the inline entry fetches no .wasm');
  } else {
    assert.equal(wasmRequests.length, 1, `one .wasm request: ${wasmRequests}`);
    assert.equal(path.posix.dirname(wasmRequests[0]), wasm);
  }
  assert.ok(!requests.some((u) => new URL(u).pathname.startsWith('/node_modules/') || new URL(u).pathname.startsWith('/pkg/')), 'everything came from the build');
  assert.deepEqual(problems, []);
  await page.close();
}

test('Vite (production build; the factory in `plugins`): the .wasm becomes an asset', async () => {
  const root = source('vite', {
    'index.html': '<!doctype html><meta charset="utf-8"><title>vite app</title><script type="module" src="./main.js"></script>\n',
    'main.js': appSource(PACKAGE, 'plugins'),
  });
  await viteBuild({
    root, configFile: false, logLevel: 'error', base: '/app/vite/',
    build: { outDir: path.join(dist, 'vite'), emptyOutDir: true },
  });
  await checkApp(`${env.origin}/app/vite/index.html`, { wasm: '/app/vite/assets' });
});

test('Vite dev server (the current major): the pre-bundled package finds its .wasm', async () => {
  const root = source('vite-dev', {
    'index.html': '<!doctype html><meta charset="utf-8"><title>vite dev</title><script type="module" src="./main.js"></script>\n',
    'main.js': appSource(PACKAGE, 'register'),
  });
  const port = await freePort();
  const server = await viteServer({
    root, configFile: false, logLevel: 'error',
    server: { host: '127.0.0.1', port, strictPort: true, hmr: false },
  });
  await server.listen();
  try {
    const { page, problems, requests } = await openApp(env.browser, `http://127.0.0.1:${port}/`);
    await page.waitForFunction(() => window.appDone && window.Intercom && window.Intercom.__standIn, null, { timeout: 30000 });
    assert.deepEqual(await page.evaluate(() => window.__intercomCalls.map((c) => [c.method, ...c.args])), EXPECTED_CALLS);
    const wasm = requests.map((u) => new URL(u)).filter((u) => u.pathname.endsWith('.wasm'));
    assert.equal(wasm.length, 1, wasm.join(' '));
    assert.equal(wasm[0].port, String(port), 'served by the dev server');
    assert.deepEqual(problems, []);
    await page.close();
  } finally {
    await server.close();
  }
});

test('webpack 5 (mode production): the .wasm becomes an asset', async () => {
  source('webpack', { 'main.js': appSource(PACKAGE, 'register') });
  const compiler = webpack({
    mode: 'production', context: app.dir, entry: './webpack/main.js', devtool: false,
    performance: { hints: false },
    output: { path: path.join(dist, 'webpack'), filename: 'main.js', clean: true },
  });
  const stats = await new Promise((resolve, reject) => compiler.run((err, s) => (err ? reject(err) : resolve(s))));
  await new Promise((resolve) => compiler.close(resolve));
  assert.ok(!stats.hasErrors(), stats.toString('errors-only'));
  await checkApp(htmlPage('webpack', '<script src="/app/webpack/main.js"></script>'), { wasm: '/app/webpack' });
});

test('Rollup (node-resolve and commonjs, as analytics-next needs; ESM): the inline entry, no .wasm to copy', async () => {
  const input = path.join(source('rollup', { 'main.js': appSource(`${PACKAGE}/inline`, 'register') }), 'main.js');
  const bundle = await rollup({ input, plugins: [nodeResolve({ browser: true }), commonjs()], onwarn: () => {} });
  await bundle.write({ dir: path.join(dist, 'rollup'), format: 'es' });
  await bundle.close();
  await checkApp(htmlPage('rollup', '<script type="module" src="/app/rollup/main.js"></script>'), { wasm: null });
});

test('Rollup with the default entry and no copy step: one console error naming the .wasm and the fix; analytics.js goes on', async () => {
  const input = path.join(source('rollup-default', { 'main.js': appSource(PACKAGE, 'register') }), 'main.js');
  const bundle = await rollup({ input, plugins: [nodeResolve({ browser: true }), commonjs()], onwarn: () => {} });
  await bundle.write({ dir: path.join(dist, 'rollup-default'), format: 'es' });
  await bundle.close();
  const { page, problems } = await openApp(env.browser, htmlPage('rollup-default', '<script type="module" src="/app/rollup-default/main.js"></script>'));
  await page.waitForFunction(() => window.appDone);
  assert.deepEqual(await page.evaluate(() => window.appDone), [], 'no plugin');
  const url = `${env.origin}/app/rollup-default/${WASM}`;
  assert.deepEqual(problems.filter((p) => !p.includes('Failed to load resource')), [
    `console error: Intercom Web (Actions): ${url} answered 404: serve ${WASM} next to the package's index.js, or set intercomDestination.wasmUrl to where it is (or import intercom-web-destination/inline, which carries it)`,
  ]);
  await page.close();
});

const esbuildOptions = (entry, format) => ({
  entryPoints: [path.join(source(`esbuild-${format}-${entry.length}`, { 'main.js': appSource(entry, 'register') }), 'main.js')],
  bundle: true, minify: true, format, logLevel: 'silent',
  outfile: path.join(dist, `esbuild-${format}-${entry.length}`, 'main.js'),
});

for (const format of ['esm', 'iife']) {
  const script = (dir) => `<script${format === 'esm' ? ' type="module"' : ''} src="/app/${dir}/main.js"></script>`;
  test(`esbuild (--bundle --minify${format === 'esm' ? ' --format=esm' : ', its default IIFE'}): the inline entry`, async () => {
    const options = esbuildOptions(`${PACKAGE}/inline`, format);
    await esbuild.build(options);
    const dir = path.basename(path.dirname(options.outfile));
    await checkApp(htmlPage(dir, script(dir)), { wasm: null });
  });

  test(`esbuild (${format}): the default entry finds the .wasm copied beside the bundle${format === 'iife' ? ' (no import.meta.url: the loading script\'s URL)' : ''}`, async () => {
    const options = esbuildOptions(PACKAGE, format);
    await esbuild.build(options);
    // esbuild does not copy `new URL('./x.wasm', import.meta.url)` assets: README's copy step.
    fs.copyFileSync(path.join(app.installed, WASM), path.join(path.dirname(options.outfile), WASM));
    const dir = path.basename(path.dirname(options.outfile));
    await checkApp(htmlPage(dir, script(dir)), { wasm: `/app/${dir}` });
  });
}

// Segment's analytics.js snippet (5.2.0), as Segment's docs give it: it loads analytics.js
// from cdn.segment.com, which fetches the source's settings and loads the remote plugin.
const SNIPPET = `!function(){var i="analytics",analytics=window[i]=window[i]||[];if(!analytics.initialize)if(analytics.invoked)window.console&&console.error&&console.error("Segment snippet included twice.");else{analytics.invoked=!0;analytics.methods=["trackSubmit","trackClick","trackLink","trackForm","pageview","identify","reset","group","track","ready","alias","debug","page","screen","once","off","on","addSourceMiddleware","addIntegrationMiddleware","setAnonymousId","addDestinationMiddleware","register"];analytics.factory=function(e){return function(){if(window[i].initialized)return window[i][e].apply(window[i],arguments);var n=Array.prototype.slice.call(arguments);if(["track","screen","alias","group","page","identify"].indexOf(e)>-1){var c=document.querySelector("link[rel='canonical']");n.push({__t:"bpc",c:c&&c.getAttribute("href")||void 0,p:location.pathname,u:location.href,s:location.search,t:document.title,r:document.referrer})}n.unshift(e);analytics.push(n);return analytics}};for(var n=0;n<analytics.methods.length;n++){var key=analytics.methods[n];analytics[key]=analytics.factory(key)}analytics.load=function(key,n){var t=document.createElement("script");t.type="text/javascript";t.async=!0;t.setAttribute("data-global-segment-analytics-key",i);t.src="https://cdn.segment.com/analytics.js/v1/" + key + "/analytics.min.js";var r=document.getElementsByTagName("script")[0];r.parentNode.insertBefore(t,r);analytics._loadOptions=n};analytics._writeKey="snippetKey";;analytics.SNIPPET_VERSION="5.2.0";
analytics.load("snippetKey");
}}();`;

test("Segment's snippet: analytics.js (standalone) loads the package's classic build as a remote plugin", async () => {
  const umd = path.join(ROOT, 'node_modules', '@segment', 'analytics-next', 'dist', 'umd');
  const classicUrl = `${env.origin}/npm/${PACKAGE}/classic/intercom-destination.js`;
  const settings = {
    integrations: {},
    metrics: { sampleRate: 0 },
    remotePlugins: [{
      name: 'Intercom Web (Actions)', creationName: 'Intercom Web (Actions)', libraryName: 'intercomDestination',
      url: classicUrl, settings: { appId: APP_ID, widgetUrl: `${env.origin}/widget` },
    }],
  };
  const segmentApi = [];
  const answer = (u) => {
    if (u.hostname === 'cdn.segment.com') {
      if (u.pathname === '/analytics.js/v1/snippetKey/analytics.min.js') return { file: path.join(umd, 'standalone.js') };
      if (u.pathname === '/v1/projects/snippetKey/settings') return { body: JSON.stringify(settings), contentType: 'application/json' };
      const chunk = u.pathname.match(/^\/analytics-next\/bundles\/([\w.-]+\.js)$/);
      if (chunk) return { file: path.join(umd, chunk[1]) };
    }
    // analytics.js's own destination (Segment.io) sends the events to Segment: answered here.
    if (u.hostname === 'api.segment.io') {
      segmentApi.push(u.pathname);
      return { body: '{}', contentType: 'application/json' };
    }
    return undefined;
  };
  const url = htmlPage('snippet', `<script>${SNIPPET}
analytics.identify('u1', { email: 'u1@example.com', name: 'Ada' });
analytics.track('Order Completed', { revenue: 19.99, coupon: 'X' });
analytics.group('g1', { name: 'Acme' });
analytics.ready(() => { window.appDone = window.analytics.queue.plugins.filter((p) => p.type === 'destination' && p.name !== 'Segment.io').map((p) => p.name); });
</script>`);
  const { page, problems, requests } = await openApp(env.browser, url, answer);
  await page.waitForFunction(() => window.appDone && window.__intercomCalls && window.__intercomCalls.length >= 4, null, { timeout: 20000 });
  assert.deepEqual(await page.evaluate(() => window.appDone), ['Intercom Web (Actions)']);
  assert.deepEqual(await page.evaluate(() => window.__intercomCalls.map((c) => [c.method, ...c.args])), EXPECTED_CALLS);
  const paths = requests.map((u) => new URL(u).pathname);
  assert.ok(paths.includes(`/npm/${PACKAGE}/classic/intercom-destination.js`));
  assert.ok(paths.includes(`/npm/${PACKAGE}/classic/${WASM}`), 'the .wasm beside the classic script');
  assert.deepEqual(await page.evaluate(() => ['wasm_bindgen', 'createPlugins', 'makePlugins'].filter((g) => g in window)), [], 'nothing leaks but the factory');
  assert.deepEqual(problems, []);
  await page.close();
});

test('the classic build from a plain <script src> tag, registered with analytics.register', async () => {
  const url = htmlPage('classic-tag', `<script src="${ANALYTICS_NEXT_UMD}"></script>
<script src="/npm/${PACKAGE}/classic/intercom-destination.js"></script>
<script>
(async () => {
  const [analytics] = await window.AnalyticsNext.AnalyticsBrowser.load(
    { writeKey: 'classic', cdnSettings: { integrations: {}, metrics: { sampleRate: 0 }, remotePlugins: [] } },
    { integrations: { 'Segment.io': false } },
  );
  await analytics.register(...(await window.intercomDestination({ appId: '${APP_ID}', widgetUrl: location.origin + '/widget' })));
  await analytics.identify('u1', { email: 'u1@example.com', name: 'Ada' });
  await analytics.track('Order Completed', { revenue: 19.99, coupon: 'X' });
  await analytics.group('g1', { name: 'Acme' });
  window.appDone = analytics.queue.plugins.filter((p) => p.type === 'destination').map((p) => p.name);
})();
</script>`);
  const { page, problems } = await openApp(env.browser, url);
  await page.waitForFunction(() => window.appDone && window.Intercom && window.Intercom.__standIn);
  assert.deepEqual(await page.evaluate(() => window.__intercomCalls.map((c) => [c.method, ...c.args])), EXPECTED_CALLS);
  assert.deepEqual(problems, []);
  await page.close();
});
