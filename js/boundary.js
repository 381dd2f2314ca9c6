// The per-event hot path of the browser shell (src/browser/messenger.rs), in plain JavaScript:
// every property read or call made from WebAssembly crosses the JS/wasm boundary, so reading
// an event there costs dozens of crossings. Here an event costs one call in and one call out.
// The decisions stay in Rust: these functions only read and call what Rust tells them to.

/** `JSON.parse`, for what the Rust side sends as one text (one call instead of many). */
export function parseSpec(text) {
  return JSON.parse(text);
}

/**
 * An analytics.js destination plugin (the contract's fields and methods). `handle(ctx)` runs
 * the action on an event and never throws; every event method resolves with the context.
 * `alternativeNames` makes per-event `integrations` switches on the destination's name reach
 * the plugins of every action.
 */
export function makePlugin(name, alternativeName, version, isLoaded, load, handle) {
  const method = (ctx) => {
    handle(ctx);
    return Promise.resolve(ctx);
  };
  return {
    name,
    type: 'destination',
    version,
    alternativeNames: [alternativeName],
    isLoaded,
    load,
    ready: () => Promise.resolve(true),
    track: method,
    identify: method,
    page: method,
    group: method,
    alias: method,
  };
}

/**
 * The JSON text of the parts of `ctx.event` that `spec` names, for the core to parse.
 * `spec` is `[reads, types]`: `reads` is null (the whole value) or `[key, reads, key, reads,
 * ...]`; `types` is null (any event type) or the event types the action runs on.
 * Returns "" when the event's type is not one of `types` (nothing to do), and undefined when
 * anything throws (a getter, `toJSON`, a cycle, a BigInt): the Rust side then reads the event
 * carefully and says what it left out.
 */
export function readEvent(ctx, [reads, types]) {
  try {
    const event = ctx.event;
    if (types !== null && !types.includes(event.type)) return '';
    return JSON.stringify(pick(event, reads));
  } catch {
    return undefined;
  }
}

/** A plain object with only the keys `reads` names; values that are not plain objects as they are. */
function pick(value, reads) {
  if (reads === null || typeof value !== 'object' || value === null || Array.isArray(value)
    || typeof value.toJSON === 'function') {
    return value;
  }
  const out = {};
  for (let i = 0; i < reads.length; i += 2) {
    const key = reads[i];
    const v = value[key];
    if (v === undefined) continue;
    if (key === '__proto__') {
      // An own data property, not the prototype: keys stay data.
      Object.defineProperty(out, key, { value: pick(v, reads[i + 1]), enumerable: true, writable: true, configurable: true });
    } else {
      out[key] = pick(v, reads[i + 1]);
    }
  }
  return out;
}

/**
 * `window.Intercom(...JSON.parse(args))`. JSON.parse builds the arguments, so keys such as
 * `__proto__` stay plain data. Returns undefined, or the message of what went wrong.
 */
export function callIntercom(args) {
  const intercom = globalThis.Intercom;
  if (typeof intercom !== 'function') return 'window.Intercom is not a function';
  try {
    intercom.apply(null, JSON.parse(args));
    return undefined;
  } catch (e) {
    return describeError(e);
  }
}

/** The message of a thrown JS value. */
export function describeError(e) {
  if (e instanceof Error) return String(e.message);
  return typeof e === 'string' ? e : 'unknown error';
}
