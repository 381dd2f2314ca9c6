// Development aid: hostile events through package builds side by side. For each case and
// package, a fresh page: the plugin (Segment's presets) gets the event through its track or
// identify method with an analytics-next Context; printed: whether the call threw or rejected
// (into analytics.js), the Intercom calls (recorded), the warnings on the context, and whether
// a plain event right after still makes its call (the plugin survived).
//
//   node bench/hostile-ab.mjs DIR [DIR ...]
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { openBrowser, ROOT } from '../tests/e2e/harness.mjs';

const require = createRequire(import.meta.url);
const manifest = require('@segment/browser-destinations').manifest;
const definition = require(manifest['62d9daff84a6bf190da9f592'].path).destination;
const subscriptions = definition.presets.map((p) => ({ ...p, enabled: true }));
const dirs = process.argv.slice(2);
const packages = dirs.map((d, i) => ({ name: path.basename(d), url: `/ab${i}/`, dir: path.resolve(d) }));
const only = process.env.CASE;

// Each case: [name, source of a function (i) -> event]; `i` numbers repeated events.
const CASES = [
  ['throwing getter, read part', `() => ({ type: 'track', event: 'E', properties: { get x() { throw new Error('getter boom'); }, ok: 1 } })`],
  ['throwing getter, unread part', `() => ({ type: 'track', event: 'E', properties: { ok: 1 }, context: { get x() { throw new Error('getter boom'); } } })`],
  ['proxy: ownKeys throws', `() => ({ type: 'track', event: 'E', properties: new Proxy({ a: 1 }, { ownKeys() { throw new Error('ownKeys boom'); } }) })`],
  ['proxy: get throws', `() => ({ type: 'track', event: 'E', properties: new Proxy({ a: 1 }, { get() { throw new Error('get boom'); } }) })`],
  ['cycle', `() => { const p = { a: 1 }; p.self = p; return { type: 'track', event: 'E', properties: p }; }`],
  ['cycle, unread part', `() => { const c = { a: 1 }; c.self = c; return { type: 'track', event: 'E', properties: { a: 1 }, context: c }; }`],
  ['10 MB string', `() => ({ type: 'track', event: 'E', properties: { big: 'x'.repeat(10 * 1024 * 1024) } })`],
  ['nesting 100,000 deep', `() => { let v = 1; for (let i = 0; i < 100000; i++) v = { v }; return { type: 'track', event: 'E', properties: { deep: v } }; }`],
  ['array length 5e7 (holes)', `() => { const a = []; a.length = 5e7; return { type: 'track', event: 'E', properties: { a } }; }`],
  ['inherited properties', `() => ({ type: 'track', event: 'E', properties: Object.assign(Object.create({ inherited: 1 }), { own: 2 }) })`],
  ['Date value', `() => ({ type: 'track', event: 'E', properties: { when: new Date(Date.UTC(2024, 0, 2)) } })`],
  ['Map value', `() => ({ type: 'track', event: 'E', properties: { m: new Map([['a', 1]]) } })`],
  ['BigInt 10n', `() => ({ type: 'track', event: 'E', properties: { n: 10n } })`],
  ['BigInt 2n**70n', `() => ({ type: 'track', event: 'E', properties: { n: 2n ** 70n } })`],
  ['undefined trait (identify)', `() => ({ type: 'identify', userId: 'u1', traits: { email: 'a@b.example', phone: undefined } })`],
  ['null trait (identify)', `() => ({ type: 'identify', userId: 'u1', traits: { email: 'a@b.example', phone: null } })`],
  ['-0, NaN, Infinity', `() => ({ type: 'track', event: 'E', properties: { z: -0, nan: NaN, inf: Infinity } })`],
  ['function value', `() => ({ type: 'track', event: 'E', properties: { f() {}, ok: 1 } })`],
  ['symbol value', `() => ({ type: 'track', event: 'E', properties: { s: Symbol('s'), ok: 1 } })`],
  ['lone surrogate', `() => ({ type: 'track', event: 'E', properties: { s: 'a\\ud800b' } })`],
  ['Uint8Array value', `() => ({ type: 'track', event: 'E', properties: { u: new Uint8Array([1, 2]) } })`],
  ['toJSON object', `() => ({ type: 'track', event: 'E', properties: { t: { toJSON() { return 'T'; } } } })`],
  ['50,000 properties', `() => { const many = {}; for (let i = 0; i < 50000; i++) many['p' + i] = i; return { type: 'track', event: 'Many', properties: many }; }`],
  ['throwing toJSON', `() => ({ type: 'track', event: 'ToJSON', properties: { bad: { toJSON() { throw new Error('nope'); } }, ok: 2 } })`],
  ['dates (identify)', `() => ({ type: 'identify', userId: 'd', traits: { createdAt: new Date(1614834367000), company: { id: 'c', createdAt: new Date('invalid') } } })`],
  ['arrays for objects', `() => ({ type: 'identify', userId: ['u'], traits: [1, 2], context: [] })`],
  ['traits string', `() => ({ type: 'identify', userId: 's', traits: 'just a string' })`],
  ['null fields', `() => ({ type: 'track', event: null, properties: null, context: null, integrations: null })`],
  ['__proto__ keys from JSON.parse', `() => JSON.parse('{"type":"identify","userId":"p","traits":{"name":"P","__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}}},"integrations":{"Intercom":{"__proto__":{"polluted":true}}}}')`],
  ['String object', `() => ({ type: 'track', event: 'E', properties: { s: new String('S') } })`],
  ...[100, 1000, 2000, 5000, 10000].map((n) => [`${n} events with a throwing getter, then plain`, `() => ({ type: 'track', event: 'E', properties: { get x() { throw new Error('getter boom'); } } })`, n]),
  ...[2, 10, 100].map((n) => [`${n} events with a cycle, then plain`, `() => { const p = { a: 1 }; p.self = p; return { type: 'track', event: 'E', properties: p }; }`, n]),
  ...[10, 100].map((n) => [`${n} events nested 100,000 deep, then plain`, `() => { let v = 1; for (let i = 0; i < 100000; i++) v = { v }; return { type: 'track', event: 'E', properties: { deep: v } }; }`, n]),
  ['20,000 events with a throwing getter, then plain', `() => ({ type: 'track', event: 'E', properties: { get x() { throw new Error('getter boom'); } } })`, 20000],
];

const env = await openBrowser({ mounts: packages.map((p) => [p.url, p.dir]) });
const rows = [];
try {
  for (const [name, source, repeat = 1] of CASES) {
    if (only && !name.includes(only)) continue;
    for (const p of packages) {
      const page = await env.browser.newPage();
      const pageErrors = [];
      page.on('pageerror', (e) => pageErrors.push(e.message));
      await page.route((u) => u.pathname === '/h.html' || u.hostname !== '127.0.0.1', (route) => {
        const u = new URL(route.request().url());
        if (u.pathname === '/h.html') {
          return route.fulfill({ contentType: 'text/html', body: '<!doctype html><meta charset="utf-8"><script>/* first */</script><script src="/node_modules/@segment/analytics-next/dist/umd/index.js"></script>' });
        }
        return route.fulfill({ contentType: 'text/javascript', body: '' });
      });
      await page.goto(`${env.origin}/h.html`);
      let row;
      try {
        row = await page.evaluate(async ({ url, subscriptions, source, repeat }) => {
          const calls = [];
          const plugins = await (await import(`${url}index.js`)).default({ appId: 'x1', subscriptions,
            ensurePing: false, rememberIdentity: false, updateQuota: false, shutdownOnReset: false, shutdownOnUserSwitch: false });
          await Promise.all(plugins.map((x) => x.load(undefined, undefined)));
          const [, ctx0] = await window.AnalyticsNext.AnalyticsBrowser.load(
            { writeKey: 'h', cdnSettings: { integrations: {}, metrics: { sampleRate: 0 }, remotePlugins: [] } },
            { integrations: { 'Segment.io': false } },
          );
          const Context = ctx0.constructor;
          window.Intercom = (...args) => calls.push(args);
          const make = (0, eval)(source);
          const [plugin] = plugins;
          let threw = null;
          let ctx;
          const t0 = performance.now();
          for (let i = 0; i < repeat; i++) {
            ctx = new Context({ messageId: 'm' + i, ...make(i) });
            try {
              await plugin[ctx.event.type](ctx);
            } catch (e) {
              threw = String(e && e.message || e);
              break;
            }
          }
          const ms = performance.now() - t0;
          const show = (v) => JSON.stringify(v, (k, x) => (Object.is(x, -0) ? '<-0>' : x === undefined ? '<undefined>' : typeof x === 'bigint' ? `<${x}n>` : x));
          const got = calls.splice(0).map(show).join(' ');
          const warnings = ctx.logs().filter((l) => l.level !== 'debug').map((l) => l.message).join(' | ');
          // A plain event after it.
          const after = new Context({ type: 'track', event: 'After', messageId: 'after', properties: { ok: 1 } });
          let afterThrew = null;
          try {
            await plugin.track(after);
          } catch (e) {
            afterThrew = String(e && e.message || e);
          }
          const clean = ({}).polluted === undefined && Object.prototype.polluted === undefined;
          const survived = clean && calls.some((c) => c[0] === 'trackEvent' && c[1] === 'After');
          return { threw, calls: got.slice(0, 300), warnings: warnings.slice(0, 400), survived: survived && !afterThrew,
            afterWarnings: after.logs().filter((l) => l.level !== 'debug').map((l) => l.message).join(' | ').slice(0, 200),
            ms: Math.round(ms), wasmMemoryKB: 0 };
        }, { url: p.url, subscriptions, source, repeat });
      } catch (e) {
        row = { threw: `page: ${String(e.message).slice(0, 200)}` };
      }
      row.pageErrors = pageErrors.join(' | ').slice(0, 200);
      rows.push({ case: name, pkg: p.name, ...row });
      console.log(JSON.stringify(rows[rows.length - 1]));
      await page.close();
    }
  }
} finally {
  await env.close();
}
