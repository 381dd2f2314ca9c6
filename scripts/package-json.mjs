// Writes pkg/package.json: the entry point is index.js (the factory), not the raw bindings.
import { readFileSync, writeFileSync } from 'node:fs';

const cargo = readFileSync(new URL('../Cargo.toml', import.meta.url), 'utf8');
const field = (name) => cargo.match(new RegExp(`^${name} = "([^"]*)"`, 'm'))?.[1];
const pkg = {
  name: field('name'),
  version: field('version'),
  description: field('description'),
  license: field('license'),
  type: 'module',
  main: 'index.js',
  module: 'index.js',
  types: 'index.d.ts',
  exports: {
    '.': { types: './index.d.ts', default: './index.js' },
    // For bundlers that need the .wasm as an asset (esbuild's file loader, a copy step).
    './intercom_web_destination_bg.wasm': './intercom_web_destination_bg.wasm',
    './package.json': './package.json',
  },
  files: [
    'index.js',
    'index.d.ts',
    'intercom_web_destination_bg.wasm',
  ],
  sideEffects: false,
};
writeFileSync(new URL('../pkg/package.json', import.meta.url), JSON.stringify(pkg, null, 2) + '\n');
