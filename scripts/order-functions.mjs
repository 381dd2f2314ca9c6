// Orders the functions of a .wasm for gzip: a function placed after code it resembles
// compresses better (deflate finds its matches in the 32 KB before it), and the order in which
// the compiler emits functions is not chosen for that. The order is picked greedily: each next
// function is the one that deflate shrinks most, relative to its size on its own, with the
// last 32 KB as dictionary (from four first functions; the best is kept). Then moves of one
// function by at most 20 places are tried (ORDER_MOVES, 3000), each kept when the whole code
// deflates smaller. binaryen applies the order (`--reorder-functions-by-name`, with the
// functions named by rank): it renumbers every call, export and table entry, so the module's
// behaviour is unchanged; only its byte order is.
//   node scripts/order-functions.mjs <file.wasm>    (needs the name section; rewrites the file)
// About 20 s. ORDER_DEBUG=1 prints what the moves gained.
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

// binaryen's reading and writing is stable from its second round on (the first changes a few
// bodies): the module as binaryen will write it, so that the moves below judge its real bytes.
const FEATURES = ['--enable-bulk-memory', '--enable-nontrapping-float-to-int'];
execFileSync('wasm-opt', [wasmPath, ...FEATURES, '-g', '-o', wasmPath], { stdio: 'pipe' });
const bytes = fs.readFileSync(wasmPath);
let pos = 8;
const leb = () => {
  const [value, end] = readLeb(bytes, pos);
  pos = end;
  return value;
};
const skipName = () => {
  const n = leb();
  pos += n;
};
let imported = 0;
const bodies = [];
let hasNames = false;
let dataSection = Buffer.alloc(0);
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
  } else if (id === 11) {
    dataSection = bytes.subarray(pos, end);
  } else if (id === 0) {
    const nameLen = leb();
    hasNames ||= bytes.toString('latin1', pos, pos + nameLen) === 'name';
  }
  pos = end;
}
if (bodies.length === 0) fail('no code section');
if (!hasNames) fail('no name section: binaryen needs one to keep the functions apart');

// The greedy order, from a few first functions (the largest, and three spread over the
// compiler's order); the one whose code deflates smallest is kept.
const WINDOW = 32 * 1024;
const deflate = (body, dictionary) => zlib.deflateRawSync(body, { level: 9, ...(dictionary && { dictionary }) }).length;
const alone = bodies.map((b) => deflate(b));
const greedy = (first) => {
  const left = new Set(bodies.keys());
  const order = [];
  let tail = Buffer.alloc(0);
  let next = first;
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
  return order;
};
const calls = bodies.map(callSites);
const exact = calls.every(Boolean);
// The code's deflated size in an order: with the calls renumbered when they could be read.
const size = (o) =>
  zlib.deflateRawSync(Buffer.concat([...(exact ? code(o) : o.map((i) => bodies[i])), dataSection]), { level: 9 }).length;
let largest = 0;
for (const i of bodies.keys()) if (bodies[i].length > bodies[largest].length) largest = i;
const n = bodies.length;
let order = [];
let best = Infinity;
for (const first of new Set([largest, n >> 2, n >> 1, (3 * n) >> 2])) {
  const o = greedy(first);
  const s = size(o);
  if (s < best) {
    best = s;
    order = o;
  }
}

// Then moves that make the code (and the data after it) deflate smaller, tried in a fixed
// pseudo-random sequence (the same module always gets the same order): one function to
// a place near by. Each is judged on the bytes binaryen will write, with every call renumbered
// for the new order (their indices are most of what differs between orders).
if (exact) {
  const MOVES = Number(process.env.ORDER_MOVES ?? 3000);
  // A function moves at most this many places: the greedy order is good at large scale, and
  // near moves were accepted about twice as often as moves anywhere (and gained more).
  const REACH = 20;
  let seed = 0x9e3779b9;
  const random = (n) => {
    seed = (seed + 0x6d2b79f5) >>> 0;
    let t = seed;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return Math.floor((((t ^ (t >>> 14)) >>> 0) / 2 ** 32) * n);
  };
  const first = best;
  for (let m = 0; m < MOVES; m++) {
    const tried = order.slice();
    const from = random(tried.length);
    const [f] = tried.splice(from, 1);
    tried.splice(Math.max(0, Math.min(tried.length, from + random(2 * REACH + 1) - REACH)), 0, f);
    const s = size(tried);
    if (s < best) {
      best = s;
      order = tried;
    }
  }
  if (process.env.ORDER_DEBUG) console.error(`order-functions: ${MOVES} moves: code and data deflate ${first} -> ${best}`);
} else if (process.env.ORDER_DEBUG) {
  console.error(`order-functions: calls not read in ${calls.filter((c) => !c).length} functions`);
}

/** The bodies in `o`'s order, each with its calls renumbered for that order. */
function code(o) {
  const index = new Array(imported + bodies.length);
  for (let f = 0; f < imported; f++) index[f] = f;
  o.forEach((f, r) => {
    index[imported + f] = imported + r;
  });
  return o.map((f) => {
    const body = bodies[f];
    const parts = [];
    let at = 0;
    for (const [start, end, callee] of calls[f]) {
      parts.push(body.subarray(at, start), Buffer.from(uleb(index[callee])));
      at = end;
    }
    parts.push(body.subarray(at));
    const joined = Buffer.concat(parts);
    return Buffer.concat([Buffer.from(uleb(joined.length)), joined]);
  });
}

/**
 * Where a function body calls which function: `[start, end, callee]` of each `call`'s index;
 * null if the body has an instruction this reader does not know (then only the greedy order
 * is used). Knows the MVP's instructions and those of the features scripts/build.sh enables.
 */
function callSites(body) {
  let p = 0;
  const u = () => {
    const [value, end] = readLeb(body, p);
    p = end;
    return value;
  };
  const sites = [];
  try {
    for (let groups = u(); groups > 0; groups--) {
      u();
      p++;
    }
    while (p < body.length) {
      const op = body[p++];
      if (op === 0x02 || op === 0x03 || op === 0x04) {
        if (body[p] === 0x40 || (body[p] >= 0x6f && body[p] <= 0x7f)) p++;
        else u();
      } else if (op === 0x0c || op === 0x0d || (op >= 0x20 && op <= 0x26) || op === 0xd2) {
        u();
      } else if (op === 0x0e) {
        for (let n = u() + 1; n > 0; n--) u();
      } else if (op === 0x10) {
        const start = p;
        const callee = u();
        sites.push([start, p, callee]);
      } else if (op === 0x11) {
        u();
        u();
      } else if (op === 0x1c) {
        for (let n = u(); n > 0; n--) p++;
      } else if (op >= 0x28 && op <= 0x3e) {
        u();
        u();
      } else if (op === 0x3f || op === 0x40 || op === 0xd0) {
        p++;
      } else if (op === 0x41 || op === 0x42) {
        u(); // signed, but only its length matters here
      } else if (op === 0x43) {
        p += 4;
      } else if (op === 0x44) {
        p += 8;
      } else if (op === 0xfc) {
        const sub = u();
        if (sub === 8 || sub === 12 || sub === 14) {
          u();
          u();
        } else if (sub === 10) {
          p += 2;
        } else if (sub === 11) {
          p++;
        } else if (sub === 9 || sub === 13 || (sub >= 15 && sub <= 17)) {
          u();
        } else if (sub > 7) {
          return null;
        }
      } else if (
        !(op <= 0x01 || op === 0x05 || op === 0x0b || op === 0x0f || op === 0x1a || op === 0x1b ||
          (op >= 0x45 && op <= 0xc4) || op === 0xd1)
      ) {
        return null;
      }
    }
  } catch {
    return null;
  }
  return p === body.length ? sites : null;
}

// A name section that names the functions by rank (imports first, unchanged in place).
const rank = new Array(bodies.length);
order.forEach((f, r) => {
  rank[f] = r;
});
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
execFileSync('wasm-opt', [wasmPath, ...FEATURES, '--reorder-functions-by-name', '-g', '-o', wasmPath], { stdio: 'pipe' });

/** The unsigned LEB128 number at `at` in `buf`, and where it ends; throws when cut short. */
function readLeb(buf, at) {
  let value = 0;
  let shift = 0;
  for (;;) {
    const b = buf[at++];
    if (b === undefined) throw new Error('order-functions: a number is cut short');
    value += (b & 0x7f) * 2 ** shift;
    shift += 7;
    if (b < 0x80) return [value, at];
  }
}

/** The unsigned LEB128 bytes of `n`. */
function uleb(n) {
  const out = [];
  do {
    let b = n & 0x7f;
    n = Math.floor(n / 128);
    if (n > 0) b |= 0x80;
    out.push(b);
  } while (n > 0);
  return out;
}

/** The module without its name section. */
function stripNames(b) {
  const parts = [b.subarray(0, 8)];
  let p = 8;
  while (p < b.length) {
    const start = p;
    const [size, after] = readLeb(b, p + 1);
    p = after;
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
