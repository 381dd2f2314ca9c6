// Development aid: the plugin's own path per event of package builds side by side, with
// Segment's plugin, in one page, in alternation (as bench/run.mjs measures it: µs per event,
// median of REPS runs of N prepared analytics-next contexts, after a warm-up). Before timing,
// each event goes through every package with a recording window.Intercom, and the calls are
// compared, so that variants that differ in behaviour are not timed as equals.
//
//   node bench/own-ab.mjs DIR [DIR ...]     (BENCH_N=20000 events, BENCH_REPS=7)
//
// Each DIR is a built package (index.js and its .wasm, e.g. a copy of pkg/ from another build).
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { openBrowser, ROOT } from '../tests/e2e/harness.mjs';

const N = Number(process.env.BENCH_N || 20000);
const REPS = Number(process.env.BENCH_REPS || 7);
const require = createRequire(import.meta.url);
const segmentPkg = path.join(ROOT, 'node_modules/@segment/browser-destinations');
const intercomDir = path.join(segmentPkg, 'dist/web/intercom');
const segmentScript = fs.readdirSync(intercomDir).find((f) => /^[0-9a-f]+\.js$/.test(f));
const segmentUrl = `/node_modules/@segment/browser-destinations/dist/web/intercom/${segmentScript}`;
const manifest = require('@segment/browser-destinations').manifest;
const definition = require(manifest['62d9daff84a6bf190da9f592'].path).destination;
const subscriptions = definition.presets.map((p) => ({ ...p, enabled: true }));
const dirs = process.argv.slice(2);
if (dirs.length === 0) {
  console.error('usage: node bench/own-ab.mjs DIR [DIR ...]');
  process.exit(2);
}
const packages = dirs.map((d, i) => ({ name: d, url: `/ab${i}/`, dir: path.resolve(d) }));
const standIn = fs.readFileSync(path.join(ROOT, 'bench/widget.js'), 'utf8');

const env = await openBrowser({ mounts: [['/bench/', path.join(ROOT, 'bench')], ...packages.map((p) => [p.url, p.dir])] }, ['--js-flags=--expose-gc']);
let result;
try {
  const page = await env.browser.newPage();
  page.on('pageerror', (e) => console.error('page error:', e.message));
  page.on('console', (m) => { if (m.type() === 'error') console.error('console:', m.text()); });
  await page.route((u) => u.hostname !== '127.0.0.1' || u.pathname.startsWith('/widget/') || u.pathname === '/ab.html', (route) => {
    const u = new URL(route.request().url());
    if (u.hostname === 'widget.intercom.io' || u.pathname.startsWith('/widget/')) {
      return route.fulfill({ contentType: 'text/javascript', body: standIn });
    }
    if (u.pathname === '/ab.html') {
      return route.fulfill({
        contentType: 'text/html',
        body: '<!doctype html><meta charset="utf-8"><script>/* first */</script>'
          + '<script src="/node_modules/@segment/analytics-next/dist/umd/index.js"></script>',
      });
    }
    return route.abort();
  });
  await page.goto(`${env.origin}/ab.html`);
  result = await page.evaluate(async ({ packages, segmentUrl, subscriptions, widgetUrl, n, reps }) => {
    const appId = 'bench123';
    const settings = { appId, subscriptions, widgetUrl, ensurePing: false, rememberIdentity: false,
      updateQuota: false, shutdownOnReset: false, shutdownOnUserSwitch: false };
    const s = document.createElement('script');
    s.src = segmentUrl;
    await new Promise((res, rej) => { s.onload = res; s.onerror = rej; document.head.appendChild(s); });
    const theirs = await window.intercomDestination({ appId, subscriptions });
    await Promise.all(theirs.map((p) => p.load(undefined, undefined)));
    const sides = [];
    for (const p of packages) {
      const plugins = await (await import(`${p.url}index.js`)).default(settings);
      await Promise.all(plugins.map((x) => x.load(undefined, undefined)));
      sides.push([p.name, plugins]);
    }
    sides.push(["Segment's", theirs]);
    const [, ctx0] = await window.AnalyticsNext.AnalyticsBrowser.load(
      { writeKey: 'bench', cdnSettings: { integrations: {}, metrics: { sampleRate: 0 }, remotePlugins: [] } },
      { integrations: { 'Segment.io': false } },
    );
    const Context = ctx0.constructor;
    const byName = (list, action) => list.find((p) => p.name.endsWith(action)) ?? list.find((p) => p.name === 'Intercom Web (Actions)');
    const { events, cases } = await import('/bench/events.mjs');
    // Same calls from every package (Segment's plugin is not compared: it differs on purpose).
    const real = window.Intercom;
    const mismatches = [];
    for (const [label, method, action] of cases) {
      const seen = [];
      for (const [, list] of sides.slice(0, -1)) {
        const calls = [];
        window.Intercom = (...args) => calls.push(args);
        await byName(list, action)[method](new Context(events[method](7)));
        seen.push(JSON.stringify(calls));
      }
      window.Intercom = real;
      if (new Set(seen).size !== 1) mismatches.push({ label, seen });
    }
    const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    const rows = [];
    for (const [label, method, action] of cases) {
      const plugins = sides.map(([who, list]) => [who, byName(list, action)]);
      for (const [, plugin] of plugins) {
        for (let i = 0; i < 2000; i++) await plugin[method](new Context(events[method](i)));
      }
      const times = Object.fromEntries(plugins.map(([who]) => [who, []]));
      for (let r = 0; r < reps; r++) {
        // Each repetition starts with another plugin, so that drift hits all alike.
        const order = plugins.map((_, i) => plugins[(i + r) % plugins.length]);
        for (const [who, plugin] of order) {
          const ctxs = Array.from({ length: n }, (_, i) => new Context(events[method](i)));
          const t0 = performance.now();
          for (const ctx of ctxs) await plugin[method](ctx);
          times[who].push(((performance.now() - t0) * 1000) / n);
        }
      }
      rows.push({ label, us: Object.fromEntries(Object.entries(times).map(([k, v]) => [k, median(v)])) });
    }
    return { rows, mismatches };
  }, { packages: packages.map(({ name, url }) => ({ name, url })), segmentUrl, subscriptions, widgetUrl: `${env.origin}/widget`, n: N, reps: REPS });
} finally {
  await env.close();
}
const names = [...packages.map((p) => p.name), "Segment's"];
if (result.mismatches.length) console.log('DIFFERENT CALLS:', JSON.stringify(result.mismatches, null, 1));
console.log(`own path, µs per event (median of ${REPS} runs of ${N}); ratios to the first package and to Segment's`);
console.log('action'.padEnd(26), ...names.map((x) => path.basename(x).padStart(14)), ...names.slice(1, -1).map((x) => `${path.basename(x)}/1st`.padStart(16)), ...names.slice(0, -1).map((x) => `${path.basename(x)}/Seg`.padStart(16)));
for (const r of result.rows) {
  const us = names.map((x) => r.us[x]);
  console.log(r.label.padEnd(26), ...us.map((u) => u.toFixed(2).padStart(14)),
    ...us.slice(1, -1).map((u) => (u / us[0]).toFixed(2).padStart(16)),
    ...us.slice(0, -1).map((u) => (u / us[us.length - 1]).toFixed(2).padStart(16)));
}
console.log(JSON.stringify({ date: new Date().toISOString(), n: N, reps: REPS, ...result }));
