/*
 * The first script of the map component's page (static/component.html), before the styles and map.js: it says
 * "ready" to Streamlit at once and, when the first render's args arrive, starts fetching the boundaries and the
 * dataset they name while map.js (Leaflet and the map's code, ~230 KB) is still loading and compiling. The render
 * messages are handed to component.js (BD.onRender) once it is there; until then the newest is kept.
 */
(function () {
  'use strict';
  var BD = window.BD = window.BD || {};

  window.addEventListener('message', function (event) {
    if (event.source !== window.parent) { return; }
    var data = event.data, args = data && data.type === 'streamlit:render' ? data.args : null;
    if (!args) { return; }
    if (BD.onRender) {
      BD.onRender(args);
      return;
    }
    if (BD.prefetch) {
      BD.prefetch(args.base && args.base.boundaries && args.base.boundaries.url);
      BD.prefetch(args.layer && args.layer.dataset);
    }
    BD.pendingRender = args;
  });
  window.parent.postMessage({isStreamlitMessage: true, type: 'streamlit:componentReady', apiVersion: 1}, '*');
})();
