// The core flows, as functions that run in the page (each engine's driver serialises them):
// shared by package.test.mjs (Chromium) and engines.test.mjs (Firefox and WebKit), so that
// every engine runs the same steps and is held to the same exact Intercom calls.

export const NAME = 'Intercom Web (Actions)';

/**
 * In the page: the package's factory from `entry` (a module URL), its plugin driven directly
 * through each action; resolves with what the page saw.
 */
export async function packageFlow({ entry, appId }) {
  const { default: intercomDestination } = await import(entry);
  const plugins = await intercomDestination({ appId, widgetUrl: location.origin + '/widget', cspNonce: 'abc123' });
  await Promise.all(plugins.map((p) => p.load({}, {})));
  const ctx = (event) => ({ event, log() {} });
  const [plugin] = plugins;
  await plugin.track(ctx({ type: 'track', event: 'Order Completed', properties: { revenue: 19.99, currency: 'EUR', coupon: 'X' } }));
  await plugin.identify(ctx({ type: 'identify', userId: 'u1', traits: { email: 'u1@example.com', name: 'Ada' } }));
  await plugin.page(ctx({ type: 'page', userId: 'u1', timestamp: '2023-11-14T22:13:20.000Z', properties: {} }));
  await plugin.group(ctx({ type: 'group', groupId: 'g1', traits: { name: 'Acme' } }));
  // `load` resolved at once (the stub queue holds the calls): wait for the widget to take them.
  while (!window.Intercom.__standIn) await new Promise((r) => setTimeout(r, 10));
  const scripts = [...document.scripts].filter((s) => s.src.includes('/widget/'));
  return {
    pluginName: intercomDestination.pluginName,
    names: plugins.map((p) => p.name),
    loaded: plugins.map((p) => p.isLoaded()),
    scripts: scripts.map((s) => ({ src: s.getAttribute('src'), type: s.getAttribute('type'), nonce: s.nonce, async: s.async, first: document.scripts[0] === s })),
    calls: window.__intercomCalls.map((c) => [c.method, ...c.args]),
    wasmRequests: performance.getEntriesByType('resource').map((e) => new URL(e.name).pathname).filter((p) => p.endsWith('.wasm')),
  };
}

/** What packageFlow resolves with, on a page at `origin`. */
export function packageFlowResult({ origin, appId, wasm }) {
  return {
    pluginName: NAME,
    names: [NAME],
    loaded: [true],
    scripts: [{ src: `${origin}/widget/${appId}`, type: 'text/javascript', nonce: 'abc123', async: true, first: true }],
    calls: [
      ['boot', { app_id: appId, installation_type: 's', api_base: 'https://api-iam.intercom.io' }],
      ['trackEvent', 'Order Completed', { price: { amount: 1999, currency: 'EUR' }, coupon: 'X' }],
      ['update', { user_id: 'u1', email: 'u1@example.com', name: 'Ada' }],
      ['update', { user_id: 'u1', last_request_at: 1700000000 }],
      ['update', { company: { company_id: 'g1', name: 'Acme' } }],
    ],
    wasmRequests: wasm,
  };
}

/**
 * In the page (with analytics-next's browser build loaded): analytics-next with the factory
 * from `entry` passed in `plugins` (matched to the remote plugin of the same name, as Segment's
 * CDN settings name it), events sent without awaiting them as sites do, a reset, more events;
 * resolves with the Intercom calls once the widget has the last one.
 */
export async function analyticsFlow({ entry, appId }) {
  const { default: intercomDestination } = await import(entry);
  const name = intercomDestination.pluginName;
  const settings = { appId, widgetUrl: location.origin + '/widget' };
  const [analytics] = await window.AnalyticsNext.AnalyticsBrowser.load(
    {
      writeKey: 'engines',
      cdnSettings: {
        integrations: {},
        metrics: { sampleRate: 0 },
        remotePlugins: [{ name, creationName: name, libraryName: 'intercomDestination', url: `${location.origin}/not-served/intercom.js`, settings }],
      },
      plugins: [intercomDestination],
    },
    { integrations: { 'Segment.io': false } },
  );
  analytics.identify('u1', { email: 'u1@example.com', name: 'Ada', createdAt: '2021-03-04T05:06:07Z' });
  analytics.track('Order Completed', { revenue: 19.99, coupon: 'X' });
  analytics.group('g1', { name: 'Acme', size: '20' });
  await analytics.page('Pricing', {}, { timestamp: '2023-11-14T22:13:20.000Z' });
  await analytics.reset();
  await analytics.track('Viewed Docs', { section: 'api' });
  const calls = () => (window.__intercomCalls ?? []).map((c) => [c.method, ...c.args]);
  while (calls().length < 8) await new Promise((r) => setTimeout(r, 10));
  return {
    destinations: analytics.queue.plugins.filter((p) => p.type === 'destination').map((p) => p.name),
    calls: calls(),
  };
}

/** What analyticsFlow resolves with. */
export function analyticsFlowResult({ appId }) {
  const boot = { app_id: appId, installation_type: 's', api_base: 'https://api-iam.intercom.io' };
  return {
    destinations: [NAME],
    calls: [
      ['boot', boot],
      ['update', { user_id: 'u1', email: 'u1@example.com', name: 'Ada', created_at: 1614834367 }],
      ['trackEvent', 'Order Completed', { price: { amount: 1999, currency: 'USD' }, coupon: 'X' }],
      ['update', { company: { company_id: 'g1', name: 'Acme', size: 20 } }],
      ['update', { user_id: 'u1', last_request_at: 1700000000 }],
      ['shutdown'],
      ['boot', boot],
      ['trackEvent', 'Viewed Docs', { section: 'api' }],
    ],
  };
}
