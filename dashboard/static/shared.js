/*
 * Shared by the map's browser files (see events.js for the design): building DOM from text, and reporting what
 * the user opened or stopped on, and that the map has drawn, back to the app (through component.js).
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

  var clicks = 0, drawn = false;

  /**
   * Send a report to the app through the page's map component (static/component.js), which adds the map's
   * current view; a standalone page has no app and sends nothing. Every later value keeps the latest click and
   * playback report: the app tells new ones apart by their token.
   */
  function send(patch) {
    if (BD.sendValue) { BD.sendValue(patch); }
  }

  /** Tell the app which row was opened (null: the user closed the popup), by its row in ``datasetKey``. */
  function report(row, datasetKey) {
    clicks += 1;
    send({bd_click: {row: row, dataset: datasetKey, token: Date.now() + '-' + clicks}});
  }

  /** Tell the app the playback frame the user stopped on ({unit, mode, step} or {off: true}), for the link. */
  function reportPlay(state) {
    send({bd_play: Object.assign({token: Date.now() + '-' + (++clicks)}, state)});
  }

  /** Tell the app, once, that the map has drawn its events: a browser's first page run lays out the map alone. */
  function reportDrawn() {
    if (drawn) { return; }
    drawn = true;
    send({bd_drawn: true});
  }

  /**
   * Options of a map popup that fits inside the map at every size and stays clear of the map's controls: as wide
   * as its content up to ``widest`` px or what the map leaves, as tall as the map leaves between the controls at
   * the top (zoom, playback) and at the bottom (scale bar, attribution, the legend) — its content scrolls inside —
   * and auto-panned into that free area. An open legend on a wide map keeps the popup beside it rather than
   * above it; on a small map with no room above it, the legend is folded. Measured when the popup opens, so a
   * folded legend or a hidden play control leaves more room.
   */
  BD.popupOptions = function (map, className, widest) {
    var GAP = 8, CHROME_X = 48, CHROME_Y = 50;  // Leaflet's content margins and border; + the tip below
    var MIN_W = 160, MIN_H = 120;
    var container = map.getContainer(), size = map.getSize(), outer = container.getBoundingClientRect();
    function boxOf(selector) {
      var found = container.querySelector(selector), r = found && found.getBoundingClientRect();
      return r && r.width && r.height ? r : null;
    }
    function fromBottom(r) { return r ? outer.bottom - r.top : 0; }
    var top = GAP, bottom = GAP, right = GAP;
    Array.prototype.forEach.call(container.querySelectorAll('.leaflet-top .leaflet-control'), function (c) {
      var r = c.getBoundingClientRect();
      if (r.width && r.height) { top = Math.max(top, r.bottom - outer.top + GAP); }
    });
    ['.leaflet-control-scale', '.leaflet-control-attribution'].forEach(function (s) {
      bottom = Math.max(bottom, fromBottom(boxOf(s)) + GAP);
    });
    var legend = boxOf('.bd-legend');
    if (legend) {
      var beside = outer.right - legend.left + GAP, toggle = container.querySelector('.bd-legend:not(.bd-collapsed) .bd-legend-toggle');
      if (size.x - beside - GAP - CHROME_X >= (widest || 340)) {
        right = beside;  // wide map: the popup keeps its full width to the left of the legend
      } else {
        if (toggle && size.y - top - (fromBottom(legend) + GAP) - CHROME_Y < MIN_H) {
          toggle.click();  // no room above the open legend (a phone): fold it, the popup is what was asked for
          legend = boxOf('.bd-legend');
        }
        bottom = Math.max(bottom, fromBottom(legend) + GAP);  // narrow map: above it
      }
    }
    return {
      className: className,
      maxWidth: Math.max(Math.min(widest || 340, size.x - GAP - right - CHROME_X), MIN_W),
      maxHeight: Math.max(size.y - top - bottom - CHROME_Y, MIN_H),
      autoPan: true,
      autoPanPaddingTopLeft: [GAP, top],
      autoPanPaddingBottomRight: [right, bottom]
    };
  };

  BD.report = report;
  BD.reportPlay = reportPlay;
  BD.reportDrawn = reportDrawn;
})();
