// The start-up floors of bench/run.mjs and bench/startup-ab.mjs, written to a folder to serve:
// "js/" loads the widget the way Intercom's snippet does, in plain JavaScript; "wasm/" does
// that after fetching and compiling a minimal (24-byte) wasm module: the least any plugin that
// fetches a wasm module pays on the machine, in the same run. Both export the factory shape of
// the package (`factory(settings)` -> plugins with `load`).
import fs from 'node:fs';
import path from 'node:path';

const plainLoader = `export default async function factory(settings, before) {
  if (before) await before();
  let loading;
  const load = () => (loading ??= new Promise((resolve) => {
    window.intercomSettings = { app_id: settings.appId };
    const queue = [];
    const stub = function () { queue.push(arguments); };
    stub.q = queue;
    window.Intercom = stub;
    window.Intercom('boot', { app_id: settings.appId });
    const script = document.createElement('script');
    script.async = true;
    script.src = settings.widgetUrl + '/' + settings.appId;
    script.onload = resolve;
    const first = document.getElementsByTagName('script')[0];
    first.parentNode.insertBefore(script, first);
  }));
  return [1, 2, 3].map((i) => ({ name: 'floor ' + i, load }));
}
`;

/** Writes `dir`/js/index.js and `dir`/wasm/index.js (with its tiny.wasm). */
export function writeFloors(dir) {
  fs.mkdirSync(path.join(dir, 'js'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'js', 'index.js'), plainLoader);
  fs.mkdirSync(path.join(dir, 'wasm'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'wasm', 'index.js'), `import factory from '../js/index.js';
export default (settings) => factory(settings, () => WebAssembly.compileStreaming(fetch(new URL('./tiny.wasm', import.meta.url))));
`);
  // A module with one empty function: the smallest that has code to compile.
  fs.writeFileSync(path.join(dir, 'wasm', 'tiny.wasm'), Buffer.from('0061736d01000000010401600000030201000a040102000b', 'hex'));
}
