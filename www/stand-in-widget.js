/*
 * Offline stand-in for Intercom's widget script (https://widget.intercom.io/widget/<appId>).
 *
 * scripts/serve.mjs serves this file for every /widget/<anything> URL, so the plugin can be
 * pointed at it with `widgetUrl: location.origin + "/widget"`. It makes no network requests.
 *
 * Like the real widget it replaces the stub `window.Intercom` (a function whose `.q` holds
 * the queued calls) with the real API and replays the queue in order. This one only records:
 *   - window.__intercomCalls: every call as {method, args} (args deep-copied via JSON, so a
 *     later mutation by the caller does not change the record);
 *   - a window 'intercom-call' CustomEvent per call, with the record as `detail`;
 *   - window.__intercomState: a tiny fake messenger (booted flag, app id, user, company, ...).
 */
(function () {
  'use strict';

  var previous = window.Intercom;
  if (typeof previous === 'function' && previous.__standIn) return; // executed twice: keep the first

  // Queued calls of the stub. Entries are `arguments` objects or arrays: copy as array-likes.
  var queued = [];
  if (typeof previous === 'function' && previous.q && typeof previous.q.length === 'number') {
    for (var i = 0; i < previous.q.length; i++) queued.push(Array.prototype.slice.call(previous.q[i]));
  }

  var calls = (window.__intercomCalls = window.__intercomCalls || []);
  var state = (window.__intercomState = {
    booted: false,
    appId: null,
    user: {}, // attributes from boot/update (without `company`)
    company: null, // last `company` sent with boot/update
    events: [], // names passed to trackEvent
    visible: false,
  });
  var visitorId = 'stand-in-visitor-' + Math.random().toString(36).slice(2, 10);

  function copy(value) {
    try {
      var json = JSON.stringify(value);
      return json === undefined ? null : JSON.parse(json);
    } catch (e) {
      return String(value); // e.g. circular structures
    }
  }

  // Messenger settings, not user data.
  var BOOT_SETTINGS = ['app_id', 'api_base', 'installation_type', 'custom_launcher_selector', 'hide_default_launcher', 'widget'];

  // Data settings as accepted by boot/update: fold them into the fake messenger state.
  function applyAttributes(attrs) {
    if (!attrs || typeof attrs !== 'object') return;
    for (var key in attrs) {
      if (!Object.prototype.hasOwnProperty.call(attrs, key)) continue;
      if (key === 'company') state.company = copy(attrs.company);
      else if (!BOOT_SETTINGS.includes(key)) state.user[key] = copy(attrs[key]);
    }
  }

  // The Messenger's callbacks (onShow, onHide, onUnreadCountChange, onUserEmailSupplied): one
  // handler each, replaced by a later registration, and forgotten at shutdown (so a page must
  // register them again after the next boot).
  var handlers = {};
  function fire(name, arg) {
    var handler = handlers[name];
    if (typeof handler === 'function') handler(arg);
  }
  function setVisible(visible) {
    if (state.visible === visible) return;
    state.visible = visible;
    fire(visible ? 'onShow' : 'onHide');
  }
  // Test and demo controls: what a visitor would do in the Messenger.
  window.__intercomStandIn = {
    open: function () { if (state.booted) setVisible(true); },
    close: function () { setVisible(false); },
    setUnreadCount: function (n) { state.unread = n; fire('onUnreadCountChange', n); },
    supplyEmail: function (email) { state.user.email = email; fire('onUserEmailSupplied'); },
    handlers: function () { return Object.keys(handlers).filter(function (k) { return typeof handlers[k] === 'function'; }).sort(); },
  };

  // The fake messenger: returns a note when the call would be ignored by the real one.
  function handle(method, args) {
    switch (method) {
      case 'onShow':
      case 'onHide':
      case 'onUnreadCountChange':
      case 'onUserEmailSupplied':
        handlers[method] = args[0];
        return undefined;
      case 'boot':
        var settings = args[0] || window.intercomSettings || {};
        state.booted = true;
        state.appId = settings.app_id || (window.intercomSettings && window.intercomSettings.app_id) || null;
        state.user = {};
        state.company = null;
        applyAttributes(settings);
        return undefined;
      case 'update':
        if (!state.booted) return 'ignored: messenger not booted';
        applyAttributes(args[0]);
        return undefined;
      case 'trackEvent':
        if (!state.booted) return 'ignored: messenger not booted';
        if (typeof args[0] !== 'string' || !args[0]) return 'ignored: event name must be a non-empty string';
        state.events.push(args[0]);
        return undefined;
      case 'shutdown':
        // The Messenger closes (its onHide runs), then forgets the session and the handlers.
        setVisible(false);
        state.booted = false;
        state.user = {};
        state.company = null;
        handlers = {};
        return undefined;
      case 'show':
      case 'showMessages':
      case 'showNewMessage':
        setVisible(state.booted);
        return undefined;
      case 'hide':
        setVisible(false);
        return undefined;
      default:
        return undefined;
    }
  }

  function Intercom() {
    var args = Array.prototype.slice.call(arguments);
    var method = String(args[0]);
    var rest = args.slice(1);
    var record = { method: method, args: copy(rest) };
    var note = handle(method, rest);
    if (note) record.note = note;
    calls.push(record);
    window.dispatchEvent(new CustomEvent('intercom-call', { detail: record }));
    if (method === 'getVisitorId') return visitorId;
    return undefined;
  }
  Intercom.__standIn = true;
  // The real API exposes `Intercom.booted` too.
  Object.defineProperty(Intercom, 'booted', { get: function () { return state.booted; } });

  window.Intercom = Intercom;
  for (var j = 0; j < queued.length; j++) Intercom.apply(null, queued[j]);
})();
