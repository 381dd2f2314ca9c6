// Benchmark stand-in for Intercom's widget: replaces the stub, replays its queue, and counts
// calls without copying them, so that the benchmark measures the plugins, not the recorder.
(function () {
  var stub = window.Intercom;
  var counts = (window.__intercomCounts = {});
  var last = null;
  function Intercom(method) {
    counts[method] = (counts[method] || 0) + 1;
    last = arguments;
  }
  Intercom.last = function () { return last; };
  window.Intercom = Intercom;
  var queue = (stub && stub.q) || [];
  for (var i = 0; i < queue.length; i++) Intercom.apply(null, Array.prototype.slice.call(queue[i]));
})();
