// Development aid: start-up of package builds side by side, with two floors, in alternation
// (start-up varies a lot between runs on a busy machine; alternating makes drift hit every
// variant alike). Measured as in bench/run.mjs: from the factory call to all plugins loaded,
// excluding the time the network was busy, split into the factory call ("create") and `load`.
//
//   node bench/startup-ab.mjs [DIR ...]      (default: pkg; RUNS=25 runs each)
//
// PRESETS=1 passes Segment's preset subscriptions in the settings, as bench/run.mjs does (and
// as Segment's settings do); by default the packages' own presets apply.
//
// Each DIR is a built package (index.js and its .wasm, e.g. a copy of pkg/ from another build).
// The floors (bench/floor.mjs): "floor:js" loads the same widget the way the snippet does, in
// plain JavaScript; "floor:wasm" does that after fetching and compiling a minimal wasm module.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openBrowser, ROOT } from '../tests/e2e/harness.mjs';
import { createRequire } from 'node:module';
import { writeFloors } from './floor.mjs';

const RUNS = Number(process.env.RUNS || 25);
let subscriptions;
if (process.env.PRESETS === '1') {
  const require = createRequire(import.meta.url);
  const manifest = require('@segment/browser-destinations').manifest;
  const definition = require(manifest['62d9daff84a6bf190da9f592'].path).destination;
  subscriptions = definition.presets.map((p) => ({ ...p, enabled: true }));
}
const dirs = process.argv.slice(2);
const packages = (dirs.length ? dirs : ['pkg']).map((d, i) => ({ name: d, url: `/ab${i}/`, dir: path.resolve(d) }));

// The floors (bench/floor.mjs), written to a temporary folder.
const floorDir = fs.mkdtempSync(path.join(os.tmpdir(), 'startup-floor-'));
writeFloors(floorDir);
const variants = [
  { name: 'floor:js', url: '/floor/js/' },
  { name: 'floor:wasm', url: '/floor/wasm/' },
  ...packages,
];

const env = await openBrowser({ mounts: [['/floor/', floorDir], ...packages.map((p) => [p.url, p.dir])] });
const standIn = fs.readFileSync(path.join(ROOT, 'bench/widget.js'), 'utf8');
const results = new Map(variants.map((v) => [v.name, []]));
try {
  for (let r = 0; r < RUNS; r++) {
    for (const v of variants) {
      const page = await env.browser.newPage();
      await page.route((u) => u.pathname.startsWith('/widget/') || u.pathname === '/ab.html', (route) => {
        if (new URL(route.request().url()).pathname === '/ab.html') {
          return route.fulfill({
            contentType: 'text/html',
            body: '<!doctype html><meta charset="utf-8"><script>/* first */</script>'
              + '<script src="/node_modules/@segment/analytics-next/dist/umd/index.js"></script>',
          });
        }
        return route.fulfill({ contentType: 'text/javascript', body: standIn });
      });
      await page.goto(`${env.origin}/ab.html`);
      results.get(v.name).push(await page.evaluate(async ({ url, widgetUrl, subscriptions }) => {
        const factory = (await import(`${url}index.js`)).default;
        const t0 = performance.now();
        const plugins = await factory({ appId: 'bench123', widgetUrl, subscriptions });
        const t1 = performance.now();
        await Promise.all(plugins.map((p) => p.load(undefined, undefined)));
        const t2 = performance.now();
        const busy = (from, to) => {
          const spans = performance.getEntriesByType('resource')
            .filter((e) => e.startTime >= from && e.responseEnd <= to)
            .map((e) => [e.startTime, e.responseEnd])
            .sort((a, b) => a[0] - b[0]);
          let total = 0;
          let end = from;
          for (const [a, b] of spans) {
            if (b > end) {
              total += b - Math.max(a, end);
              end = b;
            }
          }
          return total;
        };
        return { create: t1 - t0 - busy(t0, t1), load: t2 - t1 - busy(t1, t2), total: t2 - t0 - busy(t0, t2) };
      }, { url: v.url, widgetUrl: `${env.origin}/widget`, subscriptions }));
      await page.close();
    }
  }
} finally {
  await env.close();
  fs.rmSync(floorDir, { recursive: true, force: true });
}
const median = (xs) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)];
console.log(`start-up excluding the network, median of ${RUNS} runs each (ms)`);
console.log('variant'.padEnd(28), 'create'.padStart(8), 'load'.padStart(8), 'total'.padStart(8));
for (const [name, runs] of results) {
  const cells = ['create', 'load', 'total'].map((k) => median(runs.map((x) => x[k])).toFixed(1).padStart(8));
  console.log(name.padEnd(28), ...cells);
}
