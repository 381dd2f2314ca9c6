// The JavaScript side of the browser shell (src/shell/): the plugin objects, reading events,
// and doing what the core decides. The decisions stay in Rust; an event costs one call into the
// wasm, which takes the event as a tape (see src/engine/tape.rs) and answers with what to do, as JSON
// text. Nothing here throws into analytics.js: every outside value is read in a `try`.

// `ignoreBOM`: a text that starts with U+FEFF keeps it (by default the decoder drops it, so
// `JSON.parse` accepted settings text that is not JSON, and case mapping lost the character).
const decoder = new TextDecoder('utf-8', { ignoreBOM: true });
const hasOwn = (v, k) => Object.prototype.hasOwnProperty.call(v, k);
/** This module's exports (src/shell/mod.rs), from the last `makePlugins`. */
let wasm;

/** At most this many Intercom calls wait in the stub queue for the widget to load. */
const MAX_WAITING_CALLS = 20000;
/** At most this many events are remembered with the session they were created in. */
const MAX_STAMPS = 10000;

/**
 * The analytics.js destination plugin of one factory call, for `settings` (`settingsBytes`:
 * their `settingsTape`, if read earlier), in an array: `[]` when the settings are invalid (the
 * reason is on the console). One plugin runs every action, so that Intercom receives the calls
 * in the order analytics.js received the events. `wasm` is this module's exports
 * (src/shell/mod.rs): `input(len)` is where a tape goes, `create`, `event`, `load` and
 * `reset` answer at `output()`. Every event method resolves with the context, and anything
 * thrown (a bug) becomes a warning on the context.
 *
 * The session fence: analytics.js emits `dispatch_start` when an event is created and `reset`
 * when `reset()` is called, both at once, but delivers events later. Each event is stamped with
 * the number of resets before it; an event that arrives after a later reset belongs to a
 * session that has ended, and is dropped with a warning, so that a logged-out user's data never
 * reaches the next visitor's Messenger session.
 */
export function makePlugins(settings, exports, settingsBytes = settingsTape(settings)) {
  wasm = exports;
  const [[id, debug, name, version, readsByType, messengerEvents], ...messages] = take(wasm.create(give(settingsBytes)));
  perform(messages);
  if (id === null) return [];
  let widget; // the widget load of `startWidget`, once `load` ran
  let analytics; // the analytics.js instance that loaded the plugin
  const messenger = messengerEvents && messengerCallbacks(messengerEvents, name, debug, () => analytics);
  /** Our own shutdown retires the Messenger callbacks; our boot registers them again. */
  const around = messenger && { before: (m) => m === 'shutdown' && messenger.retire(), after: (m) => m === 'boot' && messenger.register() };
  let resets = 0;
  /** The number of resets before each event analytics.js created, by messageId. */
  const stamps = new Map();
  /** Events waiting while one is processed (an event sent from inside another). */
  const waiting = [];
  let busy = false;

  const onDispatch = (ctx) => {
    try {
      const event = ctx.event;
      const messageId = ownValue(event, 'messageId');
      if (typeof messageId !== 'string') return;
      // An event switched off for this destination never comes: nothing to remember.
      const switches = ownValue(event, 'integrations');
      const mine = ownValue(switches, name);
      if (mine === false || (mine === undefined && ownValue(switches, 'All') === false)) return;
      stamps.set(messageId, resets);
      if (stamps.size > MAX_STAMPS) stamps.delete(stamps.keys().next().value);
    } catch {
      // an event that cannot be read belongs to the current session
    }
  };
  const onReset = () => {
    resets += 1;
    perform(take(wasm.reset(id)), undefined, `${name}: reset`, true, around);
  };
  const handle = (ctx) => {
    let event;
    try {
      event = ctx.event;
    } catch {
      // read again (and reported) by readEvent
    }
    const messageId = ownValue(event, 'messageId');
    const created = stamps.get(messageId);
    if (created !== undefined) stamps.delete(messageId);
    if (created !== undefined && created < resets) {
      logTo(ctx, 'warn', `${name}: not sent: the event was created before analytics.reset(), and its session has ended`, debug);
      return;
    }
    if (widget?.failed) {
      logTo(ctx, 'debug', `${name}: not sent: ${widget.failed}`, debug);
      return;
    }
    const tape = readEvent(event, readsByType);
    if (tape === undefined) return;
    const answer = take(wasm.event(id, give(tape), Date.now(), performance.now()));
    if (widget && !widget.loaded && waitingCalls() + answer.length > MAX_WAITING_CALLS) {
      logTo(ctx, 'debug', `${name}: not sent: ${MAX_WAITING_CALLS} Intercom calls already wait for the widget to load`, debug);
      return;
    }
    perform(answer, ctx, name, debug, around);
  };
  const method = (ctx) => {
    waiting.push(ctx);
    // Sent from inside another event (a getter or an Intercom callback calling the plugin):
    // processed when that one is done.
    if (busy) return Promise.resolve(ctx);
    busy = true;
    try {
      while (waiting.length > 0) {
        const next = waiting.shift();
        try {
          handle(next);
        } catch (e) {
          logTo(next, 'warn', `${name}: ${describeError(e)}`, false);
        }
      }
    } finally {
      busy = false;
    }
    return Promise.resolve(ctx);
  };
  return [{
    name,
    type: 'destination',
    version,
    alternativeNames: [],
    isLoaded: () => widget !== undefined,
    // Resolves once the stub queue and the boot call are in place, as Intercom's snippet
    // does; never rejects: a widget that cannot load is one console warning (startWidget),
    // and the events after it are dropped with a debug note.
    load: (ctx, instance) => {
      if (widget === undefined) {
        analytics = instance;
        listen(instance, 'dispatch_start', onDispatch);
        listen(instance, 'reset', onReset);
        widget = perform(take(wasm.load(id)));
        messenger?.register();
      }
      return Promise.resolve();
    },
    ready: () => Promise.resolve(true),
    track: method,
    identify: method,
    page: method,
    group: method,
    alias: method,
    screen: method,
  }];
}

/** Copies a tape into the wasm memory for the next call; its length. */
function give(tape) {
  const n = tape.length;
  const at = wasm.input(n);
  new Uint8Array(wasm.memory.buffer, at, n).set(tape);
  return n;
}

/** The answer of the last call: `n` bytes of JSON text at `output()`. */
function take(n) {
  return n ? JSON.parse(decoder.decode(new Uint8Array(wasm.memory.buffer, wasm.output(), n))) : [];
}

/**
 * Does what an answer of the core says, in order (src/shell/mod.rs, `Entry`): an array that
 * starts with a method name is an Intercom call, `[0 | 1, text]` a warning or debug note on
 * `ctx` (with `prefix`; also on the console with `toConsole`), `[2 | 3, text]` a console
 * warning or error, `[4, spec, boot]` the widget load (returned). `around` (optional) is told
 * `before` and `after` each Intercom call, by method name.
 */
function perform(entries, ctx, prefix, toConsole, around) {
  let started;
  for (const entry of entries) {
    const kind = entry[0];
    if (typeof kind === 'string') {
      around?.before(kind);
      const failed = applyIntercom(entry);
      if (failed !== undefined) logTo(ctx, 'warn', `${prefix}: Intercom('${kind}') failed: ${failed}`, toConsole);
      around?.after(kind);
    } else if (kind === Entry.Warn || kind === Entry.Debug) {
      logTo(ctx, kind === Entry.Debug ? 'debug' : 'warn', `${prefix}: ${entry[1]}`, toConsole);
    } else if (kind === Entry.ConsoleWarn || kind === Entry.ConsoleError) {
      logTo(undefined, kind === Entry.ConsoleWarn ? 'warn' : 'error', entry[1], true);
    } else if (kind === Entry.Load) {
      started = startWidget(entry[1], entry[2]);
    }
  }
  return started;
}

/** A tape's value tags and flag bits (src/engine/tape.rs, `Tag` and `Flag`; checked by tests/web.rs). */
export const Tag = Object.freeze({ Null: 0, False: 1, True: 2, Number: 3, String: 5, Array: 6, Object: 7 });
export const Flag = Object.freeze({ LoneSurrogates: 1, Error: 2, Notes: 4 });

/** The kinds of answer entries (src/shell/mod.rs, `Entry`; checked by tests/web.rs). */
export const Entry = Object.freeze({ Warn: 0, Debug: 1, ConsoleWarn: 2, ConsoleError: 3, Load: 4 });

/** The plugin (of one factory call) that registered the Messenger callbacks on this page. */
let messengerOwner;

/**
 * The Messenger's own events as analytics.js `track` events (setting `messengerEvents`):
 * `names` maps an Intercom callback (`onShow`, `onHide`, `onUnreadCountChange`,
 * `onUserEmailSupplied`) to the event name. Each event is sent through the analytics.js
 * instance that loaded the plugin, switched off for this destination (`integrations`), so it
 * reaches every other destination and never comes back to Intercom.
 *
 * `register()` registers the callbacks (once per page: the first plugin to do so owns them);
 * `retire()` makes those registered so far send nothing, so that a state change caused by our
 * own `shutdown` is not reported and a callback registered again after the next `boot` sends
 * exactly once, whether Intercom replaces its handlers or adds to them.
 */
function messengerCallbacks(names, name, debug, analytics) {
  const self = {};
  let generation = 0;
  let warned = false;
  const warnOnce = (text) => {
    if (warned) return;
    warned = true;
    logTo(undefined, 'warn', `${name}: messengerEvents: ${text}`, true);
  };
  const send = (event, properties) => {
    const instance = analytics();
    let track;
    try {
      track = instance?.track;
    } catch {
      // read below as missing
    }
    if (typeof track !== 'function') {
      warnOnce(`"${event}" not sent: the plugin was loaded without an analytics.js instance`);
      return;
    }
    try {
      const sent = track.call(instance, event, properties, { integrations: { [name]: false } });
      if (sent && typeof sent.then === 'function') sent.then(undefined, (e) => warnOnce(`analytics.track("${event}") failed: ${describeError(e)}`));
    } catch (e) {
      warnOnce(`analytics.track("${event}") failed: ${describeError(e)}`);
    }
  };
  self.register = () => {
    if (messengerOwner !== undefined && messengerOwner !== self) {
      logTo(undefined, 'debug', `${name}: messengerEvents: another plugin on this page already sends the Messenger's events`, debug);
      return;
    }
    messengerOwner = self;
    const mine = ++generation;
    for (const callback of Object.keys(names)) {
      const event = names[callback];
      const handler = callback === 'onUnreadCountChange'
        ? (count) => mine === generation && send(event, { unread_count: typeof count === 'number' ? count : Number(count) || 0 })
        : () => mine === generation && send(event, {});
      const failed = applyIntercom([callback, handler]);
      if (failed !== undefined) warnOnce(`Intercom('${callback}') failed: ${failed}`);
    }
  };
  self.retire = () => {
    generation += 1;
  };
  return self;
}

/** `analytics.on(name, fn)`, if `analytics` has an `on` method; whether it listens. */
function listen(analytics, name, fn) {
  let on;
  try {
    on = analytics.on;
  } catch {
    return false; // no analytics object (a plugin loaded by hand)
  }
  if (typeof on !== 'function') return false;
  try {
    on.call(analytics, name, fn);
  } catch {
    // analytics.js refused the listener: the plugins work without it
  }
  return true;
}

/**
 * A message on the analytics.js context (`ctx.log(level, text)`, if it has one) and, with
 * `toConsole`, on the console (`level` is warn, error or debug).
 */
function logTo(ctx, level, text, toConsole) {
  try {
    if (typeof ctx?.log === 'function') ctx.log(level, text);
  } catch {
    // a throwing logger must not stop the plugin
  }
  if (toConsole && typeof console !== 'undefined') console[level](text);
}

// The engine's host functions (src/engine/host/browser.rs), which wasm-bindgen calls with
// strings and gives bytes back.

/** The engine's text of a number (the shortest that reads back the same). */
export function floatText(v) {
  return String(v);
}

/** Lower- or upper-cases with the engine's full Unicode rules. */
export function toCase(text, upper) {
  return upper ? text.toUpperCase() : text.toLowerCase();
}

/**
 * The tape (see src/engine/tape.rs) of the parts of `event` that its type's reads name, for the core
 * to read; undefined when no subscription can run on an event of its type. `readsByType` maps
 * an event type (`""`: any other) to `false` (nothing to do), `null` (the whole value) or
 * `[key, reads, key, reads, ...]`.
 */
function readEvent(event, readsByType) {
  let type;
  try {
    type = event.type;
  } catch {
    // no readable type: read as any other type
  }
  const reads = typeof type === 'string' && hasOwn(readsByType, type) ? readsByType[type] : readsByType[''];
  return reads === false ? undefined : tape(event, reads, 'event');
}

/** `v[k]` if it is `v`'s own property (never one it inherits), else undefined; never throws. */
function ownValue(v, k) {
  try {
    return v !== null && typeof v === 'object' && hasOwn(v, k) ? v[k] : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The tape of the settings, read as events are: a copy, which stays valid. The factories read
 * the settings when they are called, while the module is fetched (the main thread waits then).
 */
export function settingsTape(settings) {
  return tape(settings, null, 'settings').slice();
}

/**
 * The tape of `JSON.parse(text)`, for the core (which has no JSON parser of its own); when the
 * text is not JSON, an error tape with the engine's message. (wasm-bindgen copies the tape into
 * the module's memory as soon as this returns, so the shared buffer needs no copy here.)
 */
export function parseJson(text) {
  let value;
  try {
    value = JSON.parse(text);
  } catch (e) {
    return failed(describeError(e));
  }
  return tape(value, null, 'value');
}

/** At most this many values of one event are read. */
const MAX_VALUES = 200000;
/** Deeper containers become null (the core's `event::MAX_DEPTH`). */
const MAX_DEPTH = 64;

// The tape being written: `out[0]` holds its flags (`Flag`: lone surrogates replaced by U+FFFD,
// an error message instead of a value, notes after the value: a count, then a path and a
// reason for each).
let out = new Uint8Array(4096);
let view = new DataView(out.buffer);
let at = 0;
/** What was left out or changed, as `[path, reason]`. */
let notes = [];
let values = 0;
/** Whether a tape is being written (a getter may call in again). */
let writing = false;
/** The containers and keys from the root to the value being read (for cycles and paths). */
const parents = [];
const keys = [];
const utf8 = new TextEncoder();
const wellFormed = ''.isWellFormed ? (s) => s.isWellFormed() : (s) => !/\p{Cs}/u.test(s);

/**
 * `value` as a tape, read as `JSON.stringify` reads it (`toJSON`, own enumerable keys, no
 * undefined or functions, non-finite numbers as null) but only the parts `reads` names, and
 * never throwing: a getter or `toJSON` that throws, a cycle, or a container past depth 64 is
 * left out (null in arrays) and a BigInt becomes a string, each with a note naming its path
 * under `root`. Valid until the next call.
 */
function tape(value, reads, root) {
  if (writing) return nestedTape(value, reads, root);
  writing = true;
  try {
    return writeTape(value, reads, root);
  } finally {
    writing = false;
  }
}

/**
 * A tape written while another is (a getter of the outer value that calls the factory): in a
 * buffer of its own, the outer one's state put back afterwards. A copy, which stays valid.
 */
function nestedTape(value, reads, root) {
  const outer = [out, view, at, notes, values, parents.slice(), keys.slice()];
  out = new Uint8Array(4096);
  view = new DataView(out.buffer);
  try {
    return writeTape(value, reads, root).slice();
  } finally {
    let savedParents, savedKeys;
    [out, view, at, notes, values, savedParents, savedKeys] = outer;
    parents.length = 0;
    parents.push(...savedParents);
    keys.length = 0;
    keys.push(...savedKeys);
  }
}

function writeTape(value, reads, root) {
  if (out.length > 1 << 20) {
    // the buffer of a huge event is not kept
    out = new Uint8Array(4096);
    view = new DataView(out.buffer);
  }
  at = 1;
  out[0] = 0;
  notes = [];
  values = 0;
  keys[0] = root;
  let ok;
  try {
    ok = put(value, reads, '', 0);
  } catch (e) {
    return failed(`${root} could not be read: ${describeError(e)}`); // never seen
  }
  if (!ok) return failed(value === undefined ? `${root} is undefined` : `${root} could not be read`);
  if (notes.length > 0) {
    out[0] |= Flag.Notes;
    room(4);
    view.setUint32(at, notes.length, true);
    at += 4;
    for (const [path, why] of notes) {
      putString(path);
      putString(why);
    }
  }
  return out.subarray(0, at);
}

function failed(message) {
  const text = utf8.encode(message);
  const error = new Uint8Array(text.length + 1);
  error[0] = Flag.Error;
  error.set(text, 1);
  return error;
}

function note(depth, why) {
  let path = keys[0];
  for (let i = 1; i <= depth; i++) {
    path += typeof keys[i] === 'number' ? `[${keys[i]}]` : `.${keys[i]}`;
  }
  notes.push([path, why]);
}

function room(n) {
  if (at + n <= out.length) return;
  const bigger = new Uint8Array(Math.max(out.length * 2, at + n));
  bigger.set(out.subarray(0, at));
  out = bigger;
  view = new DataView(out.buffer);
}

/** A string without its tag: byte length, then UTF-8 (lone surrogates as U+FFFD, flagged). */
function putString(s) {
  const n = s.length;
  room(4 + 3 * n);
  const start = at + 4;
  let i = 0;
  if (n < 64) {
    for (; i < n; i++) {
      const c = s.charCodeAt(i);
      if (c > 0x7f) break;
      out[start + i] = c;
    }
  }
  let len = n;
  if (i < n) {
    if (!wellFormed(s)) out[0] |= Flag.LoneSurrogates;
    len = utf8.encodeInto(s, out.subarray(start)).written;
  }
  view.setUint32(at, len, true);
  at = start + len;
}

/** `v[k]`, or `THREW` (the error in `thrown`). */
const THREW = {};
let thrown;
function read(v, k) {
  try {
    return v[k];
  } catch (e) {
    thrown = e;
    return THREW;
  }
}

/**
 * `v[k]` when `k` is `v`'s own property, else undefined (an event is plain data: a value it
 * inherits, such as one that `__proto__` in parsed JSON put on its prototype, is not read);
 * `THREW` when a proxy or getter throws.
 */
function readOwn(v, k) {
  try {
    return hasOwn(v, k) ? v[k] : undefined;
  } catch (e) {
    thrown = e;
    return THREW;
  }
}

/**
 * Writes `v` (the value at `keys[depth]`: tag and value); false when it is left out (it has no
 * JSON value, or reading it failed).
 */
function put(v, reads, key, depth) {
  if (++values >= MAX_VALUES) {
    if (values === MAX_VALUES) note(depth, `left out: the event has more than ${MAX_VALUES} values`);
    return false;
  }
  if (v !== null && typeof v === 'object') {
    const toJson = read(v, 'toJSON');
    if (typeof toJson === 'function') {
      try {
        v = toJson.call(v, key);
      } catch (e) {
        note(depth, `left out: its toJSON threw: ${describeError(e)}`);
        return false;
      }
      reads = null;
    }
  }
  switch (typeof v) {
    case 'string':
      room(1);
      out[at++] = Tag.String;
      putString(v);
      return true;
    case 'number':
      room(9);
      if (Number.isFinite(v)) {
        out[at++] = Tag.Number;
        view.setFloat64(at, v + 0, true); // -0 as 0, as JSON.stringify writes it
        at += 8;
      } else {
        out[at++] = Tag.Null;
      }
      return true;
    case 'boolean':
      room(1);
      out[at++] = v ? Tag.True : Tag.False;
      return true;
    case 'bigint':
      note(depth, 'a BigInt, sent as a string');
      return put(v.toString(), null, key, depth);
    case 'object':
      break;
    default:
      return false; // undefined, symbols and functions
  }
  room(5);
  if (v === null) {
    out[at++] = Tag.Null;
    return true;
  }
  if (v instanceof Number || v instanceof String || v instanceof Boolean) {
    return put(v.valueOf(), null, key, depth);
  }
  for (let i = 0; i < depth; i++) {
    if (parents[i] === v) {
      note(depth, 'left out: circular reference');
      return false;
    }
  }
  if (depth >= MAX_DEPTH) {
    note(depth, `nested deeper than ${MAX_DEPTH} levels: replaced by null`);
    out[at++] = Tag.Null;
    return true;
  }
  let isArray;
  try {
    isArray = Array.isArray(v);
  } catch (e) {
    note(depth, `left out: it cannot be read: ${describeError(e)}`);
    return false;
  }
  parents[depth] = v;
  const count = at + 1;
  let n = 0;
  if (isArray) {
    out[at] = Tag.Array;
    at += 5;
    const length = read(v, 'length');
    n = length === THREW ? 0 : Math.min(Math.floor(Number(length)) || 0, MAX_VALUES);
    for (let i = 0; i < n; i++) {
      keys[depth + 1] = i;
      const item = readOwn(v, i);
      if (item === THREW) note(depth + 1, `left out: reading it threw: ${describeError(thrown)}`);
      if (item === THREW || !put(item, null, String(i), depth + 1)) {
        room(1);
        out[at++] = Tag.Null;
      }
    }
  } else {
    let names = reads;
    if (names === null) {
      try {
        names = Object.keys(v);
      } catch (e) {
        note(depth, `left out: listing its keys threw: ${describeError(e)}`);
        return false;
      }
    }
    out[at] = Tag.Object;
    at += 5;
    const step = reads === null ? 1 : 2;
    for (let i = 0; i < names.length; i += step) {
      const k = names[i];
      keys[depth + 1] = k;
      const child = readOwn(v, k);
      if (child === THREW) {
        note(depth + 1, `left out: reading it threw: ${describeError(thrown)}`);
        continue;
      }
      if (child === undefined) continue;
      const mark = at;
      putString(k);
      if (put(child, reads === null ? null : reads[i + 1], k, depth + 1)) n++;
      else at = mark;
    }
  }
  parents[depth] = undefined;
  view.setUint32(count, n < 0 ? 0 : n, true);
  return true;
}

/** `window.Intercom(...args)`: undefined, or the message of what went wrong. */
function applyIntercom(args) {
  const intercom = globalThis.Intercom;
  if (typeof intercom !== 'function') return 'window.Intercom is not a function';
  try {
    intercom.apply(null, args);
    return undefined;
  } catch (e) {
    return describeError(e);
  }
}

/** The widget loads of this page (of this copy of the module), by script URL. */
const loads = new Map();

/**
 * Loads the Intercom Messenger the way Intercom's snippet does (src/shell/loader.rs decides
 * what to load, and with which settings and boot call): `window.intercomSettings`, the stub
 * queue that takes the boot call and every call after it until the widget replaces it, and one
 * async script. One load per script URL: later calls get the same one, until a load fails (then
 * the next factory call tries again). `options` has `url`, `settings` (merged into
 * `window.intercomSettings`), `richLinkProperties`, `nonce`, `timeoutMs`, `stubMark` and
 * `bootFailed`; `boot` is the boot call's arguments.
 *
 * Intercom already on the page (the page's own widget, or the stub of its own snippet with a
 * `boot` call waiting) is joined as Intercom's snippet joins it when it runs a second time:
 * `reattach_activator`, then `update` with the settings, and no `boot`. Segment's plugin boots
 * again there, which ends the page's Messenger session: the signed-in user would become an
 * anonymous visitor until the next identify.
 *
 * Once `window.Intercom` is the real widget, it gets `appId`, `activator` and
 * `richLinkProperties`, as Segment's plugin leaves them for the page's own scripts.
 *
 * Returns the load: `loaded` becomes true when `window.Intercom` is the real widget; `failed`
 * becomes the reason when it cannot load (one console warning names the cause: the network or
 * a content blocker, the page's Content-Security-Policy, an HTTP error such as a wrong App ID,
 * or the time limit), and the calls waiting in the stub queue are dropped.
 */
function startWidget(options, boot) {
  let load = loads.get(options.url);
  if (load) return load;
  load = { loaded: false, failed: undefined };
  loads.set(options.url, load);
  const fail = (reason) => {
    if (load.loaded || load.failed) return;
    load.failed = reason;
    if (loads.get(options.url) === load) loads.delete(options.url);
    dropWaitingCalls(options.stubMark);
    logTo(undefined, 'warn', `Intercom Web (Actions): ${reason}`, true);
  };
  try {
    begin(options, boot, load, fail);
  } catch (e) {
    fail(`the Intercom widget could not be started: ${describeError(e)}`);
  }
  return load;
}

function begin({ url, settings, richLinkProperties, nonce, timeoutMs, stubMark, bootFailed }, boot, load, fail) {
  const existing = globalThis.intercomSettings;
  const merged = existing instanceof Object ? existing : {};
  for (const key of Object.keys(settings)) {
    try {
      merged[key] = settings[key];
    } catch {
      // a read-only key of the page's own object stays as it is
    }
  }
  setGlobal('intercomSettings', merged);
  const loaded = () => {
    load.loaded = true;
    describeWidget(settings.app_id, settings.custom_launcher_selector, richLinkProperties);
  };
  const intercom = globalThis.Intercom;
  const widget = typeof intercom === 'function' && !isStub(intercom, stubMark);
  if (widget || bootWaits(intercom)) {
    // The page's own Intercom: joined, never booted a second time.
    applyIntercom(['reattach_activator']);
    applyIntercom(['update', merged]);
    if (widget) {
      loaded();
      return;
    }
  } else {
    if (typeof intercom !== 'function') {
      const queue = [];
      const stub = function () {
        queue.push([...arguments]);
      };
      stub.q = queue;
      stub[stubMark] = true;
      setGlobal('Intercom', stub);
    }
    const failed = applyIntercom(boot);
    if (failed !== undefined) {
      fail(bootFailed + failed);
      return;
    }
  }
  loadScript(url, nonce, timeoutMs, stubMark, load, loaded, fail);
}

/** Whether `intercom` is a stub queue that already holds a `boot` call (the page boots). */
function bootWaits(intercom) {
  try {
    const q = typeof intercom === 'function' ? intercom.q : undefined;
    return Array.isArray(q) && q.some((args) => args?.[0] === 'boot');
  } catch {
    return false;
  }
}

/**
 * Sets `window.Intercom.appId`, `.activator` and `.richLinkProperties` (a copy) on the real
 * widget, as Segment's plugin does: page scripts written for it read them.
 */
function describeWidget(appId, activator, richLinkProperties) {
  try {
    const intercom = globalThis.Intercom;
    intercom.appId = appId;
    intercom.activator = activator;
    intercom.richLinkProperties = [...richLinkProperties];
  } catch {
    // a frozen widget keeps its own properties
  }
}

/** `window[name] = value`, unless the page made it read-only (then it stays as it is). */
function setGlobal(name, value) {
  try {
    globalThis[name] = value;
  } catch {
    // a read-only global of the page
  }
}

/** A stub queue: ours (marked `stubMark`), or the one of Intercom's own snippet (a `q` array). */
function isStub(intercom, stubMark) {
  try {
    return Boolean(intercom[stubMark]) || Array.isArray(intercom.q);
  } catch {
    return false;
  }
}

/** How many calls wait in the stub queue (0 when the widget is there). */
function waitingCalls() {
  try {
    const q = globalThis.Intercom?.q;
    return Array.isArray(q) ? q.length : 0;
  } catch {
    return 0;
  }
}

/** Empties our stub's queue: the widget will not come to take the calls. */
function dropWaitingCalls(stubMark) {
  try {
    const intercom = globalThis.Intercom;
    if (typeof intercom === 'function' && intercom[stubMark] && Array.isArray(intercom.q)) intercom.q.length = 0;
  } catch {
    // not ours to empty
  }
}

/**
 * The DOM side: finds the `<script>` of `url` (one per URL, also across instances and module
 * copies) or inserts one, async, before the first script as Intercom's snippet does (else at
 * the end of <head>), with `nonce` if there is one. Calls `loaded` when `window.Intercom` is
 * the real widget, not a stub queue (`load` says whether that or a failure came first): checked
 * at once, at the script's load event, then after 10, 20, 40... ms. Calls `fail` with the cause on the script's error event or after
 * `timeoutMs`; then the script is removed, so that a later load can try again.
 */
function loadScript(url, nonce, timeoutMs, stubMark, load, loaded, fail) {
  let script = null;
  let blockedByPolicy = false;
  const onViolation = (e) => {
    if (typeof e.blockedURI === 'string' && e.blockedURI !== '' && url.startsWith(e.blockedURI)) blockedByPolicy = true;
  };
  const done = () => {
    document.removeEventListener('securitypolicyviolation', onViolation);
  };
  const failWith = (reason) => {
    if (load.loaded || load.failed) return; // the widget came after all: its script stays
    done();
    if (script) script.remove();
    fail(reason);
  };
  const isWidget = () => {
    const f = globalThis.Intercom;
    return typeof f === 'function' && !isStub(f, stubMark);
  };
  const recheck = (delay) => {
    if (load.loaded || load.failed) return;
    if (isWidget()) {
      loaded();
      done();
    } else {
      setTimeout(() => recheck(delay * 2), delay);
    }
  };
  try {
    document.addEventListener('securitypolicyviolation', onViolation);
    script = findOrInsertScript(url, nonce);
  } catch (e) {
    failWith(`the Intercom widget script could not be added to the page: ${describeError(e)}`);
    return;
  }
  if (isWidget()) {
    loaded();
    done();
    return;
  }
  script.addEventListener('load', () => recheck(10));
  script.addEventListener('error', () => {
    // (A widget that came after all, say from another copy of the script, stays.)
    if (load.loaded || load.failed) return;
    // The error event does not say why: ask the server once more, without the script's rules
    // (and give a policy violation, reported in a task of its own, the time to arrive).
    const policy = `the page's Content-Security-Policy blocked the Intercom widget script ${url}: set cspNonce to the nonce of the page's scripts, or allow ${originOf(url)} in its script-src`;
    diagnose(url).then(
      (reason) => failWith(blockedByPolicy ? policy : reason),
      () => failWith(`the Intercom widget could not be loaded from ${url}`),
    );
  });
  setTimeout(() => {
    if (!load.loaded) failWith(`the Intercom widget did not load from ${url} within ${timeoutMs} ms (a slow or blocked network; loadTimeoutMs sets the limit)`);
  }, timeoutMs);
}

function originOf(url) {
  try {
    return new URL(url).origin;
  } catch {
    return url;
  }
}

/** Why the widget script at `url` failed to load, as far as a second request can tell. */
async function diagnose(url) {
  let response;
  try {
    response = await fetch(url, { mode: 'no-cors', credentials: 'omit', cache: 'no-store' });
  } catch {
    return `the Intercom widget could not be loaded from ${url}: the request failed (offline, or blocked by a content blocker or a firewall)`;
  }
  if (response.type !== 'opaque' && !response.ok) {
    return `the Intercom widget could not be loaded from ${url}: the server answered ${response.status} (check appId, and widgetUrl if set)`;
  }
  return `the Intercom widget could not be loaded from ${url} (check appId, and widgetUrl if set; a content blocker may also stop it)`;
}

function findOrInsertScript(url, nonce) {
  if (typeof document === 'undefined') throw new Error('no document: the plugin runs only in a browser page');
  const scripts = document.getElementsByTagName('script');
  for (let i = 0; i < scripts.length; i++) {
    if (scripts[i].getAttribute('src') === url) return scripts[i];
  }
  const script = document.createElement('script');
  script.type = 'text/javascript';
  script.async = true;
  script.src = url;
  if (nonce) script.setAttribute('nonce', nonce);
  const first = scripts[0];
  if (first && first.parentNode) first.parentNode.insertBefore(script, first);
  else (document.head || document.documentElement).appendChild(script);
  return script;
}

/** The message of a thrown JS value. */
function describeError(e) {
  if (e instanceof Error) return String(e.message);
  return typeof e === 'string' ? e : 'unknown error';
}
