// Writes pkg/package.json (the entry points and their `exports`, the files the package holds)
// and pkg/README.md, the package page: js/README.md with each `<!-- README.md: Section -->`
// line replaced by that section of the repository's README (one source for the settings).
import { readFileSync, writeFileSync } from 'node:fs';

const read = (file) => readFileSync(new URL(`../${file}`, import.meta.url), 'utf8');
const cargo = read('Cargo.toml');
const field = (name) => cargo.match(new RegExp(`^${name} = "([^"]*)"`, 'm'))?.[1];
const WASM = 'intercom_web_destination_bg.wasm';
const CLASSIC = 'classic/intercom-destination.js';
const pkg = {
  name: field('name'),
  version: field('version'),
  description: field('description'),
  license: field('license'),
  type: 'module',
  main: 'index.js',
  module: 'index.js',
  types: 'index.d.ts',
  // Package CDNs serve this file for the bare package name: the classic script.
  unpkg: CLASSIC,
  jsdelivr: CLASSIC,
  exports: {
    '.': { types: './index.d.ts', default: './index.js' },
    // The .wasm inside the module, for bundlers that do not copy it as an asset.
    './inline': { types: './inline.d.ts', default: './inline.js' },
    // The classic script (window.intercomDestination), with its .wasm beside it.
    './classic': `./${CLASSIC}`,
    [`./classic/${WASM}`]: `./classic/${WASM}`,
    // For bundlers that need the .wasm as an asset (esbuild's file loader, a copy step).
    [`./${WASM}`]: `./${WASM}`,
    './package.json': './package.json',
  },
  files: ['index.js', 'index.d.ts', 'inline.js', 'inline.d.ts', WASM, CLASSIC, `classic/${WASM}`],
  sideEffects: [`./${CLASSIC}`],
};
writeFileSync(new URL('../pkg/package.json', import.meta.url), JSON.stringify(pkg, null, 2) + '\n');

const readme = read('README.md');
/** The body of the README's `## title` section (up to the next `## ` heading), with its heading. */
function section(title) {
  const found = readme.split(/^(?=## )/m).find((s) => s.startsWith(`## ${title}\n`));
  if (!found) throw new Error(`package-json.mjs: README.md has no "## ${title}" section (named in js/README.md)`);
  return found.trimEnd();
}
const page = read('js/README.md').replace(/^<!-- README\.md: (.+) -->$/gm, (_, title) => section(title));
writeFileSync(new URL('../pkg/README.md', import.meta.url), page);
