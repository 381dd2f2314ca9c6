/*
 * Stand-in for Intercom's widget script used by the parity test (tests/e2e/parity.test.mjs).
 *
 * Like the real widget (and www/stand-in-widget.js) it replaces the stub `window.Intercom`
 * and replays the stub's queue in order. Unlike www/stand-in-widget.js, which copies arguments
 * through JSON, it keeps them exactly: `undefined` values, NaN and -0 survive (structuredClone),
 * so that what Segment's plugin and ours send can be compared value for value.
 *
 *   window.__exactIntercomCalls: [[method, ...args], ...] in call order
 */
(function () {
  'use strict';
  var stub = window.Intercom;
  var calls = (window.__exactIntercomCalls = []);

  function record(args) {
    var copy;
    try {
      copy = structuredClone(args);
    } catch (e) {
      copy = ['<not cloneable: ' + e.message + '>'];
    }
    calls.push(copy);
  }

  function Intercom() {
    record(Array.prototype.slice.call(arguments));
  }
  window.Intercom = Intercom;
  if (typeof stub === 'function' && stub.q && typeof stub.q.length === 'number') {
    for (var i = 0; i < stub.q.length; i++) record(Array.prototype.slice.call(stub.q[i]));
  }
})();
