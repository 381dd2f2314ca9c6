// Messenger events back into analytics.js (setting `messengerEvents`, issue 19): what the visitor
// does in the Messenger (open, close, unread count, email given) becomes an analytics.js `track`
// event that every other destination receives exactly once and Intercom never does, across
// logout and user switch, in both loading paths, through real analytics-next. The stand-in
// widget (www/stand-in-widget.js) keeps one handler per callback, forgets them at shutdown, and
// runs onHide when a shutdown closes an open Messenger.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { openBrowser, openPage, loadWithIntercom, ANALYTICS_NEXT_UMD } from './harness.mjs';

const PAGE = `<!doctype html><meta charset="utf-8"><title>messenger events</title><script>/* first script */</script>
<script src="${ANALYTICS_NEXT_UMD}"></script>
<script>window.loadWithIntercom = (${loadWithIntercom});</script>`;

let env;
before(async () => { env = await openBrowser(); });
after(async () => { await env?.close(); });

const settings = (more = {}) => ({ appId: 'msgr1234', widgetUrl: `${env.origin}/widget`, ...more });

/** Runs in the page: a destination that records "type name {properties}" of every event. */
function recorder() {
  const events = [];
  const plugin = { name: 'Other destination', type: 'destination', version: '1.0.0', isLoaded: () => true, load: () => Promise.resolve(), events };
  for (const m of ['track', 'identify', 'page', 'group', 'alias']) {
    plugin[m] = (ctx) => {
      const e = ctx.event;
      events.push(`${e.type} ${e.event ?? e.userId ?? ''} ${JSON.stringify(e.properties ?? {})}`);
      return Promise.resolve(ctx);
    };
  }
  return plugin;
}

async function open() {
  const opened = await openPage(env, PAGE, '/messenger.html');
  const warnings = [];
  opened.page.on('console', (m) => m.type() === 'warning' && warnings.push(m.text()));
  return { ...opened, warnings };
}

for (const mode of ['remote', 'register']) {
  test(`${mode}: open, close, unread and email reach the other destination once each, never Intercom, across logout and user switch`, async () => {
    const { page, problems, warnings } = await open();
    const result = await page.evaluate(async ({ mode, settings, recorderSource }) => {
      const other = (0, eval)(`(${recorderSource})`)();
      const analytics = await window.loadWithIntercom({ mode, settings, plugins: [other] });
      while (!window.Intercom?.__standIn) await new Promise((r) => setTimeout(r, 10));
      const m = window.__intercomStandIn;
      const settle = () => new Promise((r) => setTimeout(r, 150));
      await analytics.identify('u1', { name: 'Ada' });
      m.open();
      m.close();
      m.setUnreadCount(2);
      m.supplyEmail('ada@example.com');
      await settle();
      m.open(); // open when another user is identified: our own shutdown closes it
      await analytics.identify('u2', { name: 'Bob' }); // a user switch: shutdown, boot as u2
      await settle();
      const afterSwitch = window.__intercomCalls.filter((c) => c.method.startsWith('on')).length;
      m.open();
      m.close();
      m.setUnreadCount(1);
      m.open(); // open when the user logs out
      analytics.reset();
      await settle();
      m.setUnreadCount(4);
      await settle();
      return {
        events: other.events.filter((e) => e.startsWith('track')),
        intercom: window.__intercomCalls.map((c) => c.method),
        trackEvents: window.__intercomCalls.filter((c) => c.method === 'trackEvent'),
        registrationsAfterSwitch: afterSwitch,
        handlers: m.handlers(),
      };
    }, { mode, settings: settings({ messengerEvents: true }), recorderSource: recorder.toString() });
    assert.deepEqual(result.events, [
      'track Intercom Messenger Opened {}',
      'track Intercom Messenger Closed {}',
      'track Intercom Unread Count Changed {"unread_count":2}',
      'track Intercom Email Supplied {}',
      'track Intercom Messenger Opened {}',
      // (no "Closed" for the close that our own shutdown caused at the user switch)
      'track Intercom Messenger Opened {}',
      'track Intercom Messenger Closed {}',
      'track Intercom Unread Count Changed {"unread_count":1}',
      'track Intercom Messenger Opened {}',
      // (nor at the logout)
      'track Intercom Unread Count Changed {"unread_count":4}',
    ]);
    assert.deepEqual(result.trackEvents, [], 'Intercom never gets them back');
    // registered at load, again after each boot: once per session
    assert.equal(result.registrationsAfterSwitch, 8);
    assert.deepEqual(result.intercom.filter((c) => c === 'onShow').length, 3);
    assert.deepEqual(result.handlers, ['onHide', 'onShow', 'onUnreadCountChange', 'onUserEmailSupplied']);
    assert.deepEqual(warnings.filter((w) => w.includes('messengerEvents')), []);
    assert.deepEqual(problems, []);
  });
}

test('register: names per callback, false for none, and a custom subscription on every track never loops back', async () => {
  const { page, problems } = await open();
  const subscriptions = [{ partnerAction: 'trackEvent', name: 'All tracks', enabled: true, subscribe: 'type = "track"', mapping: { event_name: { '@path': '$.event' } } }];
  const result = await page.evaluate(async ({ settings, recorderSource }) => {
    const other = (0, eval)(`(${recorderSource})`)();
    await window.loadWithIntercom({ mode: 'register', settings, plugins: [other] });
    while (!window.Intercom?.__standIn) await new Promise((r) => setTimeout(r, 10));
    window.__intercomStandIn.open();
    window.__intercomStandIn.close();
    window.__intercomStandIn.setUnreadCount(3);
    await new Promise((r) => setTimeout(r, 150));
    return { events: other.events, intercom: window.__intercomCalls.map((c) => [c.method, ...c.args]) };
  }, {
    settings: settings({ subscriptions, messengerEvents: { opened: 'Live Chat Opened', closed: false } }),
    recorderSource: recorder.toString(),
  });
  assert.deepEqual(result.events, ['track Live Chat Opened {}', 'track Intercom Unread Count Changed {"unread_count":3}']);
  assert.ok(!result.intercom.some((c) => c[0] === 'trackEvent'), JSON.stringify(result.intercom));
  assert.ok(!result.intercom.some((c) => c[0] === 'onHide'), 'no callback registered for an event set to false');
  assert.deepEqual(problems, []);
});

test('a plugin loaded without analytics.js, and an analytics.js whose track rejects: one warning each, never a throw', async () => {
  const { page, problems, warnings } = await open();
  await page.evaluate(async ({ settings }) => {
    const { default: intercomDestination } = await import('/pkg/index.js');
    const [plugin] = await intercomDestination(settings);
    await plugin.load({}, undefined); // no analytics instance
    while (!window.Intercom?.__standIn) await new Promise((r) => setTimeout(r, 10));
    window.__intercomStandIn.open();
    window.__intercomStandIn.close();
  }, { settings: settings({ messengerEvents: true }) });
  assert.equal(warnings.filter((w) => w.includes('messengerEvents') && w.includes('without an analytics.js instance')).length, 1, warnings.join('\n'));
  const { page: page2, problems: problems2, warnings: warnings2 } = await open();
  await page2.evaluate(async ({ settings }) => {
    const { default: intercomDestination } = await import('/pkg/index.js');
    const [plugin] = await intercomDestination(settings);
    const analytics = { on() {}, track: () => Promise.reject(new Error('refused')) };
    await plugin.load({}, analytics);
    while (!window.Intercom?.__standIn) await new Promise((r) => setTimeout(r, 10));
    window.__intercomStandIn.open();
    window.__intercomStandIn.close();
    await new Promise((r) => setTimeout(r, 50));
  }, { settings: settings({ messengerEvents: true }) });
  assert.deepEqual(warnings2.filter((w) => w.includes('messengerEvents')), ['Intercom Web (Actions): messengerEvents: analytics.track("Intercom Messenger Opened") failed: refused']);
  assert.deepEqual([...problems, ...problems2], []);
});

test('messengerEvents off (the default): no callback is registered', async () => {
  const { page, problems } = await open();
  const methods = await page.evaluate(async ({ settings }) => {
    await window.loadWithIntercom({ mode: 'remote', settings });
    while (!window.Intercom?.__standIn) await new Promise((r) => setTimeout(r, 10));
    return window.__intercomCalls.map((c) => c.method);
  }, { settings: settings() });
  assert.deepEqual(methods, ['boot']);
  assert.deepEqual(problems, []);
});
