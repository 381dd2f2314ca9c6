// Demo page: real @segment/analytics-next (UMD build, window.AnalyticsNext) + the wasm Intercom
// destination from /pkg/index.js, fully offline by default (Intercom's widget is replaced by
// /widget/<appId> = www/stand-in-widget.js). Each analytics call gets a row in the log table
// and every Intercom call that follows it is listed in that row.
//
// DOM only through textContent / createElement (never innerHTML with data).
// The test harness (scripts/demo-test.mjs) reads the table: rows carry data-type, Intercom
// calls carry data-method and data-args (JSON of the arguments after the method name).

const params = new URLSearchParams(location.search);
const appId = params.get('appId') || 'demo1234';
const wantsReal = params.get('real') === '1';
const useReal = wantsReal && params.has('appId'); // the real Messenger needs a real app id

// messengerEvents: what the visitor does in the Messenger comes back as analytics.js events.
const settings = { appId, messengerEvents: true };
if (!useReal) settings.widgetUrl = location.origin + '/widget';

// The analytics calls behind the buttons.
const ACTIONS = {
  identify: {
    args: ['user-42', {
      name: 'Ada Lovelace',
      email: 'ada@example.com',
      plan: 'pro',
      createdAt: '2024-01-15T10:00:00.000Z',
      company: { id: 'company-7', name: 'Acme Inc' },
    }],
    run: (analytics, args) => analytics.identify(...args),
  },
  track: {
    args: ['Order Completed', { order_id: 'ord-1001', revenue: 19.99, currency: 'USD', coupon: 'WELCOME10' }],
    run: (analytics, args) => analytics.track(...args),
  },
  group: {
    args: ['company-7', { name: 'Acme Inc', plan: 'enterprise', employees: 120, industry: 'Manufacturing' }],
    run: (analytics, args) => analytics.group(...args),
  },
  page: {
    args: ['Pricing', { plan_shown: 'pro' }],
    run: (analytics, args) => analytics.page(...args),
  },
  reset: {
    args: [],
    run: (analytics) => analytics.reset(),
  },
};

const $ = (sel) => document.querySelector(sel);
const el = (tag, props = {}, ...children) => {
  const node = Object.assign(document.createElement(tag), props);
  node.append(...children);
  return node;
};

function toJSON(value) {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
const short = (text, max = 220) => (text.length > max ? text.slice(0, max - 1) + '\u2026' : text);
const describe = (v) => (v instanceof Error ? `${v.name}: ${v.message}` : typeof v === 'string' ? v : toJSON(v));

// ---------------------------------------------------------------------------------------------
// Warnings: the plugin's console warnings/errors, analytics-next context logs, page errors.

function addWarning(level, text) {
  const list = $('#warnings');
  list.querySelector('li.none')?.remove();
  list.append(el('li', { className: level, textContent: text }));
}

for (const level of ['warn', 'error']) {
  const original = console[level].bind(console);
  console[level] = (...args) => {
    addWarning(level, `console.${level}: ${args.map(describe).join(' ')}`);
    original(...args);
  };
}
window.addEventListener('error', (e) => addWarning('error', `uncaught: ${e.message}`));
window.addEventListener('unhandledrejection', (e) => addWarning('error', `unhandled rejection: ${describe(e.reason)}`));

/** Shows warn/error entries of an analytics-next Context's log (e.g. "plugin Error"). */
function showContextLogs(label, ctx) {
  if (!ctx || typeof ctx.logs !== 'function') return;
  for (const log of ctx.logs()) {
    if (log.level !== 'warn' && log.level !== 'error') continue;
    const extras = log.extras || {};
    const where = extras.plugin ? ` [${extras.plugin}]` : '';
    const why = extras.error ? `: ${describe(extras.error)}` : '';
    addWarning(log.level, `${label}: ${log.message}${where}${why}`);
  }
  const failed = typeof ctx.failedDelivery === 'function' && ctx.failedDelivery();
  if (failed) addWarning('error', `${label}: delivery failed: ${describe(failed.reason)}`);
}

// ---------------------------------------------------------------------------------------------
// The log table.

let rowCount = 0;
let currentRow = null; // Intercom calls are attributed to the latest analytics call

function addRow(type, payload) {
  const text = payload === undefined ? '' : toJSON(payload);
  const calls = el('ul', { className: 'calls' }, el('li', { className: 'none', textContent: 'waiting\u2026' }));
  const row = el('tr', { className: 'pending' },
    el('td', { textContent: String(++rowCount) }),
    el('td', { className: 'type', textContent: type }),
    el('td', { className: 'payload', textContent: short(text), title: text }),
    el('td', {}, calls));
  row.dataset.type = type;
  $('#log tbody').append(row);
  currentRow = row;
  return row;
}

function finishRow(row) {
  row.classList.remove('pending');
  row.dataset.done = 'true';
  const none = row.querySelector('li.none');
  if (none) none.textContent = 'no Intercom call';
}

function addIntercomCall(record) {
  const row = currentRow;
  if (!row) return;
  row.querySelector('li.none')?.remove();
  const args = toJSON(record.args);
  const item = el('li', { title: args },
    el('span', { className: 'method', textContent: record.method }),
    ' ' + short(args, 400));
  if (record.note) item.append(' ', el('span', { className: 'note', textContent: `(${record.note})` }));
  item.dataset.method = record.method;
  item.dataset.args = args;
  row.querySelector('ul.calls').append(item);
}

// ---------------------------------------------------------------------------------------------
// Messenger state panel.

let plugins = [];

function renderState() {
  const fake = window.__intercomState; // only with the stand-in widget
  const api = window.Intercom;
  const entries = [
    ['mode', useReal ? 'real Intercom Messenger' : 'offline stand-in widget'],
    ['app id', appId],
    ['plugins', plugins.map((p) => `${p.name.replace('Intercom Web (Actions) ', '')}${p.isLoaded() ? '' : ' (loading)'}`).join(', ') || '-'],
    ['booted', String(fake ? fake.booted : Boolean(typeof api === 'function' && api.booted))],
  ];
  if (fake) {
    entries.push(
      ['user', Object.keys(fake.user).length ? toJSON(fake.user) : '-'],
      ['company', fake.company ? toJSON(fake.company) : '-'],
      ['events', fake.events.length ? fake.events.join(', ') : '-'],
    );
  }
  $('#state').replaceChildren(...entries.flatMap(([k, v]) => [el('dt', { textContent: k }), el('dd', { textContent: v })]));
}

window.addEventListener('intercom-call', (e) => {
  addIntercomCall(e.detail);
  renderState();
});

/**
 * With the real Messenger there is no recording stand-in: once the widget has replaced the
 * stub, wrap window.Intercom in a Proxy that emits the same 'intercom-call' events. Calls made
 * before that (e.g. boot) are not captured.
 */
function tapRealIntercom() {
  const api = window.Intercom;
  if (typeof api !== 'function' || api.__standIn || api.__demoTap) return;
  window.Intercom = new Proxy(api, {
    apply(target, thisArg, args) {
      const detail = { method: String(args[0]), args: JSON.parse(toJSON(args.slice(1))) };
      window.dispatchEvent(new CustomEvent('intercom-call', { detail }));
      return Reflect.apply(target, thisArg, args);
    },
    get: (target, key) => (key === '__demoTap' ? true : Reflect.get(target, key)),
  });
}

function setStatus(state, text) {
  const status = $('#status');
  status.dataset.state = state;
  status.textContent = text;
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// ---------------------------------------------------------------------------------------------

async function main() {
  if (wantsReal && !useReal) addWarning('warn', '?real=1 needs ?appId=<your app id>: using the offline stand-in widget');
  const loadRow = addRow('load', settings);
  renderState();

  if (!window.AnalyticsNext) throw new Error('analytics-next did not load (run npm install)');
  const { AnalyticsBrowser } = window.AnalyticsNext;

  let intercomDestination;
  try {
    ({ default: intercomDestination } = await import('/pkg/index.js'));
  } catch (err) {
    throw new Error(`cannot import /pkg/index.js (build the plugin first): ${describe(err)}`);
  }

  plugins = await intercomDestination(settings);
  const [analytics, ctx] = await AnalyticsBrowser.load(
    {
      writeKey: 'demo',
      // Settings inline instead of fetched from Segment's CDN: no remote destinations, no metrics.
      cdnSettings: { integrations: {}, metrics: { sampleRate: 0 }, remotePlugins: [] },
      plugins,
    },
    { integrations: { 'Segment.io': false } }, // nothing is sent to Segment
  );
  showContextLogs('load', ctx);
  window.demo = { analytics, plugins, settings };
  // The Messenger's events (messengerEvents), sent by the plugin through analytics.js to every
  // other destination: a row each, whose Intercom column must stay empty.
  const messengerEvents = ['Intercom Messenger Opened', 'Intercom Messenger Closed', 'Intercom Unread Count Changed', 'Intercom Email Supplied'];
  analytics.on('track', (event, properties) => {
    if (!messengerEvents.includes(event)) return;
    const row = addRow('messenger', [event, properties]);
    setTimeout(() => finishRow(row), 50);
  });

  // The plugin's load resolves once Intercom's stub queue holds the boot call: wait for the
  // widget itself here, so that its boot is listed under "load" before the buttons are enabled.
  const widgetIsThere = () => typeof window.Intercom === 'function' && !Array.isArray(window.Intercom.q);
  const deadline = Date.now() + (settings.loadTimeoutMs ?? 10000) + 2000;
  while (!(plugins.every((p) => p.isLoaded()) && widgetIsThere()) && Date.now() < deadline) await sleep(50);
  const loaded = plugins.length > 0 && plugins.every((p) => p.isLoaded()) && widgetIsThere();
  if (useReal && loaded) tapRealIntercom();
  finishRow(loadRow);
  renderState();

  // What a visitor does in the stand-in Messenger (the real one has its own launcher).
  const standIn = window.__intercomStandIn;
  if (standIn) {
    let unread = 0;
    for (const [id, act] of [['open', () => standIn.open()], ['close', () => standIn.close()], ['unread', () => standIn.setUnreadCount(++unread)]]) {
      const button = $(`#btn-${id}`);
      button.disabled = false;
      button.addEventListener('click', act);
    }
  }

  let queue = Promise.resolve(); // one analytics call at a time, so attribution stays exact
  for (const [type, action] of Object.entries(ACTIONS)) {
    const button = $(`#btn-${type}`);
    button.disabled = false;
    button.addEventListener('click', () => {
      queue = queue.then(async () => {
        const row = addRow(type, action.args.length ? action.args : undefined);
        try {
          const result = await action.run(analytics, structuredClone(action.args));
          showContextLogs(type, result);
        } catch (err) {
          addWarning('error', `${type} failed: ${describe(err)}`);
        }
        await sleep(0); // let synchronous follow-up calls land in this row
        finishRow(row);
        renderState();
      });
    });
  }

  if (loaded) {
    setStatus('ready', `Ready: ${plugins.length} plugin(s) loaded, ${useReal ? 'real Intercom Messenger' : 'offline stand-in widget'}.`);
  } else {
    setStatus('error', 'The Intercom widget did not load in time (see warnings); calls may be dropped.');
    addWarning('warn', plugins.length ? 'the Intercom widget did not replace its stub queue' : 'no plugin: see the console');
  }
}

main().catch((err) => {
  setStatus('error', `Failed: ${describe(err)}`);
  console.error(err); // also listed under Warnings by the console hook above
});
