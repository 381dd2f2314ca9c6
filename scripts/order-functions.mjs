// Orders the functions of a .wasm for gzip: a function placed after code it resembles
// compresses better (deflate finds its matches in the 32 KB before it), and the order in which
// the compiler emits functions is not chosen for that. The order is picked greedily: each next
// function is the one that deflate shrinks most, relative to its size on its own, with the
// last 32 KB as dictionary. binaryen then applies it (`--reorder-functions-by-name`, with the
// functions named by rank): it renumbers every call, export and table entry, so the module's
// behaviour is unchanged; only its byte order is.
//   node scripts/order-functions.mjs <file.wasm>    (needs the name section; rewrites the file)
// Needs `wasm-opt` on the PATH (scripts/build.sh sets it up).
import fs from 'node:fs';
import zlib from 'node:zlib';
import { execFileSync } from 'node:child_process';

const [wasmPath] = process.argv.slice(2);
if (!wasmPath) {
  console.error('usage: node scripts/order-functions.mjs <file.wasm>');
  process.exit(2);
}
const fail = (message) => {
  console.error(`order-functions: ${message}`);
  process.exit(1);
};

const bytes = fs.readFileSync(wasmPath);
let pos = 8;
const leb = () => {
  let result = 0;
  let shift = 0;
  for (;;) {
    const b = bytes[pos++];
    result += (b & 0x7f) * 2 ** shift;
    shift += 7;
    if (b < 0x80) return result;
  }
};
const skipName = () => {
  const n = leb();
  pos += n;
};
let imported = 0;
const bodies = [];
let hasNames = false;
while (pos < bytes.length) {
  const id = bytes[pos++];
  const size = leb();
  const end = pos + size;
  if (id === 2) {
    for (let n = leb(); n > 0; n--) {
      skipName();
      skipName();
      const kind = bytes[pos++];
      if (kind === 0) {
        leb();
        imported++;
      } else if (kind === 1) {
        pos++;
        if (leb() & 1) leb();
        leb();
      } else if (kind === 2) {
        if (leb() & 1) leb();
        leb();
      } else if (kind === 3) {
        pos += 2;
      } else fail(`unknown import kind ${kind}`);
    }
  } else if (id === 10) {
    for (let n = leb(); n > 0; n--) {
      const len = leb();
      bodies.push(bytes.subarray(pos, pos + len));
      pos += len;
    }
  } else if (id === 0) {
    const nameLen = leb();
    hasNames ||= bytes.toString('latin1', pos, pos + nameLen) === 'name';
  }
  pos = end;
}
if (bodies.length === 0) fail('no code section');
if (!hasNames) fail('no name section: binaryen needs one to keep the functions apart');

// The greedy order.
const WINDOW = 32 * 1024;
const deflate = (body, dictionary) => zlib.deflateRawSync(body, { level: 9, ...(dictionary && { dictionary }) }).length;
const alone = bodies.map((b) => deflate(b));
const left = new Set(bodies.keys());
const order = [];
let tail = Buffer.alloc(0);
let next = 0;
for (const i of left) if (bodies[i].length > bodies[next].length) next = i;
while (left.size > 0) {
  if (order.length > 0) {
    const dictionary = tail.subarray(Math.max(0, tail.length - WINDOW));
    let best = -Infinity;
    for (const i of left) {
      const gain = (alone[i] - deflate(bodies[i], dictionary)) / alone[i];
      if (gain > best) {
        best = gain;
        next = i;
      }
    }
  }
  order.push(next);
  left.delete(next);
  tail = Buffer.concat([tail.subarray(Math.max(0, tail.length - WINDOW)), bodies[next]]);
}

// Then moves that deflate all the code smaller, tried in a fixed pseudo-random sequence (the
// same module always gets the same order): one function to another place.
const MOVES = Number(process.env.ORDER_MOVES ?? 2000);
const size = (o) => zlib.deflateRawSync(Buffer.concat(o.map((i) => bodies[i])), { level: 9 }).length;
let seed = 0x9e3779b9;
const random = (n) => {
  seed = (seed + 0x6d2b79f5) >>> 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return (((t ^ (t >>> 14)) >>> 0) / 2 ** 32) * n;
};
let best = size(order);
for (let m = 0; m < MOVES; m++) {
  const tried = order.slice();
  const [f] = tried.splice(Math.floor(random(tried.length)), 1);
  tried.splice(Math.floor(random(tried.length + 1)), 0, f);
  const s = size(tried);
  if (s < best) {
    best = s;
    order.splice(0, order.length, ...tried);
  }
}

// A name section that names the functions by rank (imports first, unchanged in place).
const rank = new Array(bodies.length);
order.forEach((f, r) => {
  rank[f] = r;
});
const uleb = (n) => {
  const out = [];
  do {
    let b = n & 0x7f;
    n = Math.floor(n / 128);
    if (n > 0) b |= 0x80;
    out.push(b);
  } while (n > 0);
  return out;
};
const str = (s) => [...uleb(s.length), ...Buffer.from(s, 'latin1')];
const entries = [];
const total = imported + bodies.length;
for (let f = 0; f < total; f++) {
  const name = f < imported ? `i${String(f).padStart(6, '0')}` : `f${String(rank[f - imported]).padStart(6, '0')}`;
  entries.push(...uleb(f), ...str(name));
}
const sub = [1, ...uleb([...uleb(total), ...entries].length), ...uleb(total), ...entries];
const payload = [...str('name'), ...sub];
const named = Buffer.concat([stripNames(bytes), Buffer.from([0, ...uleb(payload.length), ...payload])]);
fs.writeFileSync(wasmPath, named);
execFileSync('wasm-opt', [wasmPath, '--enable-bulk-memory', '--enable-nontrapping-float-to-int', '--reorder-functions-by-name', '-g', '-o', wasmPath]);

/** The module without its name section. */
function stripNames(b) {
  const parts = [b.subarray(0, 8)];
  let p = 8;
  while (p < b.length) {
    const start = p;
    p++;
    let size = 0;
    let shift = 0;
    for (;;) {
      const x = b[p++];
      size += (x & 0x7f) * 2 ** shift;
      shift += 7;
      if (x < 0x80) break;
    }
    const end = p + size;
    let isName = false;
    if (b[start] === 0) {
      const n = b[p];
      isName = n === 4 && b.toString('latin1', p + 1, p + 5) === 'name';
    }
    if (!isName) parts.push(b.subarray(start, end));
    p = end;
  }
  return Buffer.concat(parts);
}
