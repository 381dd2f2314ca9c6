// Shortens the import and export names of the release .wasm and renames them to match in the
// staged JavaScript (wasm-bindgen's glue and our entry points), before esbuild bundles it.
// wasm-bindgen's names are long and carry hashes (`__wbg_reject_334b730b3c00849b`, the module
// "./intercom_web_destination_bg.js" on each of ~45 imports), and both files carry them.
//   node scripts/minify-names.mjs <file.wasm> <glue.js> [more.js ...]
// Fails (and leaves a build that fails) if the JavaScript does not name what the .wasm has.
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';

const [wasmPath, gluePath, ...others] = process.argv.slice(2);
if (!wasmPath || !gluePath) {
  console.error('usage: node scripts/minify-names.mjs <file.wasm> <glue.js> [more.js ...]');
  process.exit(2);
}
const fail = (message) => {
  console.error(`minify-names: ${message}`);
  process.exit(1);
};

const before = WebAssembly.Module.imports(new WebAssembly.Module(fs.readFileSync(wasmPath)));
// The glue's own module, and snippets the .wasm imports from directly (functions that need no
// conversion, such as makePlugins of js/boundary.js): the glue passes those as namespaces.
const modules = [...new Set(before.map((i) => i.module))];
const main = [`./${path.basename(wasmPath).replace(/\.wasm$/, '.js')}`];
if (modules.some((m) => m !== main[0] && !m.startsWith('./snippets/'))) fail(`unexpected import modules ${modules.join(', ')}`);
const printed = execFileSync(
  'wasm-opt',
  // Also drops the producers and target-features sections: the browser reads neither.
  [wasmPath, '--minify-imports-and-exports-and-modules', '--enable-bulk-memory',
    '--enable-nontrapping-float-to-int', '--strip-producers', '--strip-target-features',
    '-o', wasmPath],
  { encoding: 'utf8' },
);
const map = JSON.parse(printed.slice(printed.indexOf('{')));
const module = new WebAssembly.Module(fs.readFileSync(wasmPath));
const newModules = [...new Set(WebAssembly.Module.imports(module).map((i) => i.module))];
if (newModules.length !== 1) fail(`expected one module after renaming, found ${newModules.join(', ')}`);

const identifier = /^[A-Za-z_$][\w$]*$/;
const escape = (s) => s.replace(/[$]/g, '\\$&');
const escapeRegExp = (s) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

// The glue: the import object's module key and property names.
let glue = fs.readFileSync(gluePath, 'utf8');
// A snippet's imports join the glue's, under their new names: `"c": import1["makePlugins"]`.
const moved = [];
for (const snippet of modules.filter((m) => m !== main[0])) {
  // (wasm-bindgen may pass the same snippet several times, as several namespaces.)
  const entry = new RegExp(`\\s*${escapeRegExp(JSON.stringify(snippet))}: (import\\d+),`, 'g');
  const found = entry.exec(glue);
  if (!found) fail(`the glue does not pass module ${snippet} as a namespace`);
  glue = glue.replace(entry, '');
  for (const [module, old, renamed] of map.imports) {
    if (module === snippet) moved.push(`${JSON.stringify(renamed)}: ${found[1]}[${JSON.stringify(old)}]`);
  }
}
const moduleKey = JSON.stringify(main[0]);
const mainEntry = new RegExp(`${escapeRegExp(moduleKey)}: (import\\d+),`);
const mainFound = glue.match(mainEntry);
if (!mainFound || glue.split(moduleKey).length !== 2) fail(`the glue names module ${moduleKey} other than once`);
const merged = moved.length ? `{ ...${mainFound[1]}, ${moved.join(', ')} }` : mainFound[1];
glue = glue.replace(mainEntry, `${JSON.stringify(newModules[0])}: ${merged},`);
for (const [module, old, renamed] of map.imports) {
  if (module !== main[0]) continue;
  const key = new RegExp(`(^|[\\s{,])${escape(old)}:`, 'g');
  const count = (glue.match(key) || []).length;
  if (count !== 1) fail(`import ${old} is a key of the glue's import object ${count} times, not once`);
  glue = glue.replace(key, `$1${JSON.stringify(renamed)}:`);
}

// Every staged file: export reads (`wasm.name`).
const renameExports = (text, file) => {
  for (const [old, renamed] of map.exports) {
    if (!identifier.test(renamed)) fail(`export ${old} was renamed to ${renamed}, not an identifier`);
    text = text.replace(new RegExp(`\\bwasm\\.${escape(old)}(?![\\w$])`, 'g'), `wasm.${renamed}`);
  }
  // (`wasm.__wbindgen_start?.()` in js/start.js stays when the module has no start.)
  const left = text.replace(/\bwasm\.__wbindgen_start\?\./g, '')
    .match(/\bwasm\.(__wbindgen_\w+|wasm_bindgen_\w+|memory|input|output|create|event|load|reset)\b/);
  if (left) fail(`${file} still reads ${left[0]}`);
  return text;
};
glue = renameExports(glue, gluePath);
fs.writeFileSync(gluePath, glue);
for (const file of others) fs.writeFileSync(file, renameExports(fs.readFileSync(file, 'utf8'), file));

// wasm-imports.js, next to the glue: the glue (its import object `__wbg_get_imports`, and the
// helpers the imports use to pass strings and bytes), for js/start.js, which loads
// the module its own way; esbuild leaves out what the bundle does not use (the glue's loaders
// and export wrappers).
fs.writeFileSync(
  new URL('wasm-imports.js', `file://${fs.realpathSync(gluePath)}`),
  `${glue}\n// The module's exports, for the import functions that read them.\n` +
    `export function attach(exports) {\n  wasm = exports;\n}\nexport { __wbg_get_imports as imports };\n`,
);

// What the glue's import object must provide is what the .wasm now imports.
const needed = WebAssembly.Module.imports(module).map((i) => i.name).sort();
const provided = map.imports.map(([, , renamed]) => renamed).sort();
if (JSON.stringify(needed) !== JSON.stringify(provided)) fail('the renamed imports do not match the .wasm');
