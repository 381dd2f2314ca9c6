#!/usr/bin/env node
// Dependency-free static server for the demo (www/), bound to 127.0.0.1.
//
//   node scripts/serve.mjs [port]        (or PORT=8080; default 8080; 0 = any free port)
//
//   /                 -> www/index.html
//   /www/...          -> www/
//   /pkg/...          -> pkg/ (the built plugin; PKG_DIR=/some/dir serves another build)
//   /node_modules/... -> node_modules/ (read-only; the analytics-next browser build)
//   /widget/<any>     -> www/stand-in-widget.js (offline stand-in for Intercom's widget)
//   (startServer's `mounts` option adds more prefix -> folder pairs, for the tests)
//
// Only GET/HEAD. Missing files and directories are 404; nothing outside a mount's folder
// (after resolving `..` and symlinks) is ever served.
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.ts': 'text/plain; charset=utf-8',
  '.md': 'text/plain; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
};

/** Resolves `rel` (URL path below a mount) inside `dir`, or null if it would leave it. */
function resolveInside(dir, rel) {
  const file = path.resolve(dir, '.' + path.posix.sep + rel);
  return file === dir || file.startsWith(dir + path.sep) ? file : null;
}

/** Maps a decoded URL path to a file path, or null. */
function route(pathname, { pkgDir, mounts: extra }) {
  const www = path.join(ROOT, 'www');
  if (pathname === '/' || pathname === '/index.html') return path.join(www, 'index.html');
  if (pathname.startsWith('/widget/')) return path.join(www, 'stand-in-widget.js');
  const mounts = [
    ['/www/', www],
    ['/pkg/', pkgDir],
    ['/node_modules/', path.join(ROOT, 'node_modules')],
    ...extra,
  ];
  for (const [prefix, dir] of mounts) {
    if (pathname.startsWith(prefix)) {
      const file = resolveInside(dir, pathname.slice(prefix.length));
      return file && { file, dir };
    }
  }
  return null;
}

function send(res, status, body, headers = {}) {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', ...headers });
  res.end(body);
}

/**
 * Starts the server. Resolves to {server, port, url}.
 * `mounts`: more [urlPrefix, dir] pairs to serve (prefix with both slashes, e.g. '/app/'),
 * as the tests need for a bundle built into a temporary folder.
 * @param {{port?: number, host?: string, pkgDir?: string, quiet?: boolean, mounts?: [string, string][]}} opts
 */
export function startServer({ port = 8080, host = '127.0.0.1', pkgDir, quiet = false, mounts = [] } = {}) {
  const opts = {
    pkgDir: path.resolve(pkgDir || process.env.PKG_DIR || path.join(ROOT, 'pkg')),
    mounts: mounts.map(([prefix, dir]) => [prefix, path.resolve(dir)]),
  };

  const server = http.createServer(async (req, res) => {
    const log = (status) => quiet || console.log(`${status} ${req.method} ${req.url}`);
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      log(405);
      return send(res, 405, 'Method Not Allowed\n', { Allow: 'GET, HEAD' });
    }
    let pathname;
    try {
      pathname = decodeURIComponent(new URL(req.url, 'http://localhost').pathname);
    } catch {
      log(400);
      return send(res, 400, 'Bad Request\n');
    }
    let target = pathname.includes('\0') ? null : route(pathname, opts);
    if (typeof target === 'string') target = { file: target, dir: path.dirname(target) };

    try {
      if (!target) throw Object.assign(new Error('no route'), { code: 'ENOENT' });
      // Follow symlinks, then check again that the real file is inside the mount's real folder.
      const [real, realDir] = await Promise.all([fs.promises.realpath(target.file), fs.promises.realpath(target.dir)]);
      if (!(real === realDir || real.startsWith(realDir + path.sep))) throw Object.assign(new Error(), { code: 'ENOENT' });
      const stat = await fs.promises.stat(real);
      if (!stat.isFile()) throw Object.assign(new Error(), { code: 'ENOENT' });

      log(200);
      res.writeHead(200, {
        'Content-Type': TYPES[path.extname(real).toLowerCase()] || 'application/octet-stream',
        'Content-Length': stat.size,
        'Cache-Control': 'no-store', // it's a dev server: always serve the latest build
        'X-Content-Type-Options': 'nosniff',
      });
      if (req.method === 'HEAD') return res.end();
      fs.createReadStream(real)
        .on('error', () => res.destroy())
        .pipe(res);
    } catch (err) {
      const missing = err.code === 'ENOENT' || err.code === 'ENOTDIR' || err.code === 'EACCES';
      log(missing ? 404 : 500);
      send(res, missing ? 404 : 500, missing ? 'Not Found\n' : 'Internal Server Error\n');
    }
  });

  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      const actual = server.address().port;
      resolve({ server, port: actual, url: `http://${host}:${actual}/` });
    });
  });
}

// Run as a program (not when imported by scripts/demo-test.mjs).
if (import.meta.url === pathToFileURL(process.argv[1] || '').href) {
  const port = Number(process.argv[2] ?? process.env.PORT ?? 8080);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`invalid port: ${process.argv[2] ?? process.env.PORT}`);
    process.exit(2);
  }
  const { url } = await startServer({ port });
  const pkgIndex = path.join(path.resolve(process.env.PKG_DIR || path.join(ROOT, 'pkg')), 'index.js');
  if (!fs.existsSync(pkgIndex)) console.warn(`warning: ${pkgIndex} does not exist yet (build the plugin first)`);
  console.log(`Demo: ${url}  (stand-in widget; ${url}?appId=<id>&real=1 for the real Messenger)`);
}
