// Shared harness of the browser tests: the repo's static server, Debian's Chromium through
// playwright-core (a fresh temporary profile per launch), and a page that fails the test on any page error or unhandled rejection.
import { chromium } from 'playwright-core';
import { startServer } from '../../scripts/serve.mjs';

const EXECUTABLE = process.env.CHROMIUM || '/usr/bin/chromium';

/** Starts the server and the browser; returns helpers and a `close()`. */
export async function openBrowser() {
  const { server, url } = await startServer({ port: 0, quiet: true });
  const browser = await chromium.launch({
    executablePath: EXECUTABLE,
    args: [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
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
 * Page errors, unhandled rejections and requests leaving 127.0.0.1 are collected in `problems`.
 */
export async function openPage(env, html, pathname = '/test-page.html') {
  const page = await env.browser.newPage();
  const problems = [];
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  page.on('console', (msg) => {
    if (msg.type() === 'error' && !msg.text().includes('Failed to load resource')) {
      problems.push(`console error: ${msg.text()}`);
    }
  });
  await page.route('**/*', (route) => {
    const u = new URL(route.request().url());
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
  await page.goto(env.origin + pathname);
  return { page, problems };
}
