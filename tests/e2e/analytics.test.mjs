// End to end with real @segment/analytics-next (its browser build, offline: settings inline,
// 'Segment.io' off, metrics off) and the release package in pkg/, in headless Chromium. The
// widget URL is answered by the recording stand-in (www/stand-in-widget.js, served at /widget/),
// and every test checks the exact Intercom calls and that the page had no error and no
// unhandled promise rejection.
//
// Two ways to add the plugin:
// - "register": `analytics.register(...await intercomDestination(settings))` (README, first way);
// - "remote": `AnalyticsBrowser.load({plugins: [intercomDestination]})` with a remote plugin of
//   the same name in the CDN settings: analytics-next calls the factory with that plugin's
//   settings instead of loading its URL, and wraps each plugin under the destination's name.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { openBrowser, openPage, loadWithIntercom, ANALYTICS_NEXT_UMD } from './harness.mjs';

const NAME = 'Intercom Web (Actions)';
const T0 = '2023-11-14T22:13:20.000Z'; // unix 1700000000: the timestamp of the page views below
const BOOT = { app_id: 'e2e12345', installation_type: 's', api_base: 'https://api-iam.intercom.io' };

/** Page-side helpers, installed as `window.e2e` before the test's own code runs. */
function pageHelpers() {
  const METHODS = ['track', 'identify', 'page', 'group', 'alias'];
  return {
    /** A second destination that records what it receives, as "type event/name". */
    recorder() {
      const events = [];
      const plugin = { name: 'Other destination', type: 'destination', version: '1.0.0', isLoaded: () => true, load: () => Promise.resolve(), events };
      for (const m of METHODS) {
        plugin[m] = (ctx) => {
          events.push(`${ctx.event.type} ${ctx.event.event ?? ctx.event.name ?? ctx.event.groupId ?? ctx.event.userId ?? ''}`.trim());
          return Promise.resolve(ctx);
        };
      }
      return plugin;
    },
    /**
     * Loads analytics-next with our plugin added in `mode` ('register' or 'remote'), plus
     * `plugins`. The remote plugin's URL is never served: the factory must be used instead.
     */
    load: (options) => window.loadWithIntercom(options),
    /** The Intercom calls the stand-in widget recorded, as [method, ...args]. */
    calls: () => (window.__intercomCalls ?? []).map((c) => [c.method, ...c.args]),
    widgetLoaded: () => typeof window.Intercom === 'function' && window.Intercom.__standIn === true,
    destinations: () => window.analytics.queue.plugins.filter((p) => p.type === 'destination').map((p) => p.name),
  };
}

const PAGE = `<!doctype html><meta charset="utf-8"><title>e2e</title><script>/* first script */</script>
<script src="${ANALYTICS_NEXT_UMD}"></script>
<script>window.loadWithIntercom = (${loadWithIntercom});</script>
<script>window.e2e = (${pageHelpers})();</script>`;

let env;
before(async () => { env = await openBrowser(); });
after(async () => { await env?.close(); });

/** Opens the page; `requested()` gives the path of every request so far. */
async function open() {
  const { page, problems, requests } = await openPage(env, PAGE, '/e2e.html');
  return { page, problems, requested: () => requests.map((u) => new URL(u).pathname) };
}

/** Calls after the widget has replaced the stub (events sent before it are queued in the stub). */
async function intercomCalls(page) {
  await page.waitForFunction(() => e2e.widgetLoaded());
  return page.evaluate(() => e2e.calls());
}

const settings = (origin, more = {}) => ({ appId: 'e2e12345', widgetUrl: `${origin}/widget`, ...more });

for (const mode of ['register', 'remote']) {
  test(`${mode}: identify, page, group and track through the presets`, async () => {
    const { page, problems } = await open();
    const destinations = await page.evaluate(async ({ mode, settings, T0 }) => {
      const analytics = await e2e.load({ mode, settings });
      await analytics.identify('u1', { email: 'ada@example.com', name: 'Ada', createdAt: '2021-03-04T05:06:07Z', company: { id: 'c1', name: 'Acme' } });
      await analytics.page('Pricing', { path: '/pricing' }, { timestamp: T0 }); // same user, no new data: a ping
      await analytics.group('g1', { name: 'Acme', plan: 'pro', size: 20 });
      await analytics.track('Order Completed', { revenue: 19.99, currency: 'EUR', coupon: 'SPRING', items: [{ sku: 'a' }] });
      await analytics.alias('u1-new'); // no subscription: nothing
      return e2e.destinations();
    }, { mode, settings: settings(env.origin), T0 });
    assert.deepEqual(await intercomCalls(page), [
      ['boot', BOOT],
      ['update', { user_id: 'u1', email: 'ada@example.com', name: 'Ada', created_at: 1614834367, company: { company_id: 'c1', name: 'Acme' } }],
      ['update', { user_id: 'u1', last_request_at: 1700000000 }],
      ['update', { company: { company_id: 'g1', name: 'Acme', plan: 'pro', size: 20 } }],
      ['trackEvent', 'Order Completed', { price: { amount: 1999, currency: 'EUR' }, coupon: 'SPRING' }],
    ]);
    // One plugin for every action, under the destination's name (remote: in analytics-next's wrapper).
    assert.deepEqual(destinations, [NAME]);
    assert.deepEqual(problems, []);
  });
}

test('remote: the factory gets the remote plugin\'s settings (custom subscriptions as Segment stores them)', async () => {
  const { page, problems, requested } = await open();
  const subscriptions = JSON.stringify([
    {
      partnerAction: 'trackEvent', name: 'Orders', enabled: true,
      subscribe: 'type = "track" and event = "Order Completed"',
      mapping: {
        event_name: { '@template': '{{event}} ({{properties.plan}})' },
        event_metadata: { '@path': '$.properties' },
        revenue: { '@path': '$.properties.total' },
        currency: { '@path': '$.properties.currency' },
      },
    },
    {
      partnerAction: 'identifyUser', name: 'Emails', enabled: true,
      subscribe: 'type = "identify" and contains(traits.email, "@")',
      mapping: { user_id: { '@path': '$.userId' }, email: { '@path': '$.traits.email' }, custom_traits: { '@path': '$.traits.prefs' } },
    },
    { partnerAction: 'identifyCompany', name: 'Off', enabled: false, subscribe: 'type = "group"', mapping: {} },
  ]);
  const destinations = await page.evaluate(async ({ settings }) => {
    const analytics = await e2e.load({ mode: 'remote', settings });
    await analytics.track('Order Completed', { plan: 'pro', total: 42.5, currency: 'EUR', sku: 'A1' });
    await analytics.track('Signed Up', { plan: 'pro' }); // not subscribed
    await analytics.identify('u2', { email: 'u2@example.com', prefs: { theme: 'dark', beta: true } });
    await analytics.identify('u3', { email: 'no-at-sign' }); // trigger does not match
    await analytics.group('g1', { name: 'Acme' }); // disabled subscription
    return e2e.destinations();
  }, { settings: settings(env.origin, { activator: '#help', subscriptions }) });
  assert.deepEqual(await intercomCalls(page), [
    ['boot', { ...BOOT, custom_launcher_selector: '#help' }],
    ['trackEvent', 'Order Completed (pro)', { price: { amount: 4250, currency: 'EUR' }, plan: 'pro', total: 42.5, sku: 'A1' }],
    ['update', { user_id: 'u2', email: 'u2@example.com', theme: 'dark', beta: true, widget: { activator: '#help' } }],
  ]);
  assert.deepEqual(destinations, [NAME]);
  assert.ok(!requested().includes('/not-served/intercom.js'), 'analytics-next used the factory, not the remote URL');
  assert.ok(requested().includes('/widget/e2e12345'));
  assert.deepEqual(problems, []);
});

test('remote: integrations {All: false} and {"Intercom Web (Actions)": false} skip it', async () => {
  const { page, problems } = await open();
  const other = await page.evaluate(async ({ settings }) => {
    const recorder = e2e.recorder();
    const analytics = await e2e.load({ mode: 'remote', settings, plugins: [recorder] });
    await analytics.track('Sent');
    await analytics.track('Skipped by name', {}, { integrations: { 'Intercom Web (Actions)': false } });
    await analytics.track('Skipped by All', {}, { integrations: { All: false } });
    await analytics.identify('u1', { name: 'One' }, { integrations: { All: false, 'Intercom Web (Actions)': true } });
    await analytics.track('Sent again');
    return recorder.events;
  }, { settings: settings(env.origin) });
  assert.deepEqual(await intercomCalls(page), [
    ['boot', BOOT],
    ['trackEvent', 'Sent', {}],
    ['update', { user_id: 'u1', name: 'One' }],
    ['trackEvent', 'Sent again', {}],
  ]);
  assert.deepEqual(other, ['track Sent', 'track Skipped by name', 'track Sent again']);
  assert.deepEqual(problems, []);
});

test('register: integrations {All: false} and {"Intercom Web (Actions)": false} skip it', async () => {
  const { page, problems } = await open();
  await page.evaluate(async ({ settings }) => {
    const analytics = await e2e.load({ mode: 'register', settings });
    await analytics.track('Sent');
    await analytics.track('Skipped by name', {}, { integrations: { 'Intercom Web (Actions)': false } });
    await analytics.track('Skipped by All', {}, { integrations: { All: false } });
  }, { settings: settings(env.origin) });
  assert.deepEqual(await intercomCalls(page), [['boot', BOOT], ['trackEvent', 'Sent', {}]]);
  assert.deepEqual(problems, []);
});

// Known failure (see the report): registered directly, the plugins are named "Intercom Web
// (Actions) trackEvent" etc. and have no `alternativeNames`, so analytics-next does not see that
// integrations["Intercom Web (Actions)"] switches them back on after All: false, and never
// hands them the event.
test('register: integrations {All: false, "Intercom Web (Actions)": true} still sends it', async () => {
  const { page, problems } = await open();
  await page.evaluate(async ({ settings }) => {
    const analytics = await e2e.load({ mode: 'register', settings });
    await analytics.track('Sent', {}, { integrations: { All: false, 'Intercom Web (Actions)': true } });
  }, { settings: settings(env.origin) });
  assert.deepEqual(await intercomCalls(page), [['boot', BOOT], ['trackEvent', 'Sent', {}]]);
  assert.deepEqual(problems, []);
});

test('analytics.reset() ends the Messenger session; a new user without reset switches sessions', async () => {
  const { page, problems } = await open();
  await page.evaluate(async ({ settings }) => {
    const analytics = await e2e.load({ mode: 'remote', settings });
    await analytics.identify('u1', { name: 'One' }, { integrations: { Intercom: { user_hash: 'hash-u1' } } });
    analytics.reset();
    await analytics.identify('u2', { name: 'Two' });
    await analytics.identify('u3', { name: 'Three' });
  }, { settings: settings(env.origin) });
  assert.deepEqual(await intercomCalls(page), [
    ['boot', BOOT],
    ['update', { user_id: 'u1', name: 'One', user_hash: 'hash-u1' }],
    ['shutdown'],
    ['boot', BOOT],
    ['update', { user_id: 'u2', name: 'Two' }],
    ['shutdown'],
    ['boot', { ...BOOT, user_id: 'u3', name: 'Three' }],
  ]);
  assert.deepEqual(problems, []);
});

for (const mode of ['register', 'remote']) {
  test(`${mode}: our widget fails to load (404), the other destination still gets every event`, async () => {
    const { page, problems } = await open();
    const warnings = [];
    page.on('console', (m) => m.type() === 'warning' && warnings.push(m.text()));
    await page.evaluate(async ({ mode, settings }) => {
      window.recorder = e2e.recorder();
      const analytics = await e2e.load({ mode, settings, plugins: [window.recorder] });
      await analytics.identify('u1', { email: 'u1@example.com' });
      await analytics.page('Home');
      await analytics.group('g1', { name: 'Acme' });
      await analytics.track('Order Completed', { revenue: 5 });
    }, { mode, settings: settings(env.origin, { widgetUrl: `${env.origin}/missing-widget` }) });
    // The plugin stays (its load resolved): it drops the events after the failure.
    const message = `Intercom Web (Actions): the Intercom widget could not be loaded from ${env.origin}/missing-widget/e2e12345: the server answered 404`;
    await page.waitForFunction(() => window.Intercom.q.length === 0);
    const result = await page.evaluate(async () => {
      await window.analytics.track('After the failure');
      return { other: window.recorder.events, destinations: e2e.destinations(), recorded: window.__intercomCalls ?? null };
    });
    assert.deepEqual(result.other, ['identify u1', 'page Home', 'group g1', 'track Order Completed', 'track After the failure']);
    assert.equal(result.recorded, null, 'no widget, no Intercom calls');
    assert.deepEqual(result.destinations.sort(), [NAME, 'Other destination']);
    assert.equal(warnings.filter((w) => w.startsWith(message)).length, 1, warnings.join('\n'));
    assert.deepEqual(problems, []);
  });
}
