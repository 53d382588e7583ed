/*
 * Shared by the map's browser files (see events.js for the design): building DOM from text, and reporting what
 * the user opened or stopped on, and that the map has drawn, back to the app, out of band.
 */
(function () {
  'use strict';
  var BD = window.BD = window.BD || {};

  /** An element with a class and text content: data text never goes through an HTML parser. */
  BD.el = function (tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) { node.className = cls; }
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    return node;
  };

  var clicks = 0, lastClick = null, lastPlay = null, drawn = false;

  /**
   * Every value the map component sends to the app carries the latest opened event (``bd_click``), not just the
   * one sent at the click: a popup that pans the map makes streamlit-folium send a new view right away, and the
   * app may only see that later value. The app tells clicks apart by their token.
   */
  function installReporter() {
    var S = window.Streamlit;
    if (!S || S.__bdReporter) { return; }
    var send = S.setComponentValue;
    S.setComponentValue = function (value) {
      if (value && typeof value === 'object') {
        value = Object.assign({}, value);
        if (lastClick) { value.bd_click = lastClick; }
        if (lastPlay) { value.bd_play = lastPlay; }
        if (drawn) { value.bd_drawn = true; }
      }
      return send.call(S, value);
    };
    S.__bdReporter = true;
  }

  /** Tell the app which row was opened: out of band, beside what streamlit-folium reports. */
  function report(row, datasetKey) {
    var S = window.Streamlit, g = window.__GLOBAL_DATA__;
    if (!S || !g) { return; }
    installReporter();
    clicks += 1;
    lastClick = {row: row, dataset: datasetKey, token: Date.now() + '-' + clicks};
    S.setComponentValue(Object.assign({}, g.previous_data || {}));
  }

  /** Tell the app the playback frame the user stopped on ({unit, mode, step} or {off: true}), for the link. */
  function reportPlay(state) {
    var S = window.Streamlit, g = window.__GLOBAL_DATA__;
    if (!S || !g) { return; }
    installReporter();
    lastPlay = Object.assign({token: Date.now() + '-' + (++clicks)}, state);
    S.setComponentValue(Object.assign({}, g.previous_data || {}));
  }

  /** Tell the app, once, that the map has drawn its events: a browser's first page run lays out the map alone. */
  function reportDrawn() {
    var S = window.Streamlit, g = window.__GLOBAL_DATA__;
    if (drawn || !S || !g) { return; }
    installReporter();
    drawn = true;
    S.setComponentValue(Object.assign({}, g.previous_data || {}));
  }

  BD.report = report;
  BD.reportPlay = reportPlay;
  BD.reportDrawn = reportDrawn;
})();
