/*
 * benchmarks/trace_first.py: installed in the page before its own scripts. Records the page's clock origin, long
 * tasks (the map's frame runs on the page's thread, so they are its long tasks too), DOMContentLoaded, and when
 * the first iframe was attached.
 */
(function () {
  'use strict';
  if (window.top !== window) { return; }
  var t = window.__bdt = {origin: performance.timeOrigin, marks: [], long: []};
  try {
    new PerformanceObserver(function (list) {
      list.getEntries().forEach(function (e) { t.long.push([e.startTime, e.duration]); });
    }).observe({type: 'longtask', buffered: true});
  } catch (e) { /* no long task timing */ }
  document.addEventListener('DOMContentLoaded', function () { t.marks.push(['DOMContentLoaded', performance.now()]); });
  new MutationObserver(function () {
    if (t.iframe === undefined && document.getElementsByTagName('iframe').length) { t.iframe = performance.now(); }
  }).observe(document, {subtree: true, childList: true});
})();
