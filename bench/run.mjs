// Benchmark: this plugin against Segment's Intercom Web (Actions) plugin
// (@segment/browser-destinations@3.98.0, its own CDN build), side by side in one headless
// Chromium run, same settings and preset subscriptions, recording stand-in widget.
//
//   node bench/run.mjs      (after `bash scripts/build.sh`; `bash bench/run.sh` does both)
//
// Prints one table with ratios (ours / Segment's) and writes bench/results/latest.json.
// Measures: the plugin's own path per action (µs/event, median of 7 runs of N events after a
// warm-up, the two plugins alternating), end to end through analytics-next with many events in flight, start-up (factory
// call to loaded, wasm fetch + compile included, widget answered locally; with a minimal wasm
// plugin, bench/floor.mjs, for what the machine itself costs in the same run), bytes (raw and
// gzip -9), and memory after 1,000 vs 100,000 events.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import os from 'node:os';
import { openBrowser } from '../tests/e2e/harness.mjs';
import { writeFloors } from './floor.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const N = Number(process.env.BENCH_N || 20000);
const REPS = Number(process.env.BENCH_REPS || 7);
const E2E_EVENTS = 2000;
const STARTUP_RUNS = Number(process.env.BENCH_STARTUP_RUNS || 31);

// Segment's plugin: its CDN build (what a Segment customer's page downloads) and its presets.
const segmentPkg = path.join(ROOT, 'node_modules/@segment/browser-destinations');
const intercomDir = path.join(segmentPkg, 'dist/web/intercom');
const segmentScript = fs.readdirSync(intercomDir).find((f) => /^[0-9a-f]+\.js$/.test(f));
const segmentUrl = `/node_modules/@segment/browser-destinations/dist/web/intercom/${segmentScript}`;
const manifest = require('@segment/browser-destinations').manifest;
const definition = require(manifest['62d9daff84a6bf190da9f592'].path).destination;
const subscriptions = definition.presets.map((p) => ({ ...p, enabled: true }));

const APP_ID = 'bench123';
// A counting stand-in (bench/widget.js), so that the plugins are measured, not a recorder.
const standIn = fs.readFileSync(path.join(ROOT, 'bench/widget.js'), 'utf8');

function gzipSize(buf) {
  return zlib.gzipSync(buf, { level: 9 }).length;
}
function bytesOf(files) {
  const bufs = files.map((f) => fs.readFileSync(f));
  return {
    files: files.map((f) => path.relative(ROOT, f)),
    raw: bufs.reduce((n, b) => n + b.length, 0),
    gzip: bufs.reduce((n, b) => n + gzipSize(b), 0),
  };
}

/** A page on the local server; Intercom's real widget URL is answered by the stand-in. */
async function newPage(env) {
  const page = await env.browser.newPage();
  const requests = [];
  page.on('pageerror', (e) => console.error('page error:', e.message));
  page.on('request', (r) => requests.push(r.url()));
  // Only what must be answered or blocked goes through Playwright: a routed request costs
  // inter-process work on this 2-core machine while the plugins start.
  const intercepted = (u) => u.hostname !== '127.0.0.1' || u.pathname.startsWith('/widget/')
    || u.pathname === '/bench.html';
  await page.route(intercepted, (route) => {
    const u = new URL(route.request().url());
    if (u.hostname === 'widget.intercom.io' || u.pathname.startsWith('/widget/')) {
      return route.fulfill({ contentType: 'text/javascript', body: standIn });
    }
    if (u.hostname !== '127.0.0.1') return route.abort();
    if (u.pathname === '/bench.html') {
      return route.fulfill({
        contentType: 'text/html',
        body: '<!doctype html><meta charset="utf-8"><script>/* first */</script>'
          + '<script src="/node_modules/@segment/analytics-next/dist/umd/index.js"></script>',
      });
    }
    return route.continue();
  });
  await page.goto(`${env.origin}/bench.html`);
  return { page, requests };
}

// ---- in-page helpers (serialised into the page) ----

/** Loads both plugins; returns nothing, leaves them on window.__bench. */
async function loadBoth({ segmentUrl, appId, subscriptions, widgetUrl }) {
  const settings = {
    appId, subscriptions, widgetUrl,
    // Same work as Segment's plugin: no session rules (they would skip updates).
    ensurePing: false, rememberIdentity: false, updateQuota: false,
    shutdownOnReset: false, shutdownOnUserSwitch: false,
  };
  // Segment's first: its load waits for the widget to replace its stub, and never completes
  // if a widget is already on the page.
  const s = document.createElement('script');
  s.src = segmentUrl;
  await new Promise((res, rej) => { s.onload = res; s.onerror = rej; document.head.appendChild(s); });
  const theirs = await window.intercomDestination({ appId, subscriptions });
  await Promise.all(theirs.map((p) => p.load(undefined, undefined)));
  const { default: intercomDestination } = await import('/pkg/index.js');
  const ours = await intercomDestination(settings);
  await Promise.all(ours.map((p) => p.load(undefined, undefined)));
  // A real analytics-next Context class, so both plugins get what they get in production.
  const [, ctx] = await window.AnalyticsNext.AnalyticsBrowser.load(
    { writeKey: 'bench', cdnSettings: { integrations: {}, metrics: { sampleRate: 0 }, remotePlugins: [] } },
    { integrations: { 'Segment.io': false } },
  );
  window.__bench = { ours, theirs, Context: ctx.constructor, intercomDestination };
}

/** The plugin's own path: µs per event, median of `reps` runs of `n` prepared contexts. */
async function ownPath({ n, reps }) {
  const { ours, theirs, Context } = window.__bench;
  // Segment's plugins are one per action; ours is one plugin that runs every action.
  const byName = (list, action) => list.find((p) => p.name.endsWith(action)) ?? list.find((p) => p.name === 'Intercom Web (Actions)');
  const { events, cases } = await import('/bench/events.mjs');
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const results = [];
  for (const [label, method, action] of cases) {
    const row = { label };
    const make = events[method];
    const sides = [['ours', byName(ours, action)], ['theirs', byName(theirs, action)]];
    for (const [, plugin] of sides) {
      const warm = Array.from({ length: 2000 }, (_, i) => new Context(make(i)));
      for (const ctx of warm) await plugin[method](ctx);
    }
    // Repetitions alternate between the two plugins (and which goes first), so that a slow
    // phase of the machine or of the garbage collector hits both alike.
    const times = { ours: [], theirs: [] };
    for (let r = 0; r < reps; r++) {
      for (const [who, plugin] of r % 2 ? [...sides].reverse() : sides) {
        const ctxs = Array.from({ length: n }, (_, i) => new Context(make(i)));
        const t0 = performance.now();
        for (const ctx of ctxs) await plugin[method](ctx);
        times[who].push(((performance.now() - t0) * 1000) / n);
      }
    }
    row.ours = median(times.ours);
    row.theirs = median(times.theirs);
    results.push(row);
  }
  return results;
}

/** End to end: analytics-next with one destination (or none), many events in flight. */
async function endToEndSetUp({ which, segmentUrl, appId, subscriptions, widgetUrl }) {
  const { AnalyticsBrowser } = window.AnalyticsNext;
  let plugins = [];
  if (which === 'theirs') {
    const s = document.createElement('script');
    s.src = segmentUrl;
    await new Promise((res) => { s.onload = res; document.head.appendChild(s); });
    plugins = await window.intercomDestination({ appId, subscriptions });
  } else if (which === 'ours') {
    const { default: intercomDestination } = await import('/pkg/index.js');
    plugins = await intercomDestination({ appId, subscriptions, widgetUrl, ensurePing: false,
      rememberIdentity: false, updateQuota: false, shutdownOnReset: false, shutdownOnUserSwitch: false });
  }
  const [analytics] = await AnalyticsBrowser.load(
    { writeKey: 'bench', plugins, cdnSettings: { integrations: {}, metrics: { sampleRate: 0 }, remotePlugins: [] } },
    { integrations: { 'Segment.io': false } },
  );
  // Wait until the destinations are loaded (their load waits for the widget).
  const t = Date.now();
  while (plugins.some((p) => !p.isLoaded()) && Date.now() - t < 10000) await new Promise((r) => setTimeout(r, 5));
  window.__e2e = analytics;
}

/** The events of the end-to-end run, many in flight at once. */
async function endToEnd({ events }) {
  const analytics = window.__e2e;
  const t0 = performance.now();
  const pending = [];
  for (let i = 0; i < events; i++) {
    if (i % 4 === 0) pending.push(analytics.identify('u' + (i % 50), { email: `u${i % 50}@example.com`, name: 'User ' + i }));
    else if (i % 4 === 1) pending.push(analytics.track('Order Completed', { revenue: 19.99, currency: 'EUR', order_id: 'o' + i }));
    else if (i % 4 === 2) pending.push(analytics.page('Home', { path: '/' }));
    else pending.push(analytics.group('g' + (i % 20), { name: 'Acme', plan: 'pro' }));
  }
  await Promise.all(pending);
  const ms = performance.now() - t0;
  const counts = window.__intercomCounts || {};
  return { msPer1000: (ms * 1000) / events, intercomCalls: Object.values(counts).reduce((a, b) => a + b, 0) };
}

/**
 * Start-up. `total`: from loading the plugin's entry script to all plugins loaded. `fromFactory`:
 * from the factory call (the entry script already loaded) to all plugins loaded: ours fetches,
 * compiles and instantiates the wasm there; both load the widget. `network` is the time the
 * network was busy in that span (the union of the resources' request-to-response-end intervals,
 * from Resource Timing), so `fromFactory - network` is start-up excluding the network.
 */
async function startUp({ which, segmentUrl, appId, subscriptions, widgetUrl }) {
  const t0 = performance.now();
  let factory;
  if (which === 'ours') {
    factory = (await import('/pkg/index.js')).default;
  } else if (which === 'floor') {
    factory = (await import('/floor/wasm/index.js')).default;
  } else {
    const s = document.createElement('script');
    s.src = segmentUrl;
    await new Promise((res) => { s.onload = res; document.head.appendChild(s); });
    factory = window.intercomDestination;
  }
  const settings = which === 'theirs' ? { appId, subscriptions } : { appId, subscriptions, widgetUrl };
  const tf = performance.now();
  const plugins = await factory(settings);
  await Promise.all(plugins.map((p) => p.load(undefined, undefined)));
  const t1 = performance.now();
  const networkBusy = (from) => {
    const spans = performance.getEntriesByType('resource')
      .filter((e) => e.startTime >= from && e.responseEnd <= t1)
      .map((e) => [e.startTime, e.responseEnd])
      .sort((a, b) => a[0] - b[0]);
    let busy = 0;
    let end = from;
    for (const [a, b] of spans) {
      if (b > end) {
        busy += b - Math.max(a, end);
        end = b;
      }
    }
    return busy;
  };
  return { total: t1 - t0, fromFactory: t1 - tf, network: networkBusy(tf), totalNetwork: networkBusy(t0) };
}

/** Memory after `count` more events through our plugin (wasm linear memory, JS heap after GC). */
async function memoryAfter({ count }) {
  const { ours, Context, intercomDestination } = window.__bench;
  const [plugin] = ours; // one plugin, every action
  // Mixed: identifies of 97 users with new traits, page views, groups, tracks of varied sizes.
  for (let i = 0; i < count; i++) {
    const k = i % 5;
    if (k === 0) await plugin.identify(new Context({ type: 'identify', userId: 'u' + (i % 97), traits: { email: `u${i % 89}@x.example`, name: 'N' + i }, integrations: { Intercom: { user_hash: 'h' + i } } }));
    else if (k === 1) await plugin.page(new Context({ type: 'page', userId: 'u' + (i % 97), properties: { path: '/' + i } }));
    else if (k === 2) await plugin.group(new Context({ type: 'group', groupId: 'g' + (i % 13), traits: { name: 'G' + i, size: i } }));
    else await plugin.track(new Context({ type: 'track', event: 'E' + (i % 31), properties: { i, revenue: i / 100, s: 'x'.repeat(i % 200) } }));
  }
  window.gc?.();
  await new Promise((r) => setTimeout(r, 50));
  window.gc?.();
  return {
    wasmBytes: intercomDestination.wasmMemoryBytes(),
    jsHeapBytes: performance.memory?.usedJSHeapSize ?? null,
  };
}

// ---- main ----

// The start-up floor (bench/floor.mjs): a minimal wasm plugin, for what this machine costs.
const floorDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-floor-'));
writeFloors(floorDir);
const env = await openBrowser({ mounts: [['/floor/', floorDir], ['/bench/', path.join(ROOT, 'bench')]] }, ['--js-flags=--expose-gc', '--enable-precise-memory-info']);
const common = { segmentUrl, appId: APP_ID, subscriptions, widgetUrl: `${env.origin}/widget` };
const result = { date: new Date().toISOString(), n: N, reps: REPS, chromium: env.browser.version() };
// BENCH_ONLY=own or BENCH_ONLY=startup: a development aid that runs one part and prints it.
const only = process.env.BENCH_ONLY;
try {
  // Own path and memory: one page with both plugins.
  if (only !== 'startup') {
    const { page } = await newPage(env);
    await page.evaluate(loadBoth, common);
    result.ownPath = await page.evaluate(ownPath, { n: N, reps: REPS });
    const m1 = await page.evaluate(memoryAfter, { count: 1000 });
    const m2 = await page.evaluate(memoryAfter, { count: 99000 });
    result.memory = { after1000: m1, after100000: m2 };
    await page.close();
  }
  // End to end and start-up: a fresh page per measurement.
  if (only === 'own') {
    for (const r of result.ownPath) console.log(r.label.padEnd(28), r.ours.toFixed(2), r.theirs.toFixed(2), (r.ours / r.theirs).toFixed(2));
    process.exit(0);
  }
  result.endToEnd = {};
  for (const which of only ? [] : ['none', 'ours', 'theirs']) {
    const runs = [];
    for (let r = 0; r < 3; r++) {
      const { page } = await newPage(env);
      await page.evaluate(endToEndSetUp, { ...common, which });
      // Main-thread time, from Chromium's own counters: analytics-next delivers each event
      // through setTimeout, so the wall time is mostly timer waits that hide the plugins.
      const cdp = await page.context().newCDPSession(page);
      await cdp.send('Performance.enable');
      const busy = async () => {
        const { metrics } = await cdp.send('Performance.getMetrics');
        const m = Object.fromEntries(metrics.map((x) => [x.name, x.value]));
        return { task: m.TaskDuration * 1000, script: m.ScriptDuration * 1000 };
      };
      const before = await busy();
      const run = await page.evaluate(endToEnd, { events: E2E_EVENTS });
      const after = await busy();
      run.taskMsPer1000 = ((after.task - before.task) * 1000) / E2E_EVENTS;
      run.scriptMsPer1000 = ((after.script - before.script) * 1000) / E2E_EVENTS;
      runs.push(run);
      await page.close();
    }
    const med = (f) => runs.map(f).sort((a, b) => a - b)[1];
    result.endToEnd[which] = {
      msPer1000: med((r) => r.msPer1000),
      taskMsPer1000: med((r) => r.taskMsPer1000),
      scriptMsPer1000: med((r) => r.scriptMsPer1000),
      intercomCalls: runs[0].intercomCalls,
    };
  }
  result.startUp = {};
  // A fresh page per run; the plugins (and the floor) alternate, so that drift hits all alike.
  const startRuns = { ours: [], theirs: [], floor: [] };
  for (let r = 0; r < STARTUP_RUNS; r++) {
    for (const which of ['ours', 'theirs', 'floor']) {
      const { page, requests } = await newPage(env);
      startRuns[which].push(await page.evaluate(startUp, { ...common, which }));
      if (which === 'theirs' && r === 0) result.segmentRequests = requests.filter((u) => u.includes('browser-destinations'));
      await page.close();
    }
  }
  for (const [which, runs] of Object.entries(startRuns)) {
    // Medians (and quartiles) of each measure over the runs.
    const at = (f, q) => runs.map(f).sort((a, b) => a - b)[Math.floor((runs.length - 1) * q)];
    const med = (f) => at(f, 0.5);
    const withoutNetwork = (r) => r.fromFactory - r.network;
    result.startUp[which] = {
      total: med((r) => r.total),
      fromFactory: med((r) => r.fromFactory),
      withoutNetwork: med(withoutNetwork),
      withoutNetworkQuartiles: [at(withoutNetwork, 0.25), at(withoutNetwork, 0.75)],
      runs,
    };
  }
  if (only === 'startup') {
    console.log(JSON.stringify(result.startUp));
    process.exit(0);
  }
} finally {
  await env.close();
  fs.rmSync(floorDir, { recursive: true, force: true });
}

// Bytes a page downloads for each plugin.
const pkg = (f) => path.join(ROOT, 'pkg', f);
result.bytes = {
  ours: bytesOf([pkg('index.js'), pkg('intercom_web_destination_bg.wasm')]),
  theirs: bytesOf((result.segmentRequests || [segmentUrl]).map((u) => path.join(ROOT, new URL(u, 'http://x').pathname))),
};

// ---- report ----
const ratio = (a, b) => (b ? a / b : NaN);
const f = (x, d = 2) => (typeof x === 'number' ? x.toFixed(d) : String(x));
const rows = [];
for (const r of result.ownPath) rows.push([`own path ${r.label} (µs/event)`, f(r.ours), f(r.theirs), f(ratio(r.ours, r.theirs))]);
const e = result.endToEnd;
const over = (k) => [e.ours[k] - e.none[k], e.theirs[k] - e.none[k]];
rows.push(['end to end, analytics-next, wall (ms/1000 events)', f(e.ours.msPer1000), f(e.theirs.msPer1000), f(ratio(e.ours.msPer1000, e.theirs.msPer1000))]);
rows.push(['  no destination, wall (ms/1000 events)', f(e.none.msPer1000), '', '']);
rows.push(['  main-thread script time (ms/1000 events)', f(e.ours.scriptMsPer1000), f(e.theirs.scriptMsPer1000), f(ratio(e.ours.scriptMsPer1000, e.theirs.scriptMsPer1000))]);
rows.push(['  no destination, script time (ms/1000 events)', f(e.none.scriptMsPer1000), '', '']);
rows.push(['  script time over none (ms/1000 events)', f(over('scriptMsPer1000')[0]), f(over('scriptMsPer1000')[1]), f(ratio(...over('scriptMsPer1000')))]);
const su = result.startUp;
rows.push(['start-up, entry script to loaded (ms)', f(su.ours.total), f(su.theirs.total), f(ratio(su.ours.total, su.theirs.total))]);
rows.push(['start-up, factory call to loaded (ms)', f(su.ours.fromFactory), f(su.theirs.fromFactory), f(ratio(su.ours.fromFactory, su.theirs.fromFactory))]);
rows.push(['  the same excluding the network (ms)', f(su.ours.withoutNetwork), f(su.theirs.withoutNetwork), f(ratio(su.ours.withoutNetwork, su.theirs.withoutNetwork))]);
rows.push(['  the middle half of the runs (ms)', su.ours.withoutNetworkQuartiles.map((x) => f(x, 1)).join('-'), su.theirs.withoutNetworkQuartiles.map((x) => f(x, 1)).join('-'), '']);
rows.push(['  a minimal wasm plugin, the same (ms)', f(su.floor.withoutNetwork), '', '']);
rows.push(['download raw (KB)', f(result.bytes.ours.raw / 1024, 1), f(result.bytes.theirs.raw / 1024, 1), f(ratio(result.bytes.ours.raw, result.bytes.theirs.raw))]);
rows.push(['download gzip -9 (KB)', f(result.bytes.ours.gzip / 1024, 1), f(result.bytes.theirs.gzip / 1024, 1), f(ratio(result.bytes.ours.gzip, result.bytes.theirs.gzip))]);
const mem = result.memory;
rows.push(['wasm memory after 1k / 100k events (KB)', `${f(mem.after1000.wasmBytes / 1024, 0)} / ${f(mem.after100000.wasmBytes / 1024, 0)}`, '', '']);
rows.push(['JS heap after 1k / 100k events (KB)', `${f(mem.after1000.jsHeapBytes / 1024, 0)} / ${f(mem.after100000.jsHeapBytes / 1024, 0)}`, '', '']);
const widths = [48, 14, 14, 12];
const line = (cells) => cells.map((c, i) => (i ? String(c).padStart(widths[i]) : String(c).padEnd(widths[i]))).join('');
console.log(line(['measure', 'ours', "Segment's", 'ours/theirs']));
console.log('-'.repeat(widths.reduce((a, b) => a + b)));
for (const r of rows) console.log(line(r));
result.table = rows;

// The guards (issue "Readable core"): size is a guard, not a target; a change that breaks one
// needs a reason in its commit message.
const own = Object.fromEntries(result.ownPath.map((r) => [r.label, ratio(r.ours, r.theirs)]));
const guards = [
  ['download gzip -9 <= 36,864 bytes', result.bytes.ours.gzip, result.bytes.ours.gzip <= 36864],
  ['own path trackEvent <= 0.8x Segment\'s', f(own.trackEvent), own.trackEvent <= 0.8],
  ...['identifyUser (identify)', 'identifyUser (page)', 'identifyCompany'].map((label) => [`own path ${label} <= 0.3x Segment's`, f(own[label]), own[label] <= 0.3]),
  ['start-up (no network) within 5 ms of the minimal wasm plugin', `${f(su.ours.withoutNetwork - su.floor.withoutNetwork)} ms`, su.ours.withoutNetwork - su.floor.withoutNetwork <= 5],
  ['wasm memory: 100k events within 64 KB of 1k', `${f((mem.after100000.wasmBytes - mem.after1000.wasmBytes) / 1024, 0)} KB`, mem.after100000.wasmBytes - mem.after1000.wasmBytes <= 65536],
];
console.log('\nguards:');
for (const [what, value, ok] of guards) console.log(`  ${ok ? 'ok  ' : 'FAIL'} ${what}: ${value}`);
result.guards = guards.map(([what, value, ok]) => ({ what, value, ok }));
fs.mkdirSync(path.join(ROOT, 'bench/results'), { recursive: true });
fs.writeFileSync(path.join(ROOT, 'bench/results/latest.json'), JSON.stringify(result, null, 2) + '\n');
console.log('\nwritten: bench/results/latest.json');
