#!/usr/bin/env node
// Browser test of the demo page: serves the repo (scripts/serve.mjs) on a free port, opens the
// demo in Debian's Chromium via playwright-core, waits for the Intercom boot, clicks every
// button and checks the Intercom calls listed in the page's log table.
//
//   node scripts/demo-test.mjs        (npm run test:demo)
//
// Env: CHROMIUM=/path/to/chromium (default /usr/bin/chromium), PKG_DIR=<dir> to test another
// build of the plugin than pkg/, APP_ID (default demo1234), HEADFUL=1 to watch it.
// Fails on page errors, unhandled rejections, console errors, error entries in the page's
// Warnings list and on any request that leaves 127.0.0.1. Screenshot: test-artifacts/demo.png.
// Last line: "N passed, M failed" (exit code 1 when M > 0).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';
import { startServer } from './serve.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const ARTIFACTS = path.join(ROOT, 'test-artifacts');
const EXECUTABLE = process.env.CHROMIUM || '/usr/bin/chromium';
const APP_ID = process.env.APP_ID || 'demo1234';
const STEP_TIMEOUT = 10_000;

let passed = 0;
let failed = 0;
async function test(name, fn) {
  try {
    await fn();
    passed++;
    console.log(`ok - ${name}`);
  } catch (err) {
    failed++;
    console.log(`not ok - ${name}\n  ${String(err?.stack || err).split('\n').slice(0, 6).join('\n  ')}`);
  }
}

/** The page's log table as [{type, done, calls: [{method, args}]}]. */
function readLog(page) {
  return page.$$eval('#log tbody tr', (rows) =>
    rows.map((tr) => ({
      type: tr.dataset.type,
      done: tr.dataset.done === 'true',
      payload: tr.querySelector('td.payload')?.title ?? '',
      calls: [...tr.querySelectorAll('li[data-method]')].map((li) => ({
        method: li.dataset.method,
        args: JSON.parse(li.dataset.args),
      })),
    })));
}

/**
 * Polls the log until the last row of `type` satisfies `check` (an assertion function that
 * throws), or STEP_TIMEOUT passes; then rethrows the last assertion error. Returns the row.
 */
async function waitForRow(page, type, check) {
  const deadline = Date.now() + STEP_TIMEOUT;
  for (;;) {
    const row = (await readLog(page)).filter((r) => r.type === type).at(-1);
    try {
      assert.ok(row, `no "${type}" row in the log`);
      assert.ok(row.done, `"${type}" row not finished`);
      check(row);
      return row;
    } catch (err) {
      if (Date.now() > deadline) {
        err.message += `\n  row: ${JSON.stringify(row)}`;
        throw err;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

const find = (row, method) => row.calls.filter((c) => c.method === method);

async function main() {
  if (!fs.existsSync(EXECUTABLE)) throw new Error(`${EXECUTABLE} not found (apt-get install chromium, or set CHROMIUM)`);
  const { server, url } = await startServer({ port: 0, quiet: true });
  const pkgDir = path.resolve(process.env.PKG_DIR || path.join(ROOT, 'pkg'));
  console.log(`# serving ${url} (plugin from ${pkgDir})`);
  if (!fs.existsSync(path.join(pkgDir, 'index.js'))) console.log(`# warning: ${pkgDir}/index.js is missing`);

  const browser = await chromium.launch({
    executablePath: EXECUTABLE,
    headless: !process.env.HEADFUL,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', ...(process.env.HEADFUL ? [] : ['--headless'])],
  }); // playwright-core gives every launch a fresh temporary user-data-dir
  console.log(`# chromium ${browser.version()}`);

  const problems = []; // page errors, console errors, external requests
  try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    // Offline: anything not served by our server is blocked and reported.
    const origin = new URL(url).origin;
    await context.route('**/*', (route) => {
      const req = route.request().url();
      if (req.startsWith(origin + '/') || req.startsWith('data:')) return route.continue();
      problems.push(`external request blocked: ${req}`);
      return route.abort('blockedbyclient');
    });
    const page = await context.newPage();
    page.setDefaultTimeout(STEP_TIMEOUT);
    page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
    page.on('console', (msg) => {
      if (msg.type() === 'error') problems.push(`console error: ${msg.text()}`);
    });
    page.on('response', (res) => res.status() >= 400 && problems.push(`HTTP ${res.status()}: ${res.url()}`));

    await page.goto(`${url}?appId=${encodeURIComponent(APP_ID)}`);

    await test('page loads and the plugin boots Intercom with the app id', async () => {
      await page.waitForSelector('#status[data-state="ready"], #status[data-state="error"]', { timeout: 20_000 });
      const status = await page.textContent('#status');
      assert.equal(await page.getAttribute('#status', 'data-state'), 'ready', status);
      const row = await waitForRow(page, 'load', (r) => {
        const boots = find(r, 'boot');
        assert.equal(boots.length, 1, 'exactly one boot');
        assert.equal(boots[0].args[0]?.app_id, APP_ID);
      });
      const names = await page.evaluate(() => window.demo.plugins.map((p) => p.name));
      assert.deepEqual(names, ['Intercom Web (Actions)'], `plugin names: ${names}`);
      assert.equal(await page.evaluate(() => window.__intercomState.booted), true);
      assert.ok(row.calls.length >= 1);
    });

    // Without a loaded demo every button check would only time out: stop here, with a screenshot.
    const snapshot = async () => {
      fs.mkdirSync(ARTIFACTS, { recursive: true });
      await page.screenshot({ path: path.join(ARTIFACTS, 'demo.png'), fullPage: true });
      console.log(`# screenshot: ${path.relative(ROOT, path.join(ARTIFACTS, 'demo.png'))}`);
    };
    if (failed) {
      await snapshot();
      for (const p of problems) console.log(`# ${p}`);
      throw new Error('the demo did not load: remaining checks skipped');
    }

    await test('identify -> update with user_id, email and traits', async () => {
      await page.click('#btn-identify');
      await waitForRow(page, 'identify', (r) => {
        const update = find(r, 'update').find((c) => c.args[0]?.user_id !== undefined);
        assert.ok(update, 'an update call with user_id');
        assert.equal(update.args[0].user_id, 'user-42');
        assert.equal(update.args[0].email, 'ada@example.com');
        assert.equal(update.args[0].name, 'Ada Lovelace');
      });
    });

    await test('track -> trackEvent "Order Completed" with price {amount: 1999, currency: "USD"}', async () => {
      await page.click('#btn-track');
      await waitForRow(page, 'track', (r) => {
        const events = find(r, 'trackEvent');
        assert.equal(events.length, 1, 'exactly one trackEvent');
        assert.equal(events[0].args[0], 'Order Completed');
        assert.deepEqual(events[0].args[1]?.price, { amount: 1999, currency: 'USD' });
        assert.equal(events[0].args[1]?.order_id, 'ord-1001');
      });
    });

    await test('group -> update with company {company_id, name}', async () => {
      await page.click('#btn-group');
      await waitForRow(page, 'group', (r) => {
        const update = find(r, 'update').find((c) => c.args[0]?.company);
        assert.ok(update, 'an update call with company');
        assert.equal(update.args[0].company.company_id, 'company-7');
        assert.equal(update.args[0].company.name, 'Acme Inc');
      });
    });

    await test('page -> update', async () => {
      await page.click('#btn-page');
      await waitForRow(page, 'page', (r) => assert.ok(find(r, 'update').length >= 1, 'an update call'));
    });

    await test('reset -> shutdown, then boot as an anonymous visitor', async () => {
      await page.click('#btn-reset');
      const row = await waitForRow(page, 'reset', (r) => {
        // (messengerEvents: the callbacks are registered again after the new boot)
        assert.deepEqual(r.calls.map((c) => c.method), ['shutdown', 'boot', 'onShow', 'onHide', 'onUnreadCountChange', 'onUserEmailSupplied']);
      });
      assert.deepEqual(row.calls[1].args, [
        { app_id: APP_ID, installation_type: 's', api_base: 'https://api-iam.intercom.io' },
      ]);
      const userId = await page.evaluate(() => window.demo.analytics.user().id());
      assert.equal(userId, null, 'analytics.user().id() after reset');
    });

    await test('open the Messenger -> an "Intercom Messenger Opened" analytics event, no Intercom call', async () => {
      await page.click('#btn-open');
      const row = await waitForRow(page, 'messenger', (r) => assert.ok(r.payload.includes('Intercom Messenger Opened'), r.payload));
      assert.deepEqual(row.calls, [], 'never sent back to Intercom');
      await page.click('#btn-close');
      await page.waitForFunction(() => document.querySelectorAll('#log tr[data-type="messenger"]').length === 2);
    });

    await test('the log lists every recorded Intercom call, in order', async () => {
      const fromLog = (await readLog(page)).flatMap((r) => r.calls);
      const recorded = await page.evaluate(() => window.__intercomCalls.map(({ method, args }) => ({ method, args })));
      assert.deepEqual(fromLog, recorded);
      assert.ok(recorded.every((c) => !c.note), 'no call ignored by the stand-in messenger');
    });

    await test('messenger state reflects the calls', async () => {
      const state = await page.evaluate(() => window.__intercomState);
      assert.ok(state.events.includes('Order Completed'), `events: ${state.events}`);
      const text = await page.textContent('#state');
      assert.match(text, /booted/);
    });

    await snapshot();

    const pageWarnings = await page.$$eval('#warnings li:not(.none)', (lis) => lis.map((li) => `${li.className}: ${li.textContent}`));
    await test('no page errors, console errors, failed or external requests, or error warnings', async () => {
      const errors = [...problems, ...pageWarnings.filter((w) => w.startsWith('error:'))];
      assert.deepEqual(errors, []);
    });
    for (const w of pageWarnings) console.log(`# page warning (${w})`); // console.warn shows up here too
  } finally {
    await browser.close();
    server.close();
  }
}

try {
  await main();
} catch (err) {
  failed++;
  console.log(`not ok - harness: ${err?.stack || err}`);
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
