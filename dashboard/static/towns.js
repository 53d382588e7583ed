/*
 * Town labels of the border dashboard, from the shipped GeoNames gazetteer (geodata/data/towns.csv), which travels
 * once inside the boundaries document (dashboard/basemap.py ``towns_rows``: [name, local name, lat, lon, zoom,
 * language] per place, most populous first).
 *
 * Labels are DOM text in their own pane (selectable, read by screen readers and tests), never pixels on a canvas.
 * After every zoom or move the labels are placed again, largest place first: a place is labelled from its zoom
 * on, when its label lies wholly inside the map and overlaps no label already placed, no province name and no
 * control (a greedy test on the labels' boxes in screen pixels). With local names on (URL script=local) the
 * Urdu or Persian name follows the English one in its own right-to-left span.
 *
 * Also here: the nearest town to a point (stack tooltips and lists, popups of events placed at district or
 * province level), named the same way.
 *
 * Contract with tests: the map container carries data-towns-drawn="N" (labels shown) and data-towns-zoom="Z" (the
 * zoom they were placed for) after each placement.
 */
(function () {
  'use strict';
  if (window.BD && window.BD.towns) { return; }
  var BD = window.BD = window.BD || {};
  var MARGIN = 3;          // px kept between two labels, and between a label and the map's edge or a control
  var MAX_CANDIDATES = 600;
  var rows = null, localNames = false;
  var D2R = Math.PI / 180;

  /** A place's name as DOM: the English name, then (local names on) the local one in its own RTL span. */
  function nameNodes(parent, row, withLocal) {
    parent.appendChild(BD.el('span', 'bd-town-name', row[0]));
    if (withLocal && row[1]) {
      var local = BD.el('span', 'bd-local', row[1]);
      local.dir = 'rtl';
      if (row[5]) { local.lang = row[5]; }
      parent.appendChild(document.createTextNode(' '));
      parent.appendChild(local);
    }
    return parent;
  }

  function km(lat0, lon0, lat1, lon1) {
    var dp = (lat1 - lat0) * D2R, dl = (lon1 - lon0) * D2R;
    var h = Math.pow(Math.sin(dp / 2), 2) + Math.cos(lat0 * D2R) * Math.cos(lat1 * D2R) * Math.pow(Math.sin(dl / 2), 2);
    return 2 * 6371.0088 * Math.asin(Math.sqrt(Math.min(h, 1)));
  }

  /** The nearest place to a point: {row, km}, or null before the gazetteer has arrived. */
  BD.nearestTown = function (lat, lon) {
    if (!rows || !rows.length) { return null; }
    var best = null, bestKm = Infinity;
    for (var i = 0; i < rows.length; i++) {
      var d = km(lat, lon, rows[i][2], rows[i][3]);
      if (d < bestKm) { bestKm = d; best = rows[i]; }
    }
    return {row: best, km: bestKm};
  };

  /** Append a place's name (and, with local names on, its local name) to ``parent``. */
  BD.townName = function (parent, row) { return nameNodes(parent, row, localNames); };

  function boxOf(node) { return node.getBoundingClientRect(); }

  function apart(a, b) {
    return a.right + MARGIN <= b.left || b.right + MARGIN <= a.left ||
      a.bottom + MARGIN <= b.top || b.bottom + MARGIN <= a.top;
  }

  /** Called once per map by static/basemap.js with the gazetteer rows and the base map's config. */
  BD.towns = function (map, townRows, cfg) {
    rows = townRows || [];
    localNames = !!cfg.localNames;
    var pane = map.createPane('bdTowns');
    pane.style.zIndex = 445;  // over the province names (440), under the events' canvas (450): badges stay on top
    pane.style.pointerEvents = 'none';
    var container = map.getContainer(), nodes = {};

    function nodeFor(i) {
      if (!nodes[i]) {
        var node = BD.el('div', 'bd-town');
        node.appendChild(BD.el('span', 'bd-town-dot'));
        nameNodes(node, rows[i], localNames);
        nodes[i] = node;
      }
      return nodes[i];
    }

    function place() {
      var zoom = map.getZoom(), view = map.getBounds().pad(0.05), candidates = [];
      for (var i = 0; i < rows.length && candidates.length < MAX_CANDIDATES; i++) {
        if (rows[i][4] <= zoom && view.contains([rows[i][2], rows[i][3]])) { candidates.push(i); }
      }
      var wanted = {};
      candidates.forEach(function (c) {
        var node = nodeFor(c);
        wanted[c] = true;
        if (node.parentNode !== pane) { pane.appendChild(node); }
        L.DomUtil.setPosition(node, map.latLngToLayerPoint([rows[c][2], rows[c][3]]).round());
      });
      Object.keys(nodes).forEach(function (k) {
        if (!wanted[k] && nodes[k].parentNode) { nodes[k].parentNode.removeChild(nodes[k]); }
      });
      // One layout for all: read every box, then decide.
      var outer = boxOf(container);
      var taken = Array.prototype.map.call(
        container.querySelectorAll('.leaflet-control, .bd-province-label'), function (node) {
          return node.style.visibility === 'hidden' ? {width: 0} : boxOf(node);
        }).filter(function (r) { return r.width && r.height; });
      var boxes = candidates.map(function (c) { return boxOf(nodes[c]); }), shown = 0;
      candidates.forEach(function (c, k) {
        var r = boxes[k];
        var inside = r.left >= outer.left + MARGIN && r.top >= outer.top + MARGIN &&
          r.right <= outer.right - MARGIN && r.bottom <= outer.bottom - MARGIN;
        var free = inside && taken.every(function (t) { return apart(r, t); });
        if (free) { taken.push(r); shown += 1; } else { pane.removeChild(nodes[c]); }
      });
      pane.style.visibility = '';
      container.setAttribute('data-towns-drawn', String(shown));
      container.setAttribute('data-towns-zoom', String(zoom));
    }

    // Labels sit at layer points of one zoom: hidden while Leaflet animates to another, placed again at its end.
    map.on('zoomstart', function () { pane.style.visibility = 'hidden'; });
    map.on('zoomend moveend resize viewreset', place);
    place();
  };
})();
