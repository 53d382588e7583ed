/*
 * benchmarks/bench_browser.py and trace_first.py: installed in the page before its own scripts. On every animation
 * frame it looks into the page's map frames (same origin) and notes, in ms since navigation (the page's
 * performance.now()), when a map first stood drawn: our map's container saying data-events-ready="1" with
 * data-events-drawn equal to window.__bdWant (set by an earlier init script), or the bare streamlit-folium map's window.map and container;
 * and when the whole page was laid out (the sidebar's date input there and the run finished). Playwright's own
 * waits poll every 500 ms after the first 270 ms, too coarse for a first map of about a second.
 */
(function () {
  'use strict';
  if (window.top !== window) { return; }
  var clock = window.__bdClock = {want: window.__bdWant === undefined ? null : window.__bdWant, map: null, page: null};

  function mapDrawn() {
    var frames = document.getElementsByTagName('iframe');
    for (var i = 0; i < frames.length; i++) {
      var doc, win;
      try { doc = frames[i].contentDocument; win = frames[i].contentWindow; } catch (e) { continue; }
      var c = doc && doc.querySelector('.leaflet-container');
      if (!c) { continue; }
      if (c.hasAttribute('data-events-ready')) {
        if (c.getAttribute('data-events-ready') === '1' && clock.want !== null &&
            c.getAttribute('data-events-drawn') === String(clock.want)) { return true; }
      } else if (win && win.map) {
        return true;  // the bare map: no events layer
      }
    }
    return false;
  }

  function pageDone() {
    return !!document.querySelector('[data-testid="stSidebar"] [data-testid="stDateInput"]') &&
      !!document.querySelector('[data-testid="stApp"][data-test-script-state="notRunning"]');
  }

  function tick() {
    var now = performance.now();
    if (clock.map === null && mapDrawn()) { clock.map = now; }
    if (clock.map !== null && clock.page === null && pageDone()) { clock.page = now; }
    if (clock.map === null || clock.page === null) { requestAnimationFrame(tick); }
  }
  requestAnimationFrame(tick);
})();
