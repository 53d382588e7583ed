/*
 * The events' dataset as static/events.js draws it: the compact columns the server encodes once per dataset
 * (dashboard/events_payload.py) fetched by URL, viewed as typed arrays and projected once. The app's map receives
 * a dataset as two files: what the first draw needs (positions, type and flag codes, sizes, dates) and, named in
 * it (``textUrl``), the text columns (titles, places, sources…), requested at once but read only after the first
 * draw; a standalone page's dataset carries its text inline.
 */
(function () {
  'use strict';
  var BD = window.BD = window.BD || {};
  if (BD.loadDataset) { return; }
  var datasets = {};

  var INT_TYPES = {int8: Int8Array, int16: Int16Array, int32: Int32Array};

  // An integer column as the server packs it: {int8|int16|int32: base64 of little-endian values}, viewed as a
  // typed array (no number parsing; every browser this app supports is little-endian).
  function ints(packed) {
    var name = Object.keys(packed)[0], Type = INT_TYPES[name];
    if (!Type) { throw new Error('the event data use an unknown integer type'); }
    var text = atob(packed[name]), bytes = new Uint8Array(text.length);
    for (var i = 0; i < text.length; i++) { bytes[i] = text.charCodeAt(i); }
    return new Type(bytes.buffer);
  }

  function column(table) {
    return {codes: ints(table.codes), values: table.values};
  }

  function prepare(packedRaw) {
    var raw = {n: packedRaw.n, scale: packedRaw.scale, kinds: packedRaw.kinds, text: packedRaw.text};  // text: inline
    ['lat', 'lon', 'kind', 'radius', 'flags', 'date', 'start', 'end'].forEach(function (name) { raw[name] = ints(packedRaw[name]); });
    var n = raw.n, scale = raw.scale;
    var lat = new Float64Array(n), lon = new Float64Array(n), mx = new Float64Array(n), my = new Float64Array(n);
    var d2r = Math.PI / 180, maxLat = 85.0511287798;
    for (var i = 0; i < n; i++) {
      var la = raw.lat[i] / scale, lo = raw.lon[i] / scale;
      lat[i] = la; lon[i] = lo;
      var s = Math.sin(Math.max(Math.min(la, maxLat), -maxLat) * d2r);
      mx[i] = 256 * (lo + 180) / 360;
      my[i] = 256 * (0.5 - Math.log((1 + s) / (1 - s)) / (4 * Math.PI));
    }
    var radius = new Float32Array(n), kind = new Uint8Array(n), flags = new Uint8Array(n), date = new Int32Array(n);
    var start = new Int32Array(n), end = new Int32Array(n);
    for (var j = 0; j < n; j++) {
      radius[j] = raw.radius[j] / 10; kind[j] = raw.kind[j]; flags[j] = raw.flags[j]; date[j] = raw.date[j];
      start[j] = raw.start[j]; end[j] = raw.end[j];
    }
    // Draw order: biggest symbols first so smaller ones stay on top and clickable.
    var order = new Int32Array(n);
    for (var k = 0; k < n; k++) { order[k] = k; }
    order.sort(function (a, b) { return radius[b] - radius[a] || a - b; });
    var ds = {n: n, lat: lat, lon: lon, mx: mx, my: my, radius: radius, kind: kind, flags: flags, date: date,
              start: start, end: end, order: order, kinds: raw.kinds, text: {}, pendingText: null};
    if (raw.text) {
      takeText(ds, raw.text);
    } else if (packedRaw.textUrl) {
      laterText(ds, packedRaw.textUrl);
    }
    return ds;
  }

  function takeText(ds, text) {
    Object.keys(text).forEach(function (name) { ds.text[name] = column(text[name]); });
  }

  // The app's map fetches a dataset as two files (dashboard/events_payload.py split_dataset): what the first draw
  // needs, then its text columns (titles, places, sources…), requested at once but read only after that draw.
  // Until they are there, ds.pendingText is a promise: popups, lists and tooltips wait for it (withText).
  function laterText(ds, url) {
    var drawn = new Promise(function (resolve) { ds.firstDrawn = resolve; });
    ds.pendingText = BD.fetchJSONAfter(url, drawn).then(function (text) {
      takeText(ds, text);
    }, function (err) {
      ds.textError = 'the events\' details could not be loaded (' + err.message + ')';
    }).then(function () { ds.pendingText = null; });
  }

  /** The dataset at ``url`` (a promise), fetched and prepared once; only the newest is kept. */
  BD.loadDataset = function (url) {
    if (!datasets[url]) {
      datasets[url] = BD.fetchJSON(url)
        .then(prepare)
        .catch(function (err) {
          delete datasets[url];
          throw new Error('the event data could not be loaded (' + err.message + ')');
        });
      // Keep only the newest dataset: an old one is never drawn again.
      Object.keys(datasets).forEach(function (u) { if (u !== url) { delete datasets[u]; } });
    }
    return datasets[url];
  };

  /** Row ``i``'s text in column ``name`` ('' when empty, or before the text columns have arrived). */
  BD.textOf = function (ds, name, i) {
    var t = ds.text[name];
    if (!t) { return ''; }
    var c = t.codes[i];
    return c < 0 ? '' : t.values[c];
  };

  /** The rows set in a selection bitmask (base64, little-endian bit order). */
  BD.decodeMask = function (b64, n) {
    var bin = atob(b64 || ''), out = [], i;
    for (i = 0; i < n; i++) {
      var byte = i >> 3;
      if (byte >= bin.length) { break; }
      if ((bin.charCodeAt(byte) >> (i & 7)) & 1) { out.push(i); }
    }
    return out;
  };

  /** Called by static/events.js once ``ds`` is drawn: its text columns are read after this frame is shown. */
  BD.datasetDrawn = function (ds) {
    if (!ds.firstDrawn) { return; }
    var drawn = ds.firstDrawn;
    ds.firstDrawn = null;
    requestAnimationFrame(function () { setTimeout(drawn, 0); });
  };
})();
