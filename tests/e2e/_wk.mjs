import { spawn } from 'node:child_process';
import { startServer } from '../../scripts/serve.mjs';
const { server, url } = await startServer({ port: 0, quiet: true });
const port = 4445;
const t0 = Date.now();
const driver = spawn('xvfb-run', ['-a', 'WebKitWebDriver', `--port=${port}`], { stdio: ['ignore', 'inherit', 'inherit'], detached: true });
const base = `http://127.0.0.1:${port}`;
async function call(method, p, body) {
  const r = await fetch(base + p, { method, headers: { 'content-type': 'application/json' }, body: body && JSON.stringify(body) });
  const j = await r.json(); if (!r.ok) throw new Error(JSON.stringify(j)); return j.value;
}
for (;;) { try { await call('GET', '/status'); break; } catch { await new Promise(r => setTimeout(r, 100)); } }
console.log('driver up', Date.now() - t0);
const s = await call('POST', '/session', { capabilities: { alwaysMatch: { 'webkitgtk:browserOptions': { binary: '/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser', args: ['--automation'] } } } });
console.log('session', Date.now() - t0, s.capabilities.browserName, s.capabilities.browserVersion);
const id = s.sessionId;
await call('POST', `/session/${id}/url`, { url: url + 'pkg/package.json' });
const v = await call('POST', `/session/${id}/execute/async`, { script: `const done = arguments[arguments.length - 1]; import('/pkg/inline.js').then(m => m.default({ appId: 'x1', widgetUrl: location.origin + '/widget' })).then(p => done(p.length), e => done('error ' + e));`, args: [] });
console.log('result', v, Date.now() - t0);
await call('DELETE', `/session/${id}`);
process.kill(-driver.pid, 'SIGTERM');
server.close();
