// Smoke test of the release package in pkg/ (what npm users get): imported from a plain
// <script type="module"> page, it loads the stand-in widget and turns calls into Intercom calls.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { openBrowser, openPage } from './harness.mjs';

let env;
before(async () => { env = await openBrowser(); });
after(async () => { await env?.close(); });

const PAGE = '<!doctype html><meta charset="utf-8"><title>package smoke test</title><script>/* first script */</script>';

test('the release package loads the widget and sends each action', async () => {
  const { page, problems } = await openPage(env, PAGE);
  const result = await page.evaluate(async () => {
    const { default: intercomDestination } = await import('/pkg/index.js');
    const plugins = await intercomDestination({ appId: 'smoke123', widgetUrl: location.origin + '/widget', cspNonce: 'abc123' });
    await Promise.all(plugins.map((p) => p.load({}, {})));
    const ctx = (event) => ({ event, log() {} });
    const [plugin] = plugins;
    const [track, identify, group] = [plugin, plugin, plugin];
    await track.track(ctx({ type: 'track', event: 'Order Completed', properties: { revenue: 19.99, currency: 'EUR', coupon: 'X' } }));
    await identify.identify(ctx({ type: 'identify', userId: 'u1', traits: { email: 'u1@example.com', name: 'Ada' } }));
    await identify.page(ctx({ type: 'page', userId: 'u1', timestamp: '2023-11-14T22:13:20.000Z', properties: {} }));
    await group.group(ctx({ type: 'group', groupId: 'g1', traits: { name: 'Acme' } }));
    // `load` resolved at once (the stub queue holds the calls): wait for the widget to take them.
    while (!window.Intercom.__standIn) await new Promise((r) => setTimeout(r, 10));
    const scripts = [...document.scripts].filter((s) => s.src.includes('/widget/'));
    return {
      pluginName: intercomDestination.pluginName,
      names: plugins.map((p) => p.name),
      loaded: plugins.map((p) => p.isLoaded()),
      scripts: scripts.map((s) => ({ src: s.getAttribute('src'), type: s.getAttribute('type'), nonce: s.nonce, async: s.async, first: document.scripts[0] === s })),
      calls: window.__intercomCalls.map((c) => [c.method, ...c.args]),
    };
  });
  const origin = env.origin;
  assert.equal(result.pluginName, 'Intercom Web (Actions)');
  assert.deepEqual(result.names, ['Intercom Web (Actions)']);
  assert.deepEqual(result.loaded, [true]);
  assert.deepEqual(result.scripts, [{ src: `${origin}/widget/smoke123`, type: 'text/javascript', nonce: 'abc123', async: true, first: true }]);
  assert.deepEqual(result.calls, [
    ['boot', { app_id: 'smoke123', installation_type: 's', api_base: 'https://api-iam.intercom.io' }],
    ['trackEvent', 'Order Completed', { price: { amount: 1999, currency: 'EUR' }, coupon: 'X' }],
    ['update', { user_id: 'u1', email: 'u1@example.com', name: 'Ada' }],
    ['update', { user_id: 'u1', last_request_at: 1700000000 }],
    ['update', { company: { company_id: 'g1', name: 'Acme' } }],
  ]);
  assert.deepEqual(problems, []);
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
