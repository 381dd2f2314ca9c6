// Compares the Intercom calls of Segment's plugin and ours for one corpus entry, and classifies
// every difference by the rules of tests/e2e/parity-differences.json (documented in
// docs/PARITY.md). Pure functions; tests/e2e/parity.test.mjs runs the browsers.
//
// A difference is a row {field, segment, ours}: `field` is "<method> <path>" ("update
// company.created_at", "trackEvent metadata.price.amount", "boot api_base"), or
// "<method> (call)" when one plugin made a call the other did not. A key whose value is
// `undefined` counts as absent (Intercom never sees it), but the table shows it as sent.

const isObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);
const has = (v) => v !== undefined;

/** Deep equality, with undefined object values as absent keys and NaN equal to NaN. */
export function same(a, b) {
  if (typeof a === 'number' && typeof b === 'number') return a === b || (Number.isNaN(a) && Number.isNaN(b));
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => same(x, b[i]));
  if (isObject(a) && isObject(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    return [...keys].every((k) => same(a[k], b[k]));
  }
  return a === b;
}

/** A short JavaScript-like rendering: undefined and NaN are shown as such. */
export function show(v) {
  if (v === undefined) return 'undefined';
  if (typeof v === 'number') return Object.is(v, -0) ? '-0' : String(v);
  if (typeof v === 'string') return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(show).join(', ')}]`;
  if (isObject(v)) return `{${Object.entries(v).map(([k, x]) => `${/^[A-Za-z_$][\w$]*$/.test(k) ? k : JSON.stringify(k)}: ${show(x)}`).join(', ')}}`;
  return String(v);
}

/** Names of a call's arguments after the method, for field paths. */
function argNames(method, count) {
  const names = method === 'trackEvent' ? ['name', 'metadata'] : [''];
  return Array.from({ length: count }, (_, i) => names[i] ?? `args[${i}]`);
}

const join = (base, key) => (base === '' ? key : `${base}.${key}`);

function diffValues(path, s, o, rows) {
  if (same(s, o)) return;
  if (isObject(s) && isObject(o)) {
    for (const k of new Set([...Object.keys(s), ...Object.keys(o)])) diffValues(join(path, k), s[k], o[k], rows);
    return;
  }
  if (Array.isArray(s) && Array.isArray(o) && s.length === o.length) {
    s.forEach((x, i) => diffValues(`${path}[${i}]`, x, o[i], rows));
    return;
  }
  rows.push({ path, segment: s, ours: o });
}

/** Longest common subsequence of two method lists: pairs of indexes. */
function align(a, b) {
  const n = a.length;
  const m = b.length;
  const best = Array.from({ length: n + 1 }, () => new Array(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      best[i][j] = a[i] === b[j] ? best[i + 1][j + 1] + 1 : Math.max(best[i + 1][j], best[i][j + 1]);
    }
  }
  const pairs = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[i] === b[j]) pairs.push([i++, j++]);
    else if (j >= m || (i < n && best[i + 1][j] >= best[i][j + 1])) pairs.push([i++, null]);
    else pairs.push([null, j++]);
  }
  return pairs;
}

/**
 * The differences between two lists of calls `[method, ...args]`, in order. Each row carries
 * the two calls it comes from (`segmentCall`, `oursCall`; null when the call is missing).
 */
export function diffCalls(segmentCalls, oursCalls) {
  const rows = [];
  for (const [i, j] of align(segmentCalls.map((c) => c[0]), oursCalls.map((c) => c[0]))) {
    const sc = i === null ? null : segmentCalls[i];
    const oc = j === null ? null : oursCalls[j];
    const method = (sc ?? oc)[0];
    if (!sc || !oc) {
      rows.push({ field: `${method} (call)`, segment: sc ?? undefined, ours: oc ?? undefined, segmentCall: sc, oursCall: oc });
      continue;
    }
    const found = [];
    const count = Math.max(sc.length, oc.length) - 1;
    argNames(method, count).forEach((name, k) => diffValues(name, sc[k + 1], oc[k + 1], found));
    for (const r of found) rows.push({ field: r.path ? `${method} ${r.path}` : method, segment: r.segment, ours: r.ours, segmentCall: sc, oursCall: oc });
  }
  return rows;
}

// ---- rules ---------------------------------------------------------------------------------

const isNumericString = (v) => typeof v === 'string' && /^\s*-?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*$/.test(v);
const isInteger = (v) => typeof v === 'number' && Number.isInteger(v);
const metadataKeys = (call) => (call && isObject(call[2]) ? Object.keys(call[2]).filter((k) => has(call[2][k])) : []);

/** Reads `a.b.c` in an event. */
function at(event, path) {
  return path.split('.').reduce((v, k) => (v !== null && typeof v === 'object' ? v[k] : undefined), event);
}

/**
 * Value patterns, by their text in parity-differences.json. Each gets (value, ctx) where ctx has
 * `segment` and `ours` (the two values of the row), `row` and `events` (the analytics events of
 * the entry, as the destinations received them). Besides these: `= <JSON>` (that value) and
 * `input:<path>|<path>...` (equal to one of those fields of an event of the entry).
 */
const PATTERNS = {
  absent: (v) => v === undefined,
  present: (v) => v !== undefined,
  null: (v) => v === null,
  NaN: (v) => Number.isNaN(v),
  false: (v) => v === false,
  'empty string': (v) => v === '',
  'blank string': (v) => typeof v === 'string' && v.trim() === '',
  '{}': (v) => isObject(v) && Object.values(v).every((x) => x === undefined),
  number: (v) => typeof v === 'number',
  integer: isInteger,
  fraction: (v) => typeof v === 'number' && Number.isFinite(v) && !Number.isInteger(v),
  'negative integer': (v) => isInteger(v) && v < 0,
  'unix time': (v) => isInteger(v) && v >= 0 && v < 1e10,
  'numeric string': isNumericString,
  'non-empty string': (v) => typeof v === 'string' && v !== '',
  'non-string': (v) => has(v) && v !== null && typeof v !== 'string',
  'non-boolean': (v) => has(v) && v !== null && typeof v !== 'boolean',
  'non-numeric': (v) => has(v) && v !== null && !(typeof v === 'number' && Number.isFinite(v)) && !isNumericString(v),
  object: isObject,
  'object with every value null': (v) => isObject(v) && Object.keys(v).length > 0 && Object.values(v).every((x) => x === null),
  'object with every value false': (v) => isObject(v) && Object.keys(v).length > 0 && Object.values(v).every((x) => x === false),
  'object without company_id': (v) => isObject(v) && (v.company_id === undefined || v.company_id === null),
  'call without an event name': (v) => Array.isArray(v) && v[0] === 'trackEvent' && (v[1] === undefined || v[1] === null || v[1] === ''),
  // Relations to the other plugin's value or to the call.
  'String(segment)': (v, { segment }) => typeof segment === 'number' && v === String(segment),
  'Number(segment)': (v, { segment }) => isNumericString(segment) && v === Number(segment),
  'segment rounded to an integer': (v, { segment }) =>
    isInteger(v) && typeof segment === 'number' && !Number.isInteger(segment) && Math.abs(v - segment) < 1,
  // A date without an offset: Segment read it in the browser's time zone, we read it as UTC.
  'segment moved by a time zone offset': (v, { segment }) =>
    isInteger(v) && isInteger(segment) && v !== segment && (v - segment) % 900 === 0 && Math.abs(v - segment) <= 14 * 3600,
  // Segment's `companies` without the items that have no company_id.
  "segment's items that have a company_id": (v, { segment }) => {
    if (!Array.isArray(segment)) return false;
    const kept = segment.filter((c) => isObject(c) && c.company_id !== undefined && c.company_id !== null);
    return kept.length === 0 ? v === undefined : same(v, kept);
  },
  // A metadata key left out because Intercom keeps 10: ours has exactly 10 keys, Segment's
  // more, and the key comes after every plain key we kept in the event's properties.
  'left out of 10 metadata keys': (v, { row, events }) => {
    const key = row.field.slice('trackEvent metadata.'.length);
    const kept = metadataKeys(row.oursCall);
    if (v !== undefined || kept.length !== 10 || metadataKeys(row.segmentCall).length <= 10) return false;
    return events.some((e) => {
      const order = Object.keys(at(e, 'properties') ?? {});
      const position = order.indexOf(key);
      return position >= 0 && kept.every((k) => !order.includes(k) || order.indexOf(k) < position);
    });
  },
  // A custom trait (custom_traits or company_custom_traits mapped from the traits) named like
  // the standard field of the row.
  'the trait of the same name': (v, { row, events }) =>
    has(v) && events.some((e) => same(at(e, `traits.${row.field.split(/[ .\]]/).filter(Boolean).at(-1)}`), v)),
  'traits.firstName + " " + traits.lastName': (v, { events }) =>
    typeof v === 'string' && events.some((e) => v === `${at(e, 'traits.firstName') ?? ''} ${at(e, 'traits.lastName') ?? ''}`.trim()),
  // What Intercom's snippet puts in window.intercomSettings, for this App ID.
  'Intercom snippet settings': (v) =>
    isObject(v) && typeof v.app_id === 'string' && v.installation_type === 's' &&
    Object.keys(v).every((k) => ['app_id', 'installation_type', 'api_base', 'custom_launcher_selector'].includes(k)),
};

function compilePattern(text, where) {
  if (typeof text !== 'string') throw new Error(`${where}: a pattern must be a string, got ${JSON.stringify(text)}`);
  if (text.startsWith('= ')) {
    const value = JSON.parse(text.slice(2));
    return (v) => same(v, value);
  }
  if (text.startsWith('input:')) {
    const paths = text.slice(6).split('|');
    return (v, { events }) => has(v) && events.some((e) => paths.some((p) => same(at(e, p), v)));
  }
  const fn = PATTERNS[text];
  if (!fn) throw new Error(`${where}: unknown pattern ${JSON.stringify(text)} (known: ${Object.keys(PATTERNS).join(', ')})`);
  return fn;
}

/** `update company.*` style field patterns: `*` stands for one key or index. */
function compileField(text) {
  const source = text.split('*').map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('[^.\\[\\]]+');
  return new RegExp(`^${source}$`);
}

const asList = (v) => (Array.isArray(v) ? v : [v]);

/**
 * Compiles the rules file: `{rules: [{id, correction, readme, match: [{field, segment, ours,
 * when?}]}]}`. `field`, `segment` and `ours` may be lists (any of them); `when` maps event paths
 * to patterns that one event of the entry must satisfy.
 */
export function compileRules(doc) {
  const ids = new Set();
  return doc.rules.map((rule) => {
    if (!rule.id || ids.has(rule.id)) throw new Error(`rule id missing or repeated: ${rule.id}`);
    ids.add(rule.id);
    if (!rule.correction) throw new Error(`rule ${rule.id}: no correction text`);
    const cases = rule.match.map((m, i) => {
      const where = `rule ${rule.id}, match[${i}]`;
      return {
        fields: asList(m.field).map(compileField),
        segment: asList(m.segment).map((p) => compilePattern(p, where)),
        ours: asList(m.ours).map((p) => compilePattern(p, where)),
        when: Object.entries(m.when ?? {}).map(([path, p]) => [path, compilePattern(p, where)]),
      };
    });
    return { ...rule, cases };
  });
}

/** The first rule that explains the row, or null. */
export function classify(rules, row, events) {
  const ctx = { segment: row.segment, ours: row.ours, row, events };
  for (const rule of rules) {
    for (const c of rule.cases) {
      if (!c.fields.some((re) => re.test(row.field))) continue;
      if (!c.segment.some((p) => p(row.segment, ctx))) continue;
      if (!c.ours.some((p) => p(row.ours, ctx))) continue;
      if (!c.when.every(([path, p]) => events.some((e) => p(at(e, path), { ...ctx, segment: at(e, path) })))) continue;
      return rule;
    }
  }
  return null;
}

/** A plain-text table; long cells are cut to `width` characters. */
export function table(header, rows, width = 60) {
  const cut = (s) => (s.length > width ? `${s.slice(0, width - 1)}…` : s);
  const cells = [header, ...rows].map((r) => r.map((c) => cut(String(c))));
  const widths = header.map((_, i) => Math.max(...cells.map((r) => r[i].length)));
  const line = (r) => r.map((c, i) => c.padEnd(widths[i])).join(' | ').trimEnd();
  return [line(cells[0]), widths.map((w) => '-'.repeat(w)).join('-|-'), ...cells.slice(1).map(line)].join('\n');
}
