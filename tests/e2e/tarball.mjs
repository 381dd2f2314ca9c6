// The release package as users get it: `npm pack` of pkg/, installed from the tarball into a
// small app (a local file: no registry). The app folder lies inside the repository (under
// target/), so that the app's bundlers and analytics-next resolve from the repository's
// node_modules, as they would from the app's own.
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { ROOT } from './harness.mjs';

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
