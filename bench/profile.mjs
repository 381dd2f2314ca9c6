// Development aid: CPU profile of our plugin's own path (one action), self time by function.
//   node bench/profile.mjs [track|identify|page|group] [N]
import fs from 'node:fs';
import path from 'node:path';
import { openBrowser, ROOT } from '../tests/e2e/harness.mjs';

const which = process.argv[2] || 'track';
const N = Number(process.argv[3] || 20000);
const env = await openBrowser({ mounts: [['/bench/', path.join(ROOT, 'bench')]] });
const page = await env.browser.newPage();
await page.route('**/widget/**', (r) => r.fulfill({ contentType: 'text/javascript', body: fs.readFileSync(path.join(ROOT, 'bench/widget.js'), 'utf8') }));
await page.goto(`${env.origin}/www/index.html`).catch(() => {});
await page.setContent('<!doctype html><script src="/node_modules/@segment/analytics-next/dist/umd/index.js"></script>');
await page.goto(`${env.origin}/bench-blank`).catch(() => {});
await page.addScriptTag({ url: '/node_modules/@segment/analytics-next/dist/umd/index.js' });
await page.evaluate(async ({ widgetUrl }) => {
  const { default: d } = await import('/pkg/index.js');
  const plugins = await d({ appId: 'bench123', widgetUrl, ensurePing: false, rememberIdentity: false, updateQuota: false, shutdownOnReset: false, shutdownOnUserSwitch: false });
  await Promise.all(plugins.map((p) => p.load(undefined, undefined)));
  const [, ctx] = await window.AnalyticsNext.AnalyticsBrowser.load(
    { writeKey: 'bench', cdnSettings: { integrations: {}, metrics: { sampleRate: 0 }, remotePlugins: [] } },
    { integrations: { 'Segment.io': false } });
  window.__p = { plugins, Context: ctx.constructor };
}, { widgetUrl: `${env.origin}/widget` });
const run = (n) => page.evaluate(async ({ which, n }) => {
  const { plugins, Context } = window.__p;
  const ev = (await import('/bench/events.mjs')).events[which];
  const action = { track: 'trackEvent', identify: 'identifyUser', page: 'identifyUser', group: 'identifyCompany' }[which];
  const p = plugins.find((x) => x.name.endsWith(action)) ?? plugins[0]; // ours: one plugin, every action
  const ctxs = Array.from({ length: n }, (_, i) => new Context(ev(i)));
  const t0 = performance.now();
  for (const c of ctxs) await p[which](c);
  return ((performance.now() - t0) * 1000) / n;
}, { which, n });
await run(3000);
const cdp = await page.context().newCDPSession(page);
await cdp.send('Profiler.enable');
await cdp.send('Profiler.setSamplingInterval', { interval: 50 });
await cdp.send('Profiler.start');
const us = await run(N);
const { profile } = await cdp.send('Profiler.stop');
const self = new Map();
const dt = profile.timeDeltas; const ids = profile.samples;
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
let total = 0;
for (let i = 0; i < ids.length; i++) {
  const n = byId.get(ids[i]); const f = n.callFrame;
  const k = `${f.functionName || "(anon)"} ${f.url.split("/").pop()}:${f.lineNumber}:${f.columnNumber}`;
  self.set(k, (self.get(k) || 0) + dt[i]); total += dt[i];
}
console.log(`${which}: ${us.toFixed(2)} us/event`);
for (const [k, v] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 40)) console.log((100 * v / total).toFixed(1).padStart(5) + '%  ' + k);
await env.close();
