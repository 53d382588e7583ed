/*
 * The page's map as the project's own Streamlit component (dashboard/map_component.py): this file runs in the
 * component's frame after Leaflet and the rest of our map code (basemap.js, shared.js, legend.js, playback.js,
 * events.js), and speaks Streamlit's component protocol (the messages streamlit-component-lib sends and receives:
 * componentReady, render, setComponentValue, setFrameHeight) itself, so no third-party bundle sits between the
 * map and the app. The page's first script, static/ready.js, says componentReady and receives the render messages
 * (starting the first render's fetches early); this file draws them.
 *
 * Each render's args: {base: {key, tiles, options, boundaries}, layer: <events layer config>, view: {center,
 * zoom}}. A new ``base.key`` (another basemap, presentation mode) builds a new map at the view the app asks for;
 * a new ``view`` moves the map; the layer config goes to BD.update on every render. The map reports back one value
 * that always carries its latest view ({center: {lat, lng}, zoom, bounds: {west, south, east, north}}) and the
 * out-of-band reports of shared.js (bd_click, bd_play, bd_drawn).
 */
(function () {
  'use strict';
  var BD = window.BD = window.BD || {};
  var map = null, baseKey = null, lastView = null, height = null, value = {};

  function post(type, extra) {
    window.parent.postMessage(Object.assign({isStreamlitMessage: true, type: type}, extra || {}), '*');
  }

  /** Merge ``patch`` and the map's current view into its value and send the whole value to the app. */
  BD.sendValue = function (patch) {
    value = Object.assign({}, value, map ? viewOf(map) : {}, patch);
    post('streamlit:setComponentValue', {value: value, dataType: 'json'});
  };

  /** The value the map sent last (the tests' harness compares it with the view shown). */
  BD.reported = function () { return value; };

  function viewOf(m) {
    var c = m.getCenter(), b = m.getBounds();
    return {
      center: {lat: c.lat, lng: c.lng},
      zoom: m.getZoom(),
      bounds: {west: b.getWest(), south: b.getSouth(), east: b.getEast(), north: b.getNorth()}
    };
  }

  function sameView(a, b) {
    return a && b && a.zoom === b.zoom && a.center[0] === b.center[0] && a.center[1] === b.center[1];
  }

  function build(base, view) {
    var holder = document.getElementById('bd-map-holder');
    if (map) {
      BD.release(map);
      map.remove();
      holder.textContent = '';
    }
    var node = document.createElement('div');
    node.id = 'bd-map';
    holder.appendChild(node);
    map = L.map(node, Object.assign({center: view.center, zoom: view.zoom}, base.options));
    window.map = map;  // the map, for tests and the console (as folium names its map variable on a page)
    L.control.scale().addTo(map);
    if (base.tiles) {
      L.tileLayer(base.tiles.url, {
        maxZoom: base.tiles.maxZoom, maxNativeZoom: base.tiles.maxZoom, attribution: base.tiles.attribution
      }).addTo(map);
    }
    BD.basemap(map, base.boundaries);
    map.on('moveend', function () { BD.sendValue(viewOf(map)); });
    // A map built for another basemap reports the view it opened at (and the bounds a figure of it frames); the
    // page's first map says so with its first report, that it has drawn (shared.js), which carries the view too.
    if (baseKey !== null) { BD.sendValue({}); }
    baseKey = base.key;
    lastView = view;
  }

  function render(args) {
    if (args.height !== height) {
      height = args.height;
      post('streamlit:setFrameHeight', {height: height});
    }
    if (!map || args.base.key !== baseKey) {
      build(args.base, args.view);
    } else if (!sameView(args.view, lastView)) {
      lastView = args.view;
      map.setView(args.view.center, args.view.zoom);
      BD.refitPopup(map);
    }
    BD.update(map, args.layer);
  }

  // static/ready.js said "ready" and has listened for render messages since before this file loaded: it hands
  // them over from now on, and the newest it kept (the first render's, whose documents it is already fetching).
  // The map's holder is in the page's body, which this file (loaded in the head) may run before.
  function start() {
    BD.onRender = render;
    if (BD.pendingRender) {
      var first = BD.pendingRender;
      delete BD.pendingRender;
      render(first);
    }
  }
  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', start);
  } else {
    start();
  }
})();
