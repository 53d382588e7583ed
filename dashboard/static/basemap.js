/*
 * Base map of the border dashboard: boundaries, province labels and map behaviour (see dashboard/basemap.py).
 *
 * The boundaries (countries for the offline basemap, neighbouring provinces, the two focus provinces, the
 * Pakistan–Iran border) travel once per server as one JSON document fetched from a URL, not inside the map's
 * script: the script is re-sent whenever the events layer changes, so keeping 0.5 MB of geometry out of it keeps
 * every filter change small. Labels are text nodes. Behaviour set here:
 *   - the mouse wheel scrolls the page until the map has been clicked (and again once the pointer leaves it);
 *   - the land is drawn under the tiles too: where tiles fail (offline) the neighbours read as land, not sea;
 *   - on the offline basemap the view stays inside the frame the land is drawn for;
 *   - presentation mode has no zoom buttons, and marks the map (class bd-present) for map.css to hide the rest;
 *   - when tile requests fail, the attribution says the tiles are unavailable instead of crediting them;
 *   - a province's name goes at the first of its anchors where it fits inside the map clear of the controls
 *     (hidden if none does), in a pane under the events so that stack badges stay on top.
 *   - town names from the gazetteer (static/towns.js), placed after the province names;
 *   - a standalone page shows its title, filters and as-of line in a header above the map (BD.heading).
 */
(function () {
  'use strict';
  if (window.BD && window.BD.basemap) { return; }
  var BD = window.BD = window.BD || {};
  var STYLE = {
    land: {fillColor: '#F4F1EA', fillOpacity: 1, color: '#9a9a9a', weight: 0.8, interactive: false},
    context: {fill: false, color: '#8c8c8c', weight: 0.8, dashArray: '4 3', interactive: false},
    focus: {fillColor: '#FEE8C8', fillOpacity: 0.45, color: '#7f4f24', weight: 1.6, interactive: false},
    casing: {color: '#ffffff', weight: 7, opacity: 0.9, interactive: false},
    border: {color: '#B2182B', weight: 3.5, interactive: false}
  };
  var LABEL_MIN_ZOOM = 6;
  var LABEL_MARGIN = 4;

  function apart(a, b) {
    return a.right + LABEL_MARGIN <= b.left || b.right + LABEL_MARGIN <= a.left ||
      a.bottom + LABEL_MARGIN <= b.top || b.bottom + LABEL_MARGIN <= a.top;
  }

  function inside(r, outer) {
    return r.left >= outer.left + LABEL_MARGIN && r.top >= outer.top + LABEL_MARGIN &&
      r.right <= outer.right - LABEL_MARGIN && r.bottom <= outer.bottom - LABEL_MARGIN;
  }

  /** Each shown name at its first anchor where it is whole inside the map and clear of every control. */
  function placeLabels(map, labels) {
    var container = map.getContainer(), outer = container.getBoundingClientRect();
    var controls = Array.prototype.map.call(container.querySelectorAll('.leaflet-control'), function (c) {
      return c.getBoundingClientRect();
    }).filter(function (r) { return r.width && r.height; });
    labels.forEach(function (label) {
      var fits = label.anchors.some(function (anchor) {
        label.marker.setLatLng(anchor);
        var r = label.node.getBoundingClientRect();
        return inside(r, outer) && controls.every(function (c) { return apart(r, c); });
      });
      if (!fits) { label.marker.setLatLng(label.anchors[0]); }
      label.node.style.visibility = fits ? '' : 'hidden';
    });
  }

  function drawLabels(map, data) {
    map.createPane('bdLabels').style.zIndex = 440;  // over the boundaries, under the events' canvas (450)
    map.getPane('bdLabels').style.pointerEvents = 'none';
    var labels = data.labels.map(function (l) {
      var node = document.createElement('div');
      node.className = 'bd-province-label';
      node.textContent = l[2];
      var marker = L.marker([l[0], l[1]], {icon: L.divIcon({html: node, className: 'bd-place', iconSize: [0, 0]}),
                                           interactive: false, keyboard: false, pane: 'bdLabels'});
      return {marker: marker, node: node, anchors: [[l[0], l[1]]].concat(l[3] || [])};
    });
    var group = L.layerGroup(labels.map(function (l) { return l.marker; }));
    var corners = null;
    function update() {
      if (!map.getContainer().isConnected) {  // a replaced map (another basemap): its observers stop here
        if (corners) { corners.disconnect(); }
        return;
      }
      // Zoomed out the two names overlap each other and the border: show them once there is room.
      if (map.getZoom() >= LABEL_MIN_ZOOM) { group.addTo(map); placeLabels(map, labels); } else { map.removeLayer(group); }
    }
    map.on('zoomend moveend resize', update);
    if (window.ResizeObserver) {  // a control that appears, grows or folds (legend, playback) may free or cover a name
      corners = new ResizeObserver(update);
      Array.prototype.forEach.call(map.getContainer().querySelectorAll('.leaflet-control-container > div'),
                                   function (corner) { corners.observe(corner); });
    }
    update();
  }

  function draw(map, data, cfg) {
    // Under the tile pane (200): covered by tiles that load, seen where they fail; the whole map on "None".
    map.createPane('bdLand').style.zIndex = 150;
    L.geoJSON(data.countries, {style: STYLE.land, interactive: false, pane: 'bdLand'}).addTo(map);
    L.geoJSON(data.context, {style: STYLE.context, interactive: false}).addTo(map);
    L.geoJSON(data.focus, {style: STYLE.focus, interactive: false}).addTo(map);
    L.geoJSON(data.border, {style: STYLE.casing, interactive: false}).addTo(map);
    L.geoJSON(data.border, {style: STYLE.border, interactive: false}).addTo(map);
    drawLabels(map, data);
    BD.towns(map, data.towns, cfg);  // static/towns.js: after the province names, which town labels give way to
    if (cfg.land && data.frame) {
      // The offline land is drawn for a fixed frame: never show the view beyond it.
      var frame = L.latLngBounds([[data.frame[1], data.frame[0]], [data.frame[3], data.frame[2]]]);
      map.setMaxBounds(frame);
      map.options.maxBoundsViscosity = 1;
      var fit = function () { map.setMinZoom(Math.max(map.getBoundsZoom(frame, true), 3)); };
      fit();
      map.on('resize', fit);
    }
    map.getContainer().setAttribute('data-basemap-ready', '1');
  }

  function wheelOnlyWhenFocused(map) {
    map.scrollWheelZoom.disable();
    var container = map.getContainer();
    container.setAttribute('data-wheel-zoom', '0');
    map.on('click focus', function () { map.scrollWheelZoom.enable(); container.setAttribute('data-wheel-zoom', '1'); });
    map.on('mouseout blur', function () { map.scrollWheelZoom.disable(); container.setAttribute('data-wheel-zoom', '0'); });
  }

  /**
   * Leaflet focuses the map on the first press of a button on it (for its keyboard handling) with a plain
   * focus(), which makes the browser scroll the page until the whole map is in view: the page moved under the
   * pointer and the click landed elsewhere, or nowhere. Focus it first, without scrolling; Leaflet then finds it
   * focused and leaves it.
   */
  function focusWithoutScrolling(map) {
    var container = map.getContainer();
    container.addEventListener('mousedown', function () {
      if (document.activeElement !== container) { container.focus({preventScroll: true}); }
    }, true);
  }

  function watchTiles(map, cfg) {
    map.eachLayer(function (layer) {
      if (!(layer instanceof L.TileLayer)) { return; }
      var loaded = 0, failed = 0, flagged = false;
      layer.on('tileload', function () { loaded += 1; });
      layer.on('tileerror', function () {
        failed += 1;
        if (!flagged && failed >= 4 && loaded === 0) {
          flagged = true;
          map.attributionControl.removeAttribution(layer.getAttribution());
          map.attributionControl.addAttribution(cfg.tilesDown);
          map.getContainer().setAttribute('data-tiles', 'unavailable');
        }
      });
    });
  }

  /**
   * The page sizes the map from the viewport (CSS), after Leaflet has measured it: tell Leaflet whenever the
   * container's size changes, or its renderers keep drawing only the first size (the land would end in a band).
   */
  function followSize(map) {
    if (!window.ResizeObserver) { return; }
    var container = map.getContainer(), last = [container.clientWidth, container.clientHeight];
    new ResizeObserver(function () {
      var now = [container.clientWidth, container.clientHeight];
      if (now[0] === last[0] && now[1] === last[1]) { return; }
      // A map being replaced (a new basemap) or hidden has no size: nothing to draw, and leaflet.heat would throw.
      if (!now[0] || !now[1] || !container.isConnected) { return; }
      last = now;
      // Re-set the same view: the centre stays exactly where the app or the user put it (no half-pixel drift).
      var centre = map.getCenter(), zoom = map.getZoom();
      map.invalidateSize({pan: false});
      map.setView(centre, zoom, {animate: false});
    }).observe(container);
  }

  /**
   * A standalone page's heading: its title, the filters in words and the "Data as of" line, written as text nodes in
   * a header above the map (never over it, at any width); the title is also the page's. ``cfg``: {title, filters,
   * asOf}. The map's container shrinks to the room left (map.css), and followSize tells Leaflet.
   */
  BD.heading = function (map, cfg) {
    var container = map.getContainer(), head = BD.el('header', 'bd-page-heading');
    [['bd-heading-title', cfg.title], ['bd-heading-filters', cfg.filters], ['bd-heading-as-of', cfg.asOf]]
      .forEach(function (part) { if (part[1]) { head.appendChild(BD.el('div', part[0], part[1])); } });
    container.parentNode.insertBefore(head, container);
    container.parentNode.classList.add('bd-with-heading');
    if (cfg.title) { document.title = cfg.title; }
  };

  /** Called once by the base map's script. ``cfg``: {url, land, present, localNames, attribution, tilesDown}. */
  BD.basemap = function (map, cfg) {
    followSize(map);
    wheelOnlyWhenFocused(map);
    focusWithoutScrolling(map);
    if (cfg.present) {
      map.getContainer().classList.add('bd-present');
      if (map.zoomControl) { map.zoomControl.remove(); }
    }
    if (cfg.attribution) { map.attributionControl.addAttribution(cfg.attribution); }
    watchTiles(map, cfg);
    BD.fetchJSON(cfg.url)
      .then(function (data) {
        // A map replaced while its boundaries were on their way (another basemap) has left the page: draw nothing.
        if (map.getContainer().isConnected) { draw(map, data, cfg); }
      })
      .catch(function (err) { map.getContainer().setAttribute('data-basemap-error', err.message); });
  };
})();
