// Shared harness of the browser tests: the repo's static server, Debian's Chromium through
// playwright-core (a fresh temporary profile per launch), and a page that fails the test on any page error or unhandled rejection.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { startServer } from '../../scripts/serve.mjs';

const EXECUTABLE = process.env.CHROMIUM || '/usr/bin/chromium';
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** The offline stand-in for Intercom's widget script (records `window.__intercomCalls`). */
export const STAND_IN_WIDGET = path.join(ROOT, 'www', 'stand-in-widget.js');
/** analytics-next's prebuilt browser build (defines `window.AnalyticsNext`), as served. */
export const ANALYTICS_NEXT_UMD = '/node_modules/@segment/analytics-next/dist/umd/index.js';

/**
 * Starts the server and the browser; returns helpers and a `close()`.
 * `serverOptions` go to scripts/serve.mjs's startServer (e.g. `{mounts: [['/app/', dir]]}`);
 * `browserArgs` are added to Chromium's command line (e.g. `--js-flags=--expose-gc`).
 */
export async function openBrowser(serverOptions = {}, browserArgs = []) {
  const { server, url } = await startServer({ port: 0, quiet: true, ...serverOptions });
  const browser = await chromium.launch({
    executablePath: EXECUTABLE,
    args: [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
      ...browserArgs,
    ],
  });
  return {
    origin: url.replace(/\/$/, ''),
    browser,
    async close() {
      await browser.close();
      server.close();
    },
  };
}

/**
 * Opens `html` as the page at `${origin}${pathname}` (same origin as /pkg and /widget).
 * Page errors, unhandled rejections and requests leaving 127.0.0.1 are collected in `problems`;
 * `requests` lists the URL of every request the page made, from its first one.
 *
 * Options:
 * - `fulfill`: `[{url, file | body, status?, contentType?}]` answers requests whose URL starts
 *   with `url` from a local file or a string, without any network (e.g. Intercom's own widget
 *   URL, which Segment's plugin hard-codes, answered with a stand-in); checked first.
 * - `context`: Playwright browser-context options (e.g. `{timezoneId: 'America/New_York'}`).
 * - `initScript`: a function run in the page before any of its scripts.
 */
export async function openPage(env, html, pathname = '/test-page.html', { fulfill = [], context = {}, initScript } = {}) {
  const page = await env.browser.newPage(context);
  const problems = [];
  const requests = [];
  page.on('request', (r) => requests.push(r.url()));
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  page.on('console', (msg) => {
    if (msg.type() === 'error' && !msg.text().includes('Failed to load resource')) {
      problems.push(`console error: ${msg.text()}`);
    }
  });
  await page.route('**/*', (route) => {
    const u = new URL(route.request().url());
    const answer = fulfill.find((f) => u.href.startsWith(f.url));
    if (answer) {
      return route.fulfill({
        status: answer.status ?? 200,
        contentType: answer.contentType ?? 'text/javascript; charset=utf-8',
        body: answer.file ? fs.readFileSync(answer.file) : answer.body,
      });
    }
    if (u.hostname !== '127.0.0.1') {
      problems.push(`request left the machine: ${u.href}`);
      return route.abort();
    }
    if (u.pathname === pathname) {
      return route.fulfill({ contentType: 'text/html; charset=utf-8', body: html });
    }
    return route.continue();
  });
  await page.addInitScript(() => {
    window.addEventListener('unhandledrejection', (e) => {
      console.error(`unhandled rejection: ${e.reason && e.reason.message ? e.reason.message : e.reason}`);
    });
  });
  if (initScript) await page.addInitScript(initScript);
  await page.goto(env.origin + pathname);
  return { page, problems, requests };
}

/**
 * Runs in the page (install it with `<script>window.loadWithIntercom = (${loadWithIntercom});</script>`):
 * loads analytics-next (its browser build, offline: settings inline, 'Segment.io' off, metrics
 * off) with our plugin from /pkg added in `mode`, plus `plugins`; resolves with the analytics
 * instance once it is loaded.
 * - "remote": `AnalyticsBrowser.load({plugins: [intercomDestination]})` with a remote plugin of
 *   the same name in the CDN settings (Segment's CDN path; its URL is never served: the factory
 *   must be used instead);
 * - "register": `analytics.register(...await intercomDestination(settings))`.
 */
export async function loadWithIntercom({ mode, settings, plugins = [], writeKey = 'e2e' }) {
  const { default: intercomDestination } = await import('/pkg/index.js');
  window.intercomDestination = intercomDestination;
  const name = intercomDestination.pluginName;
  const remotePlugins = mode === 'remote'
    ? [{ name, creationName: name, libraryName: 'intercomDestination', url: `${location.origin}/not-served/intercom.js`, settings }]
    : [];
  const [analytics] = await window.AnalyticsNext.AnalyticsBrowser.load(
    {
      writeKey,
      cdnSettings: { integrations: {}, metrics: { sampleRate: 0 }, remotePlugins },
      plugins: mode === 'remote' ? [intercomDestination, ...plugins] : plugins,
    },
    { integrations: { 'Segment.io': false } },
  );
  if (mode === 'register') await analytics.register(...(await intercomDestination(settings)));
  window.analytics = analytics;
  return analytics;
}
