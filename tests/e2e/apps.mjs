// Apps that use the release package as users get it: `npm pack` of pkg/, installed from the
// tarball into a small app (a local file: no registry), and a page helper that runs an app
// offline. The app folder lies inside the repository (under target/), so that the app's
// bundlers and analytics-next resolve from the repository's node_modules, as they would from
// the app's own.
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { ROOT, STAND_IN_WIDGET } from './harness.mjs';

const NPM = ['--no-audit', '--no-fund', '--loglevel=error'];
export const PACKAGE = 'intercom-web-destination';

/**
 * Packs pkg/ and installs the tarball into a new app folder; returns `{dir, packed,
 * installed, remove()}`: `packed` is `npm pack --json`'s answer, `installed` the package's
 * folder in the app's node_modules.
 */
export function packAndInstall(name) {
  const parent = path.join(ROOT, 'target', 'e2e-apps');
  fs.mkdirSync(parent, { recursive: true });
  const dir = fs.mkdtempSync(path.join(parent, `${name}-`));
  const [packed] = JSON.parse(execFileSync('npm', ['pack', path.join(ROOT, 'pkg'), '--json', '--pack-destination', dir, ...NPM], { encoding: 'utf8' }));
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({
    name: `${name}-app`, private: true, type: 'module',
    dependencies: { [PACKAGE]: `file:./${packed.filename}` },
  }));
  execFileSync('npm', ['install', '--offline', '--no-package-lock', ...NPM], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  return {
    dir,
    packed,
    installed: path.join(dir, 'node_modules', PACKAGE),
    remove: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}

/**
 * Opens `url` in a new page of `browser` (Playwright's): the stand-in widget answers /widget/
 * on any local origin, `answer(url)` may answer other requests ({file | body, contentType?});
 * requests that leave 127.0.0.1 otherwise fail the test, as do page errors and console errors.
 */
export async function openApp(browser, url, answer = () => undefined) {
  const page = await browser.newPage();
  const problems = [];
  const requests = [];
  page.on('request', (r) => requests.push(r.url()));
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  page.on('console', (msg) => {
    if (msg.type() === 'error') problems.push(`console error: ${msg.text()}`);
  });
  await page.route('**/*', (route) => {
    const u = new URL(route.request().url());
    const given = answer(u) ?? (u.hostname === '127.0.0.1' && u.pathname.startsWith('/widget/') ? { file: STAND_IN_WIDGET } : undefined);
    if (given) {
      return route.fulfill({
        status: 200,
        contentType: given.contentType ?? 'text/javascript; charset=utf-8',
        body: given.file ? fs.readFileSync(given.file) : given.body,
      });
    }
    if (u.hostname !== '127.0.0.1') {
      problems.push(`request left the machine: ${u.href}`);
      return route.abort();
    }
    return route.continue();
  });
  await page.goto(url);
  return { page, problems, requests };
}
