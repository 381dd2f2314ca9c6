// The three browser engines, each behind one small interface: `run(url, fn, arg)` opens `url`
// in a fresh page, runs `fn(arg)` in it (an async function, serialised) and resolves with its
// result and the problems the page recorded (see PROBLEM_RECORDER). All offline, with Debian's
// browsers (scripts/setup.sh installs them; nothing is downloaded):
// - Chromium (Blink, V8): /usr/bin/chromium through playwright-core (tests/e2e/harness.mjs);
// - Firefox (Gecko, SpiderMonkey): /usr/bin/firefox-esr through puppeteer-core over WebDriver BiDi;
// - WebKit (JavaScriptCore, Safari's engine): WebKitGTK's MiniBrowser through WebKitWebDriver
//   (classic WebDriver, spoken here with fetch), on an Xvfb display: MiniBrowser needs one.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import puppeteer from 'puppeteer-core';
import { openBrowser } from './harness.mjs';
import { startServer } from '../../scripts/serve.mjs';

export const FIREFOX = process.env.FIREFOX || '/usr/bin/firefox-esr';
export const WEBKIT_DRIVER = process.env.WEBKIT_DRIVER || '/usr/bin/WebKitWebDriver';

/**
 * An inline script for the top of a test page: records page errors, unhandled rejections and
 * console errors in `window.__problems`, in every engine alike (classic WebDriver has no event
 * stream for them).
 */
export const PROBLEM_RECORDER = `<script>
window.__problems = [];
addEventListener('error', (e) => __problems.push('page error: ' + e.message));
addEventListener('unhandledrejection', (e) => __problems.push('unhandled rejection: ' + (e.reason && e.reason.message ? e.reason.message : e.reason)));
{ const error = console.error; console.error = (...args) => { __problems.push('console error: ' + args.join(' ')); error.apply(console, args); }; }
</script>`;

/** Runs `fn(arg)` in the page and resolves with {result, problems}; an error is returned as text. */
function pageTask(fn, arg) {
  return fn(arg).then(
    (result) => ({ result, problems: window.__problems }),
    (e) => ({ error: String(e && e.stack ? e.stack : e), problems: window.__problems }),
  );
}

function settle(answer) {
  if (answer.error) throw new Error(`in the page: ${answer.error}\nproblems: ${answer.problems.join('\n')}`);
  return answer;
}

/** Chromium through playwright-core; `serverOptions` as harness.mjs's openBrowser. */
async function chromium(serverOptions) {
  const env = await openBrowser(serverOptions);
  return {
    origin: env.origin,
    version: env.browser.version(),
    async run(path, fn, arg) {
      const page = await env.browser.newPage();
      try {
        await page.goto(env.origin + path);
        return settle(await page.evaluate(`(${pageTask})(${fn}, ${JSON.stringify(arg)})`));
      } finally {
        await page.close();
      }
    },
    close: () => env.close(),
  };
}

/** Firefox ESR through puppeteer-core over WebDriver BiDi (headless). */
async function firefox(serverOptions) {
  if (!fs.existsSync(FIREFOX)) throw new Error(`no ${FIREFOX}: run scripts/setup.sh (Debian's firefox-esr)`);
  const env = await serve(serverOptions);
  let browser;
  try {
    browser = await puppeteer.launch({ browser: 'firefox', executablePath: FIREFOX, headless: true });
  } catch (e) {
    await env.close();
    throw e;
  }
  return {
    origin: env.origin,
    version: await browser.version(),
    async run(path, fn, arg) {
      const page = await browser.newPage();
      try {
        await page.goto(env.origin + path);
        return settle(await page.evaluate(`(${pageTask})(${fn}, ${JSON.stringify(arg)})`));
      } finally {
        await page.close();
      }
    },
    async close() {
      await browser.close();
      await env.close();
    },
  };
}

/** WebKitGTK's MiniBrowser through WebKitWebDriver on an Xvfb display of its own, one session per run. */
async function webkit(serverOptions) {
  if (!fs.existsSync(WEBKIT_DRIVER)) throw new Error(`no ${WEBKIT_DRIVER}: run scripts/setup.sh (Debian's webkit2gtk-driver, xvfb)`);
  const env = await serve(serverOptions);
  const port = await freePort();
  let display;
  let driver;
  const stop = async () => {
    for (const child of [driver, display]) {
      if (child && child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
    }
  };
  const base = `http://127.0.0.1:${port}`;
  // A driver whose browser has gone may never answer: each call fails after 2 minutes (the
  // scripts' own limit is WebDriver's 30 s), naming the call, instead of hanging the test run.
  const call = async (method, path, body) => {
    const response = await fetch(base + path, {
      method, headers: { 'content-type': 'application/json' }, body: body && JSON.stringify(body),
      signal: AbortSignal.timeout(120_000),
    }).catch((e) => {
      throw new Error(`WebKitWebDriver ${method} ${path}: ${e.message}`);
    });
    const answer = await response.json();
    if (!response.ok) throw new Error(`WebKitWebDriver ${method} ${path}: ${JSON.stringify(answer.value)}`);
    return answer.value;
  };
  try {
    // A display of its own (Xvfb picks a free number and writes it to stdout), then the driver on it.
    display = spawn('Xvfb', ['-displayfd', '1', '-screen', '0', '1280x1024x24', '-nolisten', 'tcp'], { stdio: ['ignore', 'pipe', 'ignore'] });
    const number = await new Promise((resolve, reject) => {
      let out = '';
      display.stdout.on('data', (d) => {
        out += d;
        if (out.includes('\n')) resolve(out.trim());
      });
      display.once('exit', (code) => reject(new Error(`Xvfb exited (${code}) before it had a display`)));
      display.once('error', reject);
    });
    driver = spawn(WEBKIT_DRIVER, [`--port=${port}`], { stdio: 'ignore', env: { ...process.env, DISPLAY: `:${number}` } });
    for (let waited = 0; ; waited += 100) {
      try {
        await call('GET', '/status');
        break;
      } catch (e) {
        if (waited > 20000) throw new Error(`WebKitWebDriver did not start: ${e.message}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  } catch (e) {
    await stop();
    await env.close();
    throw e;
  }
  // WebKitWebDriver starts MiniBrowser with --automation by default.
  const { capabilities } = await call('POST', '/session', { capabilities: {} }).then(async (s) => {
    await call('DELETE', `/session/${s.sessionId}`);
    return s;
  });
  return {
    origin: env.origin,
    version: `${capabilities.browserName}/${capabilities.browserVersion}`,
    async run(path, fn, arg) {
      const { sessionId } = await call('POST', '/session', { capabilities: {} });
      try {
        await call('POST', `/session/${sessionId}/url`, { url: env.origin + path });
        const script = `const done = arguments[arguments.length - 1]; (${pageTask})(${fn}, arguments[0]).then(done);`;
        return settle(await call('POST', `/session/${sessionId}/execute/async`, { script, args: [arg] }));
      } finally {
        await call('DELETE', `/session/${sessionId}`);
      }
    },
    async close() {
      await stop();
      await env.close();
    },
  };
}

/** The repository's static server alone (scripts/serve.mjs), for the engines that are not Chromium. */
async function serve(serverOptions) {
  const { server, url } = await startServer({ port: 0, quiet: true, ...serverOptions });
  return { origin: url.replace(/\/$/, ''), close: async () => server.close() };
}

/** The engines by name: each `(serverOptions) => Promise<{origin, version, run, close}>`. */
export const ENGINES = { chromium, firefox, webkit };

/** A TCP port free on 127.0.0.1 now. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}
