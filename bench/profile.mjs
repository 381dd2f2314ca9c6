// Development aid: CPU profile of our plugin's own path (one action), self time by function.
//   node bench/profile.mjs [track|identify|page|group] [N]
import fs from 'node:fs';
import path from 'node:path';
import { openBrowser, ROOT } from '../tests/e2e/harness.mjs';

const which = process.argv[2] || 'track';
const N = Number(process.argv[3] || 20000);
const env = await openBrowser();
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
  const ev = {
    track: (i) => ({ type: 'track', event: 'Order Completed', userId: 'u1', anonymousId: 'a1', messageId: 'm' + i, timestamp: '2023-11-14T22:13:20.000Z', properties: { revenue: 19.99, currency: 'EUR', order_id: 'o' + i, coupon: 'X', items: 3, total: 25.5 }, context: { page: { path: '/checkout', url: 'https://shop.example/checkout' } }, integrations: {} }),
    identify: (i) => ({ type: 'identify', userId: 'u' + (i % 50), anonymousId: 'a1', messageId: 'm' + i, timestamp: '2023-11-14T22:13:20.000Z', traits: { email: 'user' + (i % 50) + '@example.com', name: 'User ' + i, phone: '+1 555 0100', createdAt: '2021-03-04T05:06:07Z', avatar: 'https://img.example/a.png', company: { id: 'c' + (i % 7), name: 'Company', plan: 'pro', size: 12, created_at: 1614834367 } }, context: { page: { path: '/' } }, integrations: { Intercom: { user_hash: 'h' + (i % 50) } } }),
    page: (i) => ({ type: 'page', userId: 'u1', anonymousId: 'a1', messageId: 'm' + i, name: 'Home', timestamp: '2023-11-14T22:13:20.000Z', properties: { path: '/', url: 'https://shop.example/', title: 'Home' }, context: { page: { path: '/' } }, integrations: {} }),
    group: (i) => ({ type: 'group', groupId: 'g' + (i % 20), userId: 'u1', anonymousId: 'a1', messageId: 'm' + i, timestamp: '2023-11-14T22:13:20.000Z', traits: { name: 'Acme', plan: 'enterprise', size: 250, website: 'https://acme.example', industry: 'Anvils', monthly_spend: 1000, createdAt: '2021-03-04T05:06:07Z' }, integrations: {} }),
  }[which];
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
