// Factory warnings are never silent (issue 20): a subscription left out, and settings that give
// no plugin, are printed on the console while the factory runs, before it resolves, in each way
// a site loads the plugin into real @segment/analytics-next (the site's calls not awaited):
// - "register": `intercomDestination(settings).then((p) => analytics.register(...p))`;
// - "remote": `AnalyticsBrowser.load({plugins: [intercomDestination]})` with the remote plugin in
//   `cdnSettings.remotePlugins` (analytics-next calls the factory with its settings);
// - "classic": the remote plugin's `url` is the package's classic build, which analytics-next
//   loads itself and whose `window.intercomDestination` it calls.
// Each test fails on any page error or unhandled rejection (tests/e2e/harness.mjs).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { openBrowser, openPage, ANALYTICS_NEXT_UMD } from './harness.mjs';

const NAME = 'Intercom Web (Actions)';
const MODES = ['register', 'remote', 'classic'];

/**
 * Runs in the page before its scripts: `window.factoryLog` records, in order, when the factory
 * is called and resolves, and every console warning and error, so that a test can tell that a
 * message came while the factory ran. The classic build's factory is wrapped as it is set.
 */
function recordFactoryTime() {
  const log = (window.factoryLog = []);
  for (const level of ['warn', 'error']) {
    const original = console[level];
    console[level] = function (...args) {
      log.push(`${level}: ${String(args[0])}`);
      return original.apply(this, args);
    };
  }
  window.wrapFactory = (factory) => {
    const wrapped = async (settings) => {
      log.push('factory called');
      const plugins = await factory(settings);
      log.push(`factory resolved with ${plugins.length} plugin(s)`);
      return plugins;
    };
    wrapped.pluginName = factory.pluginName;
    return wrapped;
  };
  let classic;
  Object.defineProperty(window, 'intercomDestination', {
    configurable: true,
    get: () => classic,
    set: (factory) => { classic = window.wrapFactory(factory); },
  });
}

/**
 * Runs in the page: analytics-next with our plugin added in `mode` and a recording destination;
 * nothing awaited, as sites write it. Resolves when the recorder has the three events and our
 * plugin is registered (or the factory has resolved without one).
 */
async function loadUnawaited({ mode, settings }) {
  const recorded = (window.recorded = []);
  const recorder = { name: 'Other destination', type: 'destination', version: '1.0.0', isLoaded: () => true, load: () => Promise.resolve() };
  for (const m of ['track', 'identify', 'page', 'group', 'alias']) {
    recorder[m] = (ctx) => {
      recorded.push(`${ctx.event.type} ${ctx.event.event ?? ctx.event.userId ?? ''}`.trim());
      return Promise.resolve(ctx);
    };
  }
  const plugins = [recorder];
  let factory;
  if (mode !== 'classic') {
    const { default: intercomDestination } = await import('/pkg/index.js');
    factory = window.wrapFactory(intercomDestination);
    if (mode === 'remote') plugins.push(factory);
  }
  const remotePlugins = mode === 'register' ? [] : [{
    name: 'Intercom Web (Actions)', creationName: 'Intercom Web (Actions)', libraryName: 'intercomDestination',
    url: mode === 'classic' ? `${location.origin}/pkg/classic/intercom-destination.js` : `${location.origin}/not-served/intercom.js`,
    settings,
  }];
  const analytics = window.AnalyticsNext.AnalyticsBrowser.load(
    { writeKey: 'warnings', cdnSettings: { integrations: {}, metrics: { sampleRate: 0 }, remotePlugins }, plugins },
    { integrations: { 'Segment.io': false } },
  );
  const registered = mode === 'register' ? factory(settings).then((p) => analytics.register(...p)) : undefined;
  analytics.identify('u1', { name: 'Ada' });
  analytics.track('First');
  analytics.track('Second');
  const [instance] = await analytics;
  await registered;
  while (recorded.length < 3) await new Promise((r) => setTimeout(r, 10));
  return instance.queue.plugins.filter((p) => p.type === 'destination').map((p) => p.name).sort();
}

const PAGE = `<!doctype html><meta charset="utf-8"><title>factory warnings</title><script>/* first script */</script>
<script src="${ANALYTICS_NEXT_UMD}"></script>
<script>window.loadUnawaited = (${loadUnawaited});</script>`;

let env;
before(async () => { env = await openBrowser(); });
after(async () => { await env?.close(); });

async function run(mode, settings) {
  const { page, problems } = await openPage(env, PAGE, `/factory-warnings-${mode}.html`, { initScript: recordFactoryTime });
  const destinations = await page.evaluate((options) => window.loadUnawaited(options), { mode, settings });
  const log = await page.evaluate(() => window.factoryLog);
  await page.close();
  return { destinations, problems, log };
}

/** The part of the log between the factory's call and its result (that result included). */
function whileTheFactoryRan(log) {
  const from = log.indexOf('factory called');
  const to = log.findIndex((l) => l.startsWith('factory resolved'));
  assert.ok(from >= 0 && to > from, log.join('\n'));
  return log.slice(from + 1, to + 1);
}

const SUBSCRIPTIONS = [
  // Segment's lexer rejects `<=` without spaces around it: that subscription never runs there.
  { partnerAction: 'trackEvent', name: 'Small', enabled: true, subscribe: 'event<=0', mapping: { event_name: { '@path': '$.event' } } },
  { partnerAction: 'trackEvents', name: 'Misspelled', enabled: true, subscribe: 'type = "track"', mapping: {} },
  { partnerAction: 'trackEvent', name: 'Tracks', enabled: true, subscribe: 'type = "track"', mapping: { event_name: { '@path': '$.event' } } },
];

for (const mode of MODES) {
  test(`${mode}: each subscription left out is one console warning while the factory runs; the plugin runs the others`, async () => {
    const { destinations, problems, log } = await run(mode, { appId: 'warn1234', widgetUrl: `${env.origin}/widget`, subscriptions: SUBSCRIPTIONS });
    assert.deepEqual(destinations, [NAME, 'Other destination']);
    const during = whileTheFactoryRan(log);
    const mine = during.filter((l) => l.includes(NAME));
    assert.equal(mine.length, 2, during.join('\n'));
    assert.match(mine[0], /^warn: Intercom Web \(Actions\): subscriptions\[0\]: subscribe: .*; subscription ignored$/);
    assert.equal(mine[1], 'warn: Intercom Web (Actions): subscriptions[1]: partnerAction: unknown action "trackEvents" (expected trackEvent, identifyUser or identifyCompany); subscription ignored');
    assert.equal(during.at(-1), 'factory resolved with 1 plugin(s)');
    // Printed once: nothing about them later (on load or per event).
    assert.deepEqual(log.filter((l) => l.includes('subscriptions[')), mine);
    assert.deepEqual(problems, []);
  });

  test(`${mode}: settings that give no plugin are one console error while the factory runs; the site goes on`, async () => {
    const { destinations, problems, log } = await run(mode, { appId: 'not an id!', widgetUrl: `${env.origin}/widget` });
    assert.deepEqual(destinations, ['Other destination']);
    const during = whileTheFactoryRan(log);
    assert.deepEqual(during.slice(0, -1).filter((l) => l.includes(NAME)).map((l) => l.split(':')[0]), ['error']);
    assert.match(during[0], /^error: Intercom Web \(Actions\): appId/);
    assert.equal(during.at(-1), 'factory resolved with 0 plugin(s)');
    assert.equal(log.filter((l) => l.includes(NAME)).length, 1, log.join('\n'));
    // That error is the only problem: no page error, no unhandled rejection.
    assert.deepEqual(problems.filter((p) => !p.includes(`${NAME}: appId`)), []);
    assert.equal(problems.length, 1, problems.join('\n'));
  });
}
