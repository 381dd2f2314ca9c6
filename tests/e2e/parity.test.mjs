// Parity with Segment's plugin: the corpus of tests/e2e/parity-corpus.mjs runs through Segment's
// "Intercom Web (Actions)" (its CDN build from @segment/browser-destinations@3.98.0, loaded by
// analytics-next as a remote plugin, the way Segment ships it) and through ours (the npm
// package, passed to analytics-next as the factory of that remote plugin), on separate pages
// with the same settings. Every difference in the Intercom calls must be explained by a rule of
// tests/e2e/parity-differences.json, the list of intended differences that docs/PARITY.md
// documents; anything else fails the test. The table of differences is printed and written to
// test-artifacts/parity.md.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { openBrowser, openPage, ROOT, ANALYTICS_NEXT_UMD } from './harness.mjs';
import { PROFILES, SESSION_RULES_OFF } from './parity-corpus.mjs';
import { diffCalls, compileRules, classify, show, table, same } from './parity-diff.mjs';

const RULES_FILE = path.join(ROOT, 'tests', 'e2e', 'parity-differences.json');
const DOC_FILE = path.join(ROOT, 'docs', 'PARITY.md');
const REPORT_FILE = path.join(ROOT, 'test-artifacts', 'parity.md');
const RECORDER = path.join(ROOT, 'tests', 'e2e', 'exact-recorder-widget.js');
// A time zone with an offset, so that dates without one show how each plugin reads them.
const TIME_ZONE = 'America/New_York';

const require = createRequire(import.meta.url);

/** Segment's Intercom plugin: its version, preset subscriptions and the URL of its CDN bundle. */
function segmentPlugin() {
  const destinations = require('@segment/browser-destinations');
  const entry = Object.values(destinations.manifest).find((d) => d.directory === 'intercom');
  const definition = require(entry.path).destination;
  // The package's folder under the repo's node_modules as the server sees it (require.resolve
  // gives the real path, outside the repo when node_modules is a symbolic link).
  const dir = path.join(ROOT, 'node_modules', '@segment', 'browser-destinations');
  assert.ok(fs.existsSync(path.join(dir, 'package.json')), `${dir}: not installed`);
  const webDir = path.join(dir, 'dist', 'web', 'intercom');
  const bundle = fs.readdirSync(webDir).find((f) => f.endsWith('.js'));
  return {
    version: JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')).version,
    presets: definition.presets.map((p) => ({ ...p, enabled: true })),
    url: `/${path.relative(ROOT, path.join(webDir, bundle)).split(path.sep).join('/')}`,
  };
}

const PAGE = `<!doctype html><meta charset="utf-8"><title>parity</title><script>/* first script */</script>
<script src="${ANALYTICS_NEXT_UMD}"></script>`;

/**
 * Runs in the page: loads analytics-next with the Intercom destination as a remote plugin and
 * makes the corpus calls. Returns the Intercom calls at load and per entry (recorded exactly by
 * tests/e2e/exact-recorder-widget.js) and the events the destinations received.
 */
async function runCorpusInPage({ which, segmentUrl, settings, entries }) {
  const NAME = 'Intercom Web (Actions)';
  let patch = null;
  const events = [];
  const withMethods = (plugin, fn) => {
    for (const m of ['track', 'identify', 'page', 'group', 'alias']) plugin[m] = fn;
    return plugin;
  };
  const base = (name, type) => ({ name, type, version: '1.0.0', isLoaded: () => true, load: () => Promise.resolve() });
  // Applies an entry's `patch` to the event, before any destination sees it.
  const shapes = withMethods(base('Corpus shapes', 'enrichment'), (ctx) => {
    if (patch) {
      Object.assign(ctx.event, patch.set);
      for (const k of patch.unset ?? []) delete ctx.event[k];
    }
    return ctx;
  });
  // Records each event as the destinations receive it.
  const recorder = withMethods(base('Event recorder', 'destination'), (ctx) => {
    events.push(structuredClone(ctx.event));
    return ctx;
  });
  const plugins = [shapes, recorder];
  const remotePlugin = { name: NAME, creationName: NAME, libraryName: 'intercomDestination', url: segmentUrl, settings };
  if (which === 'ours') {
    const { default: intercomDestination } = await import('/pkg/index.js');
    plugins.push(intercomDestination); // matched to the remote plugin by its pluginName
  }
  const { AnalyticsBrowser } = window.AnalyticsNext;
  const [analytics] = await AnalyticsBrowser.load(
    { writeKey: 'parity', cdnSettings: { integrations: {}, metrics: { sampleRate: 0 }, remotePlugins: [remotePlugin] }, plugins },
    { integrations: { 'Segment.io': false } },
  );
  await analytics.ready(); // the destination has loaded (Segment's: the widget is there)
  // Ours resolves `load` once the stub queue holds the boot call: wait for the widget to take it.
  for (let waited = 0; !window.__exactIntercomCalls; waited += 10) {
    if (waited > 20000) throw new Error(`${which}: the widget never loaded (did the plugin load?)`);
    await new Promise((r) => setTimeout(r, 10));
  }
  const calls = window.__exactIntercomCalls ?? [];
  const load = [...calls, ['intercomSettings', structuredClone(window.intercomSettings)]];
  const results = [];
  for (const entry of entries) {
    analytics.reset();
    const from = calls.length;
    const eventsFrom = events.length;
    patch = entry.patch ?? null;
    for (const [method, ...args] of entry.calls) await analytics[method](...args);
    patch = null;
    results.push({ id: entry.id, calls: calls.slice(from), events: events.slice(eventsFrom) });
  }
  return { load, results, pluginNames: analytics.queue.plugins.map((p) => p.name) };
}

/** Settings for one plugin in a profile (see PROFILES). */
function settingsFor(profile, which, segment) {
  const settings = { ...profile.settings, ...SESSION_RULES_OFF };
  if (Array.isArray(profile.subscriptions)) settings.subscriptions = profile.subscriptions;
  else if (profile.subscriptions === 'segment-presets' || which === 'segment') settings.subscriptions = segment.presets;
  return settings;
}

let env;
let rules;
let segment;
const runs = new Map(); // profile id -> {segment, ours}

before(async () => {
  rules = compileRules(JSON.parse(fs.readFileSync(RULES_FILE, 'utf8')));
  segment = segmentPlugin();
  env = await openBrowser();
  for (const profile of PROFILES) {
    const run = {};
    for (const which of ['segment', 'ours']) {
      const { page, problems } = await openPage(env, PAGE, '/parity.html', {
        // Segment's plugin loads https://widget.intercom.io/widget/<appId>; ours too (no widgetUrl
        // in the settings): both are answered with the exact recorder, without any network.
        fulfill: [{ url: 'https://widget.intercom.io/widget/', file: RECORDER }],
        context: { timezoneId: TIME_ZONE },
      });
      const result = await page.evaluate(runCorpusInPage, {
        which,
        segmentUrl: segment.url,
        settings: settingsFor(profile, which, segment),
        entries: profile.entries,
      });
      run[which] = { ...result, problems };
      await page.close();
    }
    runs.set(profile.id, run);
  }
});
after(async () => { await env?.close(); });

/** Compares a profile's two runs: one record per entry (and one for the load). */
function compare(profileId) {
  const { segment: s, ours: o } = runs.get(profileId);
  const entries = [{ id: '(load)', segment: s.load, ours: o.load, events: [] }];
  s.results.forEach((r, i) => entries.push({ id: r.id, segment: r.calls, ours: o.results[i].calls, events: r.events }));
  return entries.map((e) => {
    const rows = diffCalls(e.segment, e.ours).map((row) => ({ ...row, rule: classify(rules, row, e.events) }));
    return { ...e, rows };
  });
}

/** The volatile parts of an event (ids, times, the page URL with its port) left out. */
function stable(event) {
  const { messageId, anonymousId, timestamp, context, ...rest } = event;
  const { page, userAgent, userAgentData, ...ctx } = context ?? {};
  return { ...rest, context: ctx };
}

test('both plugins ran the whole corpus inside analytics-next, on the same events', () => {
  assert.match(segment.version, /^3\.98\.0$/);
  for (const profile of PROFILES) {
    const { segment: s, ours: o } = runs.get(profile.id);
    assert.deepEqual(s.problems, [], `${profile.id}: problems on Segment's page`);
    assert.deepEqual(o.problems, [], `${profile.id}: problems on our page`);
    // Each plugin was registered through the remote plugin (wrapped under its name).
    assert.ok(s.pluginNames.includes('Intercom Web (Actions)'), `${profile.id}: ${s.pluginNames}`);
    assert.ok(o.pluginNames.includes('Intercom Web (Actions)'), `${profile.id}: ${o.pluginNames}`);
    assert.equal(s.load[0][0], 'boot', `${profile.id}: Segment's plugin booted the widget`);
    assert.equal(o.load[0][0], 'boot', `${profile.id}: our plugin booted the widget`);
    assert.deepEqual(s.results.map((r) => r.id), profile.entries.map((e) => e.id));
    assert.deepEqual(o.results.map((r) => r.id), profile.entries.map((e) => e.id));
    s.results.forEach((r, i) => {
      assert.deepEqual(r.events.map(stable), o.results[i].events.map(stable), `${profile.id}/${r.id}: same events`);
      assert.equal(r.events.length, profile.entries[i].calls.length, `${profile.id}/${r.id}: one event per call`);
    });
  }
  // Segment's plugin really acted on the corpus (a broken set-up would make "all identical").
  const main = runs.get('presets').segment.results;
  assert.ok(main.filter((r) => r.calls.length > 0).length >= main.length - 2, 'Segment made calls for almost every entry');
});

const summary = [];
const report = [];

for (const profile of PROFILES) {
  test(`profile "${profile.id}": every difference from Segment's plugin is a documented correction`, () => {
    const entries = compare(profile.id);
    const rows = entries.flatMap((e) => e.rows.map((r) => [e.id, r.field, show(r.segment), show(r.ours), r.rule ? r.rule.id : 'UNEXPECTED']));
    const identical = entries.filter((e) => e.rows.length === 0).length;
    const byDesign = entries.filter((e) => e.rows.length > 0 && e.rows.every((r) => r.rule)).length;
    const unexpected = entries.filter((e) => e.rows.some((r) => !r.rule));
    const calls = profile.entries.reduce((n, e) => n + e.calls.length, 0);
    const text = rows.length ? table(['entry', 'field', 'Segment sent', 'we sent', 'rule'], rows) : '(no differences)';
    console.log(`\nprofile "${profile.id}" (${calls} analytics.js calls in ${profile.entries.length} entries, + load): ` +
      `${identical} identical, ${byDesign} differ by design, ${unexpected.length} otherwise\n${text}\n`);
    summary.push({ profile: profile.id, entries: entries.length, calls, identical, byDesign, unexpected: unexpected.length, rows });
    report.push(`## Profile \`${profile.id}\`\n\n${calls} analytics.js calls in ${profile.entries.length} entries, plus the load: ` +
      `**${identical} identical, ${byDesign} differ by design, ${unexpected.length} otherwise**.\n\n\`\`\`\n${text}\n\`\`\`\n`);
    assert.deepEqual(unexpected.map((e) => e.id), [], `differences no rule explains (see the table above):\n${
      table(['entry', 'field', 'Segment sent', 'we sent'], unexpected.flatMap((e) => e.rows.filter((r) => !r.rule).map((r) => [e.id, r.field, show(r.segment), show(r.ours)])))}`);
  });
}

/** The rule table of docs/PARITY.md, as generated from parity-differences.json. */
function ruleTable() {
  const cell = (t) => String(t ?? '').replace(/\|/g, '\\|');
  return [
    '| rule | correction (what we send instead) | README row ("How it differs") |',
    '|---|---|---|',
    ...rules.map((r) => `| \`${r.id}\` | ${cell(r.correction)} | ${r.readme ? cell(r.readme) : '(not in the README table)'} |`),
  ].join('\n');
}

test('every rule names a row of the README table "How it differs from Segment\'s plugin"', () => {
  const readme = fs.readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  const section = readme.slice(readme.indexOf("## How it differs"), readme.indexOf('The trigger language is'));
  const rows = section.split('\n').filter((l) => l.startsWith('| ')).map((l) => l.split('|')[1].trim());
  assert.deepEqual(rules.filter((r) => !rows.includes(r.readme)).map((r) => r.id), []);
});

test('every rule is used, and docs/PARITY.md lists exactly the rules of parity-differences.json', () => {
  const used = new Set(summary.flatMap((s) => s.rows.map((r) => r[4])));
  assert.deepEqual(rules.map((r) => r.id).filter((id) => !used.has(id)), [], 'rules no difference needs (remove them, or add the corpus entry)');
  // The table between the markers is generated: UPDATE_PARITY_DOC=1 rewrites it.
  const block = /(<!-- rules:begin -->\n)([\s\S]*?)(\n<!-- rules:end -->)/;
  let doc = fs.readFileSync(DOC_FILE, 'utf8');
  assert.match(doc, block, 'docs/PARITY.md has the rule table markers');
  if (process.env.UPDATE_PARITY_DOC === '1') {
    doc = doc.replace(block, (_, begin, __, end) => `${begin}${ruleTable()}${end}`);
    fs.writeFileSync(DOC_FILE, doc);
  }
  assert.equal(doc.match(block)[2], ruleTable(), 'docs/PARITY.md is out of date: run UPDATE_PARITY_DOC=1 node --test tests/e2e/parity.test.mjs');
});

test('summary and report (test-artifacts/parity.md)', () => {
  assert.equal(summary.length, PROFILES.length);
  const counts = new Map();
  for (const row of summary.flatMap((s) => s.rows)) counts.set(row[4], (counts.get(row[4]) ?? 0) + 1);
  const entriesPerRule = new Map();
  for (const s of summary) {
    for (const id of new Set(s.rows.map((r) => `${s.profile}/${r[0]}\t${r[4]}`))) {
      const rule = id.split('\t')[1];
      entriesPerRule.set(rule, (entriesPerRule.get(rule) ?? 0) + 1);
    }
  }
  const total = (k) => summary.reduce((n, s) => n + s[k], 0);
  const head = `Parity with Segment's Intercom Web (Actions) ${segment.version}: ${total('calls')} analytics.js calls, ` +
    `${total('entries')} entries (with one load per profile): ${total('identical')} identical, ${total('byDesign')} differ by design, ` +
    `${total('unexpected')} otherwise.`;
  const perRule = table(['rule', 'entries', 'fields'], rules.map((r) => [r.id, entriesPerRule.get(r.id) ?? 0, counts.get(r.id) ?? 0]));
  console.log(`\n${head}\n${table(['profile', 'entries', 'calls', 'identical', 'by design', 'otherwise'],
    summary.map((s) => [s.profile, s.entries, s.calls, s.identical, s.byDesign, s.unexpected]))}\n\n${perRule}\n`);
  fs.mkdirSync(path.dirname(REPORT_FILE), { recursive: true });
  fs.writeFileSync(REPORT_FILE, `# Parity report\n\n${head}\n\nRules: docs/PARITY.md. Per rule (entries, differing fields):\n\n\`\`\`\n${perRule}\n\`\`\`\n\n${report.join('\n')}`);
  assert.equal(total('unexpected'), 0);
});

// Checks of the comparison itself, so that a bug in it cannot hide a difference.
test('the comparison sees missing calls, undefined and NaN, and needs a matching rule', () => {
  const rows = diffCalls(
    [['boot', { app_id: 'a', api_base: undefined }], ['trackEvent', undefined, { x: NaN }], ['update', { a: [1, 2] }]],
    [['boot', { app_id: 'a' }], ['update', { a: [1, 2, 3] }]],
  );
  assert.deepEqual(rows.map((r) => [r.field, show(r.segment), show(r.ours)]), [
    ['trackEvent (call)', '["trackEvent", undefined, {x: NaN}]', 'undefined'],
    ['update a', '[1, 2]', '[1, 2, 3]'],
  ]);
  assert.equal(same({ a: undefined }, {}), true);
  assert.equal(same(NaN, NaN), true);
  assert.equal(same(null, undefined), false);
  assert.equal(classify(rules, { field: 'update a', segment: [1, 2], ours: [1, 2, 3] }, []), null);
  const cents = rules.find((r) => r.id === 'revenue-float-cents');
  assert.equal(classify(rules, { field: 'trackEvent metadata.price.amount', segment: 1998.9999999999998, ours: 1999 }, []), cents);
  assert.equal(classify(rules, { field: 'trackEvent metadata.price.amount', segment: 1998.9999999999998, ours: 1990 }, []), null);
  assert.equal(classify(rules, { field: 'trackEvent metadata.seats', segment: 1.5, ours: 2 }, []), null);
});

// Segment's own unit tests of its Intercom destination (segmentio/action-destinations,
// packages/browser-destinations/destinations/intercom), as data: tests/e2e/
// segment-intercom-expectations.json (made by tests/fixtures/extract-intercom-expectations.mjs).
// Each expectation runs against our package the way those tests run Segment's plugin: the
// factory with the test's settings and subscriptions, a mock `window.Intercom`, the events
// given to the plugin; the page after `load` for index.test.ts. An expectation that does not
// hold must be listed in the file's `corrections` with the rule of docs/PARITY.md behind it.
const EXPECTATIONS = JSON.parse(fs.readFileSync(path.join(ROOT, 'tests', 'e2e', 'segment-intercom-expectations.json'), 'utf8'));

async function runExpectationsInPage({ cases, subscriptions, rulesOff }) {
  const { default: factory } = await import('/pkg/index.js');
  const results = [];
  for (const c of cases) {
    if (c.page) {
      results.push(null);
      continue;
    }
    const calls = [];
    window.Intercom = (...args) => calls.push(structuredClone(args));
    const subs = typeof c.subscriptions === 'string' ? subscriptions[c.subscriptions] : c.subscriptions;
    const [plugin] = await factory({ ...c.settings, ...rulesOff, subscriptions: subs });
    for (const [method, event] of c.calls) await plugin?.[method]?.({ event: structuredClone(event), log() {} });
    results.push(calls);
  }
  return results;
}

/** The page after our plugin's `load` with index.test.ts's settings. */
async function pageAfterLoad(settings) {
  const { default: factory } = await import('/pkg/index.js');
  const [plugin] = await factory(settings);
  await plugin.load({ event: {}, log() {} }, {});
  while (!window.__exactIntercomCalls) await new Promise((r) => setTimeout(r, 10));
  const script = [...document.querySelectorAll('script')].find((s) => (s.src ?? '').includes('widget.intercom.io'));
  return {
    intercomSettingsDefined: window.intercomSettings !== undefined,
    appId: window.intercomSettings?.app_id === settings.appId,
    installationType: window.intercomSettings?.installation_type === 's',
    customLauncherSelector: window.intercomSettings?.custom_launcher_selector === settings.activator,
    widgetScript: script?.getAttribute('src') === `https://widget.intercom.io/widget/${settings.appId}` && script?.getAttribute('type') === 'text/javascript',
    booted: window.__exactIntercomCalls.some((c) => c[0] === 'boot'),
  };
}

test(`Segment's own Intercom tests (${EXPECTATIONS.cases.length} expectations, as data) hold, or are listed corrections`, async () => {
  const open = () => openPage(env, PAGE, '/expectations.html', { fulfill: [{ url: 'https://widget.intercom.io/widget/', file: RECORDER }] });
  let { page } = await open();
  const results = await page.evaluate(runExpectationsInPage, { cases: EXPECTATIONS.cases, subscriptions: EXPECTATIONS.subscriptions, rulesOff: SESSION_RULES_OFF });
  await page.close();
  const pageCase = EXPECTATIONS.cases.find((c) => c.page);
  ({ page } = await open());
  const state = await page.evaluate(pageAfterLoad, { ...pageCase.settings, ...SESSION_RULES_OFF });
  await page.close();
  const corrections = new Map(EXPECTATIONS.corrections.map((c) => [c.test, c]));
  const rows = [];
  EXPECTATIONS.cases.forEach((c, i) => {
    const holds = c.page ? state[c.page] === true : results[i].some((call) => same(call, c.expected[0]));
    const correction = corrections.get(c.test);
    if (!holds) rows.push([c.file, c.test, correction ? correction.rule : 'NOT LISTED', c.page ? '' : show(results[i])]);
    else if (correction) rows.push([c.file, c.test, `listed as ${correction.rule} but holds`, '']);
  });
  const held = EXPECTATIONS.cases.length - rows.filter((r) => !r[2].startsWith('listed')).length;
  console.log(`\nSegment's Intercom tests: ${held} of ${EXPECTATIONS.cases.length} expectations hold here; the others are corrections:\n${table(['file', 'test', 'rule', 'we sent'], rows)}\n`);
  for (const c of EXPECTATIONS.corrections) assert.ok(rules.some((r) => r.id === c.rule), `${c.test}: unknown rule ${c.rule}`);
  assert.deepEqual(rows.filter((r) => r[2] === 'NOT LISTED' || r[2].startsWith('listed')).map((r) => r[1]), []);
});
