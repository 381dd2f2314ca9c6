// The core flows in all three engines (tests/e2e/engines.mjs: Chromium, Firefox ESR, WebKitGTK),
// held to the same exact Intercom calls (tests/e2e/flows.mjs): the release package's default
// entry (the .wasm fetched beside it) and inline entry (the .wasm inside) driven through each
// action, and analytics-next with the factory in `plugins`, unawaited calls and a reset.
// Engine-specific paths the flows take are printed (README, "Use it": engines).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ANALYTICS_NEXT_UMD } from './harness.mjs';
import { ENGINES, PROBLEM_RECORDER } from './engines.mjs';
import { packageFlow, packageFlowResult, analyticsFlow, analyticsFlowResult } from './flows.mjs';

const APP_ID = 'engine01';
let pages;

before(() => {
  pages = fs.mkdtempSync(path.join(os.tmpdir(), 'intercom-engines-'));
  fs.writeFileSync(path.join(pages, 'flow.html'), `<!doctype html><meta charset="utf-8"><title>engines</title>
${PROBLEM_RECORDER}
<script src="${ANALYTICS_NEXT_UMD}"></script>
`);
});
after(() => fs.rmSync(pages, { recursive: true, force: true }));

/** What the engine offers that the package's code chooses between (printed, not asserted). */
async function features() {
  return {
    fromBase64: typeof Uint8Array.fromBase64 === 'function',
    decompressionStream: typeof DecompressionStream === 'function',
    instantiateStreaming: typeof WebAssembly.instantiateStreaming === 'function',
  };
}

for (const name of Object.keys(ENGINES)) {
  test(`${name}: the core flows`, async (t) => {
    const engine = await ENGINES[name]({ mounts: [['/engines/', pages]] });
    try {
      const { result: has } = await engine.run('/engines/flow.html', features);
      t.diagnostic(`${name} ${engine.version}: ${JSON.stringify(has)}`);
      for (const [entry, wasm] of [['/pkg/index.js', ['/pkg/intercom_web_destination_bg.wasm']], ['/pkg/inline.js', []]]) {
        const { result, problems } = await engine.run('/engines/flow.html', packageFlow, { entry, appId: APP_ID });
        assert.deepEqual(result, packageFlowResult({ origin: engine.origin, appId: APP_ID, wasm }), `${entry} in ${name}`);
        assert.deepEqual(problems, [], `${entry} in ${name}`);
      }
      const { result, problems } = await engine.run('/engines/flow.html', analyticsFlow, { entry: '/pkg/index.js', appId: APP_ID });
      assert.deepEqual(result, analyticsFlowResult({ appId: APP_ID }), `analytics-next in ${name}`);
      assert.deepEqual(problems, [], `analytics-next in ${name}`);
    } finally {
      await engine.close();
    }
  });
}
