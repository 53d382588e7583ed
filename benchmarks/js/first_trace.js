/*
 * benchmarks/trace_first.py: installed in every frame before its own scripts. Records the frame's clock origin,
 * long tasks, DOMContentLoaded, when an iframe was attached and when the map said data-events-ready="1"; the
 * resource timing is read when asked (window.__bdt.resources).
 */
(function () {
  'use strict';
  var t = window.__bdt = {origin: performance.timeOrigin, marks: [], long: []};
  try {
    new PerformanceObserver(function (list) {
      list.getEntries().forEach(function (e) { t.long.push([e.startTime, e.duration]); });
    }).observe({type: 'longtask', buffered: true});
  } catch (e) { /* no long task timing */ }
  document.addEventListener('DOMContentLoaded', function () { t.marks.push(['DOMContentLoaded', performance.now()]); });
  new MutationObserver(function (mutations) {
    mutations.forEach(function (m) {
      if (m.type === 'attributes' && t.ready === undefined && m.target.getAttribute('data-events-ready') === '1') {
        t.ready = performance.now();
      }
      if (m.type === 'childList' && t.iframe === undefined) {
        m.addedNodes.forEach(function (n) { if (n.tagName === 'IFRAME') { t.iframe = performance.now(); } });
      }
    });
  }).observe(document, {subtree: true, childList: true, attributes: true, attributeFilter: ['data-events-ready']});
  Object.defineProperty(t, 'resources', {
    enumerable: true,
    get: function () {
      return performance.getEntriesByType('resource').map(function (e) {
        return [e.name.split('/').pop().slice(0, 28), e.startTime, e.requestStart || e.fetchStart, e.responseEnd,
                e.encodedBodySize];
      });
    }
  });
})();
