/*
 * Events layer of the border dashboard (loaded once per map as a data: URL; see dashboard/events_layer.py).
 *
 * Data path
 *   The dataset (every event of the current data: curated + the analyst's upload) travels once, as compact columns
 *   fetched from a URL (a file the map component serves, or a data: URL in the standalone export) and kept per URL
 *   (static/dataset.js; the app's map gets the text columns after its first draw: popups and tooltips wait for them).
 *   Each app rerun calls BD.update(map, config) with a small config: the dataset URL, a selection bitmask over the
 *   dataset's rows (base64, little-endian bit order), the selected row, cluster/heat switches and legend keys.
 *   Python never builds JavaScript or HTML from data: every text reaches the page through textContent.
 *
 * Drawing
 *   One canvas in its own pane (no DOM node per event). Mercator coordinates are computed once per dataset; a
 *   redraw projects the shown rows, draws them biggest first, puts a count badge on every stack of (near-)coincident
 *   symbols and fills a screen grid used for hover and click hit-tests. Clustering aggregates on a fixed grid in
 *   world pixels (neutral grey bubbles with counts); heat uses leaflet.heat in a pane above the land fill.
 *
 * Reaching every event
 *   A click collects every symbol under the pointer: one opens its popup, several open a list (paged) whose entries
 *   each open that event. The clicked row goes back to the app out of band (component value `bd_click`), never
 *   parsed from display text.
 *
 * Contract with tests and benchmarks
 *   The map container carries data-events-drawn="N" (events represented after the latest update) and
 *   data-events-ready="1" once drawn ("0" while an update is in flight); data-events-clusters and
 *   data-events-stacks count the cluster bubbles and stack badges of the current view (data-events-largest-stack:
 *   the number on the biggest badge); data-play-step is the
 *   playback step shown (absent when playback is off); data-compare-drawn counts the rows of a compared period A
 *   drawn as grey rings (0 without a comparison).
 */
(function () {
  'use strict';
  if (window.BD && window.BD.update) { return; }
  var BD = window.BD = window.BD || {};
  var el = BD.el, textOf = BD.textOf;
  var PAGE = 25;
  var CLUSTER_CELL = 64;
  var HIT_CELL = 32;
  var STACK_BIN = 4;
  var MAX_BADGES = 400;
  var NEUTRAL = '#4d5a66';
  var YOURS = '#6a3d9a';
  var AT_TOWN_KM = 5;  // a stack this close to a town is "at" it, further away "near" it
  var COMPARED = '#8c8c8c';

  // ------------------------------------------------------------------------------------------ DOM text

  function safeHref(url) {
    return /^https?:\/\/[^\s\/?#@]+/i.test(url || '') && !/[\s"'<>\\]/.test(url) ? url : null;
  }

  /** "Source: <a>title</a>" (a link only for a plain http(s) URL). */
  function sourceLine(words, title, url) {
    var line = el('div', 'bd-source', words), href = safeHref(url);
    title = title || 'Source';
    if (href) {
      var a = el('a', null, title);
      a.href = href; a.target = '_blank'; a.rel = 'noopener noreferrer';
      line.appendChild(a);
    } else {
      line.appendChild(document.createTextNode(title + ' (link not shown: not an http(s) URL)'));
    }
    return line;
  }

  /** "17 events at Sarāvān" (within AT_TOWN_KM of the town), "3 events near Khāsh (12 km)", or "… here" before
   *  the gazetteer has arrived (static/towns.js); the town's local name follows when local names are on. */
  function whereLine(tag, cls, count, lat, lon) {
    var near = BD.nearestTown && BD.nearestTown(lat, lon);
    if (!near) { return el(tag, cls, count + ' events here'); }
    var at = near.km < AT_TOWN_KM, line = el(tag, cls, count + ' events ' + (at ? 'at ' : 'near '));
    BD.townName(line, near.row);
    if (!at) { line.appendChild(document.createTextNode(' (' + Math.round(near.km) + ' km)')); }
    return line;
  }

  /** "Nearest town: Sarāvān, 12 km" for an event placed at district or province level (null without towns). */
  function nearestLine(ds, i) {
    var near = (ds.flags[i] & 1) && BD.nearestTown && BD.nearestTown(ds.lat[i], ds.lon[i]);
    if (!near) { return null; }
    var line = el('div', 'bd-near', 'Nearest town: ');
    BD.townName(line, near.row);
    line.appendChild(document.createTextNode(', ' + Math.round(near.km) + ' km'));
    return line;
  }

  function kindOf(ds, i) { return ds.kinds[ds.kind[i]] || {label: '?', colour: '#777777', place: false}; }

  function popupContent(ds, i, back, view) {
    var kind = kindOf(ds, i);
    var box = el('div', 'bd-popup');
    if (back) { box.appendChild(back); }
    if (ds.flags[i] & 2) { box.appendChild(el('div', 'bd-dataset', 'Your data: ' + textOf(ds, 'dataset', i))); }
    box.appendChild(el('b', null, textOf(ds, 'title', i)));
    box.appendChild(el('div', null, kind.label + ' · ' + textOf(ds, 'period', i)));
    var where = el('div');
    where.appendChild(el('i', null, textOf(ds, 'place', i)));
    where.appendChild(document.createTextNode(' · location: ' + textOf(ds, 'precision', i)));
    box.appendChild(where);
    var near = nearestLine(ds, i);
    if (near) { box.appendChild(near); }
    if (!kind.place) { box.appendChild(el('div', null, 'Fatalities: ' + textOf(ds, 'fatalities', i))); }
    var actors = textOf(ds, 'actors', i);
    if (actors) { box.appendChild(el('div', null, 'Actors: ' + actors)); }
    var km = textOf(ds, 'distance', i);
    if (km) { box.appendChild(el('div', null, km)); }
    var desc = textOf(ds, 'description', i);
    if (desc) { box.appendChild(el('span', 'bd-desc', desc)); }
    var status = view && view.statusOf(i);
    if (status) {
      var line = el('div', 'bd-status bd-status-' + status[1]);
      line.appendChild(el('b', null, 'Status on ' + view.cfg.statusDay + ': ' + status[1]));
      line.appendChild(document.createTextNode(' (' + status[2] + ')'));
      box.appendChild(line);
      if (status[3]) { box.appendChild(el('div', 'bd-status-note', status[3])); }
      box.appendChild(sourceLine('Status source: ', status[4], status[5]));
    } else if (kind.place && view && view.cfg.statusDay) {
      box.appendChild(el('div', 'bd-status', 'No status recorded for ' + view.cfg.statusDay));
    }
    box.appendChild(sourceLine(kind.place ? 'Place source: ' : 'Source: ', textOf(ds, 'source_title', i),
                               textOf(ds, 'source_url', i)));
    var checked = textOf(ds, 'checked', i);
    if (checked) { box.appendChild(el('div', 'bd-hint', checked)); }
    if (!desc && ds.text.description === undefined) {
      box.appendChild(el('div', 'bd-hint', 'Full description in the Details panel below the map.'));
    }
    return box;
  }

  function tooltipContent(ds, hits) {
    var box = el('div', 'bd-tip');
    if (hits.length > 1) {
      box.appendChild(whereLine('b', null, hits.length, ds.lat[hits[0]], ds.lon[hits[0]]));
      box.appendChild(el('div', null, 'Click to list them'));
      return box;
    }
    var i = hits[0];
    box.appendChild(el('b', null, textOf(ds, 'title', i)));
    box.appendChild(el('div', null, kindOf(ds, i).label + ' · ' + textOf(ds, 'period', i)));
    return box;
  }

  // ------------------------------------------------------------------------------------------ the layer

  function EventsView(map) {
    this.map = map;
    this.ds = null;
    this.shown = [];
    this.cfg = {};
    this.seq = 0;
    this.drawnPoints = null;
    this.statusByRow = {};
    this.popups = 0;
    this.openRow = null;
    this.openMembers = null;
    this.quiet = false;
    this.released = false;  // BD.release: the map is being replaced (a new basemap) and must report nothing more
    map.createPane('bdHeat').style.zIndex = 430;
    map.createPane('bdEvents').style.zIndex = 450;
    map.getPane('bdEvents').style.pointerEvents = 'none';
    this.canvas = L.DomUtil.create('canvas', 'bd-events-canvas', map.getPane('bdEvents'));
    this.ctx = this.canvas.getContext('2d');
    this.tooltip = L.tooltip({direction: 'top', offset: [0, -8], className: 'bd-tooltip'});
    this.handlers = {
      zoomstart: this.hide, moveend: this.redraw, zoomend: this.redraw, resize: this.onResize, viewreset: this.redraw,
      mousemove: this.onMove, mouseout: this.onOut, click: this.onClick
    };
    map.on(this.handlers, this);
    this.legend = BD.makeLegend(map);
    this.playback = new BD.Playback(this);
    this.setReady(false, 0);
  }

  EventsView.prototype.setReady = function (ready, drawn) {
    var c = this.map.getContainer();
    c.setAttribute('data-events-ready', ready ? '1' : '0');
    if (drawn !== undefined) { c.setAttribute('data-events-drawn', String(drawn)); }
    if (ready) { BD.reportDrawn(); }  // the app lays out the rest of its page once the map has drawn
  };

  EventsView.prototype.update = function (cfg) {
    var self = this, seq = ++this.seq;
    this.setReady(false);
    BD.loadDataset(cfg.dataset).then(function (ds) {
      if (seq !== self.seq) { return; }
      self.apply(ds, cfg);
    }, function (err) {
      if (seq !== self.seq) { return; }
      self.ds = null; self.shown = [];
      self.clear();
      self.legend.error('Events not drawn: ' + err.message + '. Reload the page to try again.');
      self.map.getContainer().setAttribute('data-events-error', err.message);
      self.setReady(true, 0);
    });
  };

  EventsView.prototype.apply = function (ds, cfg) {
    var previousSelected = this.ds === ds ? this.cfg.selected : undefined;
    this.ds = ds;
    this.cfg = cfg;
    var byRow = {};
    (cfg.status || []).forEach(function (st) { byRow[st[0]] = st; });
    this.statusByRow = byRow;
    // Each uploaded file's ring colour, by its number in the flags' upper bits (events_payload.UPLOAD_SHIFT).
    var rings = {};
    (cfg.uploads || []).forEach(function (u) { rings[u.n] = u.colour; });
    this.ringColours = rings;
    var wanted = BD.decodeMask(cfg.mask, ds.n);
    // Draw order over the selection only.
    var inSel = new Uint8Array(ds.n);
    for (var i = 0; i < wanted.length; i++) { inSel[wanted[i]] = 1; }
    var filtered = [];
    for (var k = 0; k < ds.n; k++) { if (inSel[ds.order[k]]) { filtered.push(ds.order[k]); } }
    this.filtered = filtered;
    // A compared period A (cfg.compareMask): its rows drawn as grey rings under the selection, not clickable.
    this.compared = cfg.compareMask ? BD.decodeMask(cfg.compareMask, ds.n) : [];
    this.map.getContainer().setAttribute('data-compare-drawn', String(this.compared.length));
    this.playback.reset(cfg.play);
    this.showFrame();
    this.map.getContainer().removeAttribute('data-events-error');
    // A new selection (a table row, a shared link) opens its popup, unless the user just opened that one here.
    if (cfg.selected !== null && cfg.selected !== undefined && cfg.selected !== previousSelected &&
        cfg.selected < ds.n && this.isShown[cfg.selected] && cfg.selected !== this.openRow) {
      // The app may have just moved the map to the selection: open once it has arrived, so the popup's
      // auto-pan works from the final view and the popup ends up inside the map.
      var self = this, row = cfg.selected;
      whenSettled(this.map, function () {
        self.withText(function () { if (self.cfg.selected === row) { self.openEvent(row, null); } });
      });
    }
    this.setReady(true, this.shown.length);
    BD.datasetDrawn(ds);
  };

  /**
   * Run ``fn`` once the shown dataset's text columns are there (at once when they are), unless another dataset
   * or another map (BD.release) has replaced it meanwhile. A failure to load them is shown in the legend and ``fn`` runs with empty text.
   */
  EventsView.prototype.withText = function (fn) {
    var self = this, ds = this.ds;
    if (!ds.pendingText) { fn(); return; }
    ds.pendingText.then(function () {
      if (self.ds !== ds || self.released) { return; }  // another dataset, or a map replaced meanwhile
      if (ds.textError) { self.legend.error('Event details not shown: ' + ds.textError + '. Reload the page to try again.'); }
      fn();
    });
  };

  /** Draw the filtered rows inside the playback window (all of them when playback is off). */
  EventsView.prototype.showFrame = function () {
    var ds = this.ds, win = this.playback.window();
    // A row shows when its period overlaps the step's window, as the page's date filter reads it.
    this.shown = win ? this.filtered.filter(function (i) {
      var s = ds.start[i], e = ds.end[i];
      return (s < 0 || s <= win[1]) && (e < 0 || e >= win[0]);
    }) : this.filtered;
    var isShown = this.isShown = new Uint8Array(ds.n);
    this.shown.forEach(function (i) { isShown[i] = 1; });
    this.closeHidden();
    this.updateHeat();
    this.redraw();
    this.legend.update(ds, this.shown, Object.assign({statusByRow: this.statusByRow, compared: this.compared.length},
                                                     this.cfg));
    this.map.getContainer().setAttribute('data-events-drawn', String(this.shown.length));
  };

  /** [row, status, period in words, note] of a place on the status day, or undefined. */
  EventsView.prototype.statusOf = function (i) { return this.statusByRow[i]; };

  EventsView.prototype.updateHeat = function () {
    var ds = this.ds, cfg = this.cfg, size = this.map.getSize();
    // leaflet.heat reads back its canvas on every draw, which throws on an empty one: a map just being laid out
    // (a new basemap remounts it) or hidden has no size. The heat waits for the map's next resize.
    var empty = !size.x || !size.y;
    if (this.heat && (!cfg.heat || !ds || empty)) {
      this.map.removeLayer(this.heat);
      this.heat = null;
    }
    this.heatWaiting = !!(cfg.heat && ds && empty);
    if (!cfg.heat || !ds || !L.heatLayer || empty) { return; }
    var pts = this.shown.map(function (i) { return [ds.lat[i], ds.lon[i], 0.4 + Math.min(ds.radius[i] / 26, 1)]; });
    if (!this.heat) {
      // In its own pane, over the land fill of the offline basemap (the overlay pane is under it).
      this.heat = L.heatLayer(pts, {radius: 28, blur: 22, maxZoom: 9, minOpacity: 0.3, pane: 'bdHeat'});
      this.heat.addTo(this.map);
    } else {
      this.heat.setLatLngs(pts);
    }
  };

  EventsView.prototype.onResize = function () {
    var size = this.map.getSize();
    if (this.heatWaiting || (this.heat && (!size.x || !size.y))) { this.updateHeat(); }
    this.redraw();
  };

  EventsView.prototype.hide = function () { this.canvas.style.visibility = 'hidden'; };

  EventsView.prototype.clear = function () {
    this.ctx.clearRect(0, 0, this.canvas.width, this.canvas.height);
    this.drawnPoints = null;
  };

  EventsView.prototype.redraw = function () {
    var map = this.map, ds = this.ds;
    if (!ds) { this.clear(); return; }
    var size = map.getSize(), padX = Math.round(size.x * 0.25), padY = Math.round(size.y * 0.25);
    var w = size.x + 2 * padX, h = size.y + 2 * padY, dpr = window.devicePixelRatio || 1;
    var topLeft = map.containerPointToLayerPoint([-padX, -padY]);
    L.DomUtil.setPosition(this.canvas, topLeft);
    if (this.canvas.width !== Math.round(w * dpr) || this.canvas.height !== Math.round(h * dpr)) {
      this.canvas.width = Math.round(w * dpr); this.canvas.height = Math.round(h * dpr);
      this.canvas.style.width = w + 'px'; this.canvas.style.height = h + 'px';
    }
    var ctx = this.ctx;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, w, h);
    var scale = Math.pow(2, map.getZoom());
    var origin = map.getPixelOrigin();
    // Canvas pixel = world pixel - (pixel origin + layer point of the canvas corner).
    var ox = origin.x + topLeft.x, oy = origin.y + topLeft.y;
    this.frame = {ox: ox, oy: oy, padX: padX, padY: padY, w: w, h: h, scale: scale};
    this.clusters = [];
    this.drawCompared(ctx);
    var drawn = this.cfg.cluster ? this.drawClusters(ctx) : this.drawPoints(ctx);
    this.drawnPoints = drawn;
    this.canvas.style.visibility = 'visible';
    var c = map.getContainer();
    c.setAttribute('data-events-clusters', String(this.clusters.length));
    c.setAttribute('data-events-stacks', String(this.stackCount || 0));
    c.setAttribute('data-events-largest-stack', String(this.largestStack || 0));
  };

  /** Period A of a comparison: hollow grey rings (size by fatalities, as the symbols), under period B. */
  EventsView.prototype.drawCompared = function (ctx) {
    var ds = this.ds, f = this.frame, rows = this.compared || [];
    if (!rows.length) { return; }
    ctx.save();
    ctx.lineWidth = 2; ctx.strokeStyle = COMPARED; ctx.globalAlpha = 0.9;
    for (var s = 0; s < rows.length; s++) {
      var i = rows[s], x = ds.mx[i] * f.scale - f.ox, y = ds.my[i] * f.scale - f.oy, r = Math.max(ds.radius[i], 5) + 2;
      if (x < -r || y < -r || x > f.w + r || y > f.h + r) { continue; }
      ctx.beginPath(); ctx.arc(x, y, r, 0, 2 * Math.PI); ctx.stroke();
    }
    ctx.restore();
  };

  EventsView.prototype.drawSymbol = function (ctx, i, x, y) {
    var ds = this.ds, kind = kindOf(ds, i), upload = ds.flags[i] & 2;
    BD.symbols.stamp(ctx, {
      place: !!kind.place, approx: !!(ds.flags[i] & 1), r: ds.radius[i], colour: kind.colour,
      smuggling: kind.key === 'smuggling', ring: upload ? (this.ringColours || {})[ds.flags[i] >> 2] || YOURS : null
    }, x, y);
    var status = this.statusByRow[i];
    if (status && status[1] !== 'open') { statusMark(ctx, status[1], x, y); }
  };

  EventsView.prototype.drawPoints = function (ctx) {
    var ds = this.ds, f = this.frame, shown = this.shown;
    var xs = new Float32Array(shown.length), ys = new Float32Array(shown.length), idx = new Int32Array(shown.length);
    var m = 0, stacks = new Map();
    for (var s = 0; s < shown.length; s++) {
      var i = shown[s];
      var x = ds.mx[i] * f.scale - f.ox, y = ds.my[i] * f.scale - f.oy, r = ds.radius[i] + 10;
      if (x < -r || y < -r || x > f.w + r || y > f.h + r) { continue; }
      this.drawSymbol(ctx, i, x, y);
      xs[m] = x; ys[m] = y; idx[m] = i; m++;
      // Binned in world pixels, not screen pixels: a stack keeps its count while the map pans.
      var key = Math.round(ds.mx[i] * f.scale / STACK_BIN) * 33554432 + Math.round(ds.my[i] * f.scale / STACK_BIN);
      var st = stacks.get(key);
      var rr = kindOf(ds, i).place ? 8 : ds.radius[i];
      if (st) { st.n += 1; st.r = Math.max(st.r, rr); } else { stacks.set(key, {x: x, y: y, n: 1, r: rr}); }
    }
    var selected = this.cfg.selected;
    if (selected !== null && selected !== undefined && selected < ds.n && this.isShown[selected]) {
      var sx = ds.mx[selected] * f.scale - f.ox, sy = ds.my[selected] * f.scale - f.oy;
      ctx.beginPath(); ctx.arc(sx, sy, ds.radius[selected] + 7, 0, 2 * Math.PI);
      ctx.lineWidth = 3; ctx.strokeStyle = '#111111'; ctx.stroke();
    }
    var groups = [];
    stacks.forEach(function (g) { if (g.n > 1) { groups.push(g); } });
    groups.sort(function (a, b) { return b.n - a.n; });
    groups.slice(0, MAX_BADGES).forEach(function (g) { badge(ctx, g.x + Math.max(g.r, 7) * 0.7, g.y - Math.max(g.r, 7) * 0.7, g.n); });
    this.stackCount = groups.length;
    this.largestStack = groups.length ? groups[0].n : 0;
    return buildHits(xs, ys, idx, m, function (j) { return ds.kinds[ds.kind[j]].place ? 9 : ds.radius[j]; });
  };

  /** A closed place is crossed out, a restricted one barred: readable without colour. */
  function statusMark(ctx, status, x, y) {
    ctx.save();
    ctx.lineCap = 'round';
    ctx.beginPath();
    if (status === 'closed') {
      ctx.moveTo(x - 9, y - 9); ctx.lineTo(x + 9, y + 9); ctx.moveTo(x + 9, y - 9); ctx.lineTo(x - 9, y + 9);
    } else {
      ctx.moveTo(x - 9, y); ctx.lineTo(x + 9, y);
    }
    ctx.lineWidth = 5; ctx.strokeStyle = '#ffffff'; ctx.stroke();
    ctx.lineWidth = 2.5; ctx.strokeStyle = '#111111'; ctx.stroke();
    ctx.restore();
  }

  /**
   * Run ``fn`` once the map has arrived where the app just sent it: the map component sets the view in the same
   * task as this update, and Leaflet starts the zoom animation on the next frame. A popup opened before that would
   * auto-pan from the old view and end up clipped.
   */
  function whenSettled(map, fn) {
    requestAnimationFrame(function () {
      requestAnimationFrame(function () {
        if (BD.compat.zooming(map)) { map.once('zoomend', function () { setTimeout(fn, 0); }); } else { fn(); }
      });
    });
  }

  function badge(ctx, x, y, n) {
    var label = n > 999 ? Math.round(n / 100) / 10 + 'k' : String(n);
    ctx.font = 'bold 11px "Helvetica Neue", Arial, sans-serif';
    var w = Math.max(16, ctx.measureText(label).width + 8);
    ctx.beginPath();
    ctx.fillStyle = '#ffffff'; ctx.strokeStyle = '#222222'; ctx.lineWidth = 1.2;
    roundRect(ctx, x - w / 2, y - 8, w, 16, 8);
    ctx.fill(); ctx.stroke();
    ctx.fillStyle = '#111111'; ctx.textAlign = 'center'; ctx.textBaseline = 'middle';
    ctx.fillText(label, x, y + 0.5);
  }

  function roundRect(ctx, x, y, w, h, r) {
    ctx.moveTo(x + r, y); ctx.lineTo(x + w - r, y); ctx.arc(x + w - r, y + r, r, -Math.PI / 2, Math.PI / 2);
    ctx.lineTo(x + r, y + h); ctx.arc(x + r, y + r, r, Math.PI / 2, 3 * Math.PI / 2); ctx.closePath();
  }

  EventsView.prototype.drawClusters = function (ctx) {
    var ds = this.ds, f = this.frame, shown = this.shown, cells = new Map();
    for (var s = 0; s < shown.length; s++) {
      var i = shown[s], wx = ds.mx[i] * f.scale, wy = ds.my[i] * f.scale;
      var key = Math.floor(wx / CLUSTER_CELL) * 1e7 + Math.floor(wy / CLUSTER_CELL);
      var c = cells.get(key);
      if (!c) { c = {sx: 0, sy: 0, members: []}; cells.set(key, c); }
      c.sx += wx; c.sy += wy; c.members.push(i);
    }
    var xs = [], ys = [], idx = [], radii = [], singles = [], self = this, clusters = [];
    cells.forEach(function (c) {
      var x = c.sx / c.members.length - f.ox, y = c.sy / c.members.length - f.oy;
      if (x < -40 || y < -40 || x > f.w + 40 || y > f.h + 40) { return; }
      if (c.members.length === 1) { singles.push([c.members[0], x, y]); return; }
      clusters.push({x: x, y: y, members: c.members});
    });
    singles.forEach(function (p) {
      self.drawSymbol(ctx, p[0], p[1], p[2]);
      xs.push(p[1]); ys.push(p[2]); idx.push(p[0]); radii.push(ds.kinds[ds.kind[p[0]]].place ? 9 : ds.radius[p[0]]);
    });
    this.clusters = clusters;
    clusters.forEach(function (c, k) {
      var n = c.members.length, r = 13 + 4 * Math.log10(n);
      ctx.beginPath(); ctx.arc(c.x, c.y, r + 4, 0, 2 * Math.PI);
      ctx.fillStyle = 'rgba(77, 90, 102, 0.25)'; ctx.fill();
      ctx.beginPath(); ctx.arc(c.x, c.y, r, 0, 2 * Math.PI);
      ctx.fillStyle = NEUTRAL; ctx.fill(); ctx.lineWidth = 1.5; ctx.strokeStyle = '#ffffff'; ctx.stroke();
      ctx.fillStyle = '#ffffff'; ctx.font = 'bold 12px "Helvetica Neue", Arial, sans-serif';
      ctx.textAlign = 'center'; ctx.textBaseline = 'middle';
      ctx.fillText(n > 9999 ? Math.round(n / 1000) + 'k' : String(n), c.x, c.y + 0.5);
      xs.push(c.x); ys.push(c.y); idx.push(-1 - k); radii.push(r);
    });
    this.stackCount = 0;
    this.largestStack = 0;
    return buildHits(Float32Array.from(xs), Float32Array.from(ys), Int32Array.from(idx), idx.length,
                     function (j, pos) { return radii[pos]; });
  };

  function buildHits(xs, ys, idx, m, radiusOf) {
    var grid = new Map();
    for (var p = 0; p < m; p++) {
      var key = Math.floor(xs[p] / HIT_CELL) * 100000 + Math.floor(ys[p] / HIT_CELL);
      var list = grid.get(key);
      if (!list) { list = []; grid.set(key, list); }
      list.push(p);
    }
    return {xs: xs, ys: ys, idx: idx, grid: grid, radiusOf: radiusOf};
  }

  /** Rows (or clusters, as negative numbers) whose symbol covers a container point, topmost first. */
  EventsView.prototype.hitTest = function (point) {
    var d = this.drawnPoints, f = this.frame;
    if (!d || !f) { return []; }
    var x = point.x + f.padX, y = point.y + f.padY, out = [];
    var cx = Math.floor(x / HIT_CELL), cy = Math.floor(y / HIT_CELL);
    for (var gx = cx - 1; gx <= cx + 1; gx++) {
      for (var gy = cy - 1; gy <= cy + 1; gy++) {
        var list = d.grid.get(gx * 100000 + gy);
        if (!list) { continue; }
        for (var k = 0; k < list.length; k++) {
          var p = list[k], r = d.radiusOf(d.idx[p], p) + 3, dx = d.xs[p] - x, dy = d.ys[p] - y;
          if (dx * dx + dy * dy <= r * r) { out.push(p); }
        }
      }
    }
    out.sort(function (a, b) { return b - a; });  // drawn later = on top
    return out.map(function (p) { return d.idx[p]; });
  };

  EventsView.prototype.onMove = function (e) {
    if (!this.ds) { return; }
    var hits = this.hitTest(e.containerPoint), container = this.map.getContainer(), self = this;
    container.style.cursor = hits.length ? 'pointer' : '';
    if (!hits.length || hits[0] < 0) { this.map.closeTooltip(this.tooltip); return; }
    if (this.ds.pendingText) {  // the titles are on their way: the tooltip follows the pointer's latest move
      var waiting = !this.lastMove;
      this.lastMove = e;
      if (waiting) {
        this.withText(function () {
          var last = self.lastMove;
          self.lastMove = null;
          if (last) { self.onMove(last); }
        });
      }
      return;
    }
    this.tooltip.setLatLng(this.map.containerPointToLatLng(e.containerPoint)).setContent(tooltipContent(this.ds, hits));
    if (!this.map.hasLayer(this.tooltip)) { this.map.openTooltip(this.tooltip); }
  };

  EventsView.prototype.onOut = function () { this.lastMove = null; this.map.closeTooltip(this.tooltip); };

  EventsView.prototype.onClick = function (e) {
    if (!this.ds) { return; }
    var hits = this.hitTest(e.containerPoint), self = this;
    if (!hits.length) { return; }
    this.map.closeTooltip(this.tooltip);
    if (hits[0] < 0) { this.openCluster(this.clusters[-1 - hits[0]]); return; }
    // What was clicked is decided now; a click before the text columns have arrived opens it when they have.
    this.withText(function () {
      if (hits.length === 1) { self.openEvent(hits[0], null, true); return; }
      self.openList(hits, 0);
    });
  };

  EventsView.prototype.openCluster = function (cluster) {
    var ds = this.ds, map = this.map, members = cluster.members;
    var bounds = L.latLngBounds(members.map(function (i) { return [ds.lat[i], ds.lon[i]]; }));
    var flat = bounds.getNorthEast().equals(bounds.getSouthWest(), 1e-6);
    if (!flat && map.getZoom() < map.getMaxZoom()) {
      var target = Math.min(Math.max(map.getBoundsZoom(bounds, false, L.point(40, 40)), map.getZoom() + 1), map.getMaxZoom());
      map.setView(bounds.getCenter(), target);
    } else {
      var self = this;
      this.withText(function () { self.openList(members, 0); });
    }
  };

  /** Container points of the cluster bubbles in view, biggest first: [[x, y, count], ...]. */
  EventsView.prototype.clusterPoints = function () {
    var f = this.frame;
    return (this.clusters || []).map(function (c) { return [c.x - f.padX, c.y - f.padY, c.members.length]; })
      .sort(function (a, b) { return b[2] - a[2]; });
  };

  EventsView.prototype.latLngOf = function (i) { return [this.ds.lat[i], this.ds.lon[i]]; };

  EventsView.prototype.openEvent = function (i, back, byUser) {
    var content = popupContent(this.ds, i, back, this);
    var popup = L.popup(BD.popupOptions(this.map, 'bd-event-popup', 340));
    this.track(popup, i, null);
    popup.setLatLng(this.latLngOf(i)).setContent(content).openOn(this.map);
    if (byUser) { BD.report(i, this.cfg.datasetKey); }
  };

  /**
   * Keep count of the open popups and what they show. A popup the user closes (its ×, a click on the map) with
   * nothing opened in its place ends the selection: the app is told, so the popup does not come back on the next
   * rerun. Popups closed by the app's own update (``quietly``) report nothing.
   */
  EventsView.prototype.track = function (popup, row, members) {
    var self = this;
    popup.on('add', function () { self.popups += 1; self.openRow = row; self.openMembers = members; });
    popup.on('remove', function () {
      self.popups -= 1;
      if (self.openRow === row) { self.openRow = null; }
      if (self.openMembers === members) { self.openMembers = null; }
      if (self.quiet || self.released) { return; }  // the app's own update, or the map is being replaced
      setTimeout(function () {
        var selected = self.cfg.selected;
        if (self.popups === 0 && selected !== null && selected !== undefined) { BD.report(null, self.cfg.datasetKey); }
      }, 0);
    });
  };

  /** Close, without telling the app, a popup whose event (or one of whose listed events) is no longer shown. */
  EventsView.prototype.closeHidden = function () {
    var isShown = this.isShown, hidden = function (i) { return !isShown[i]; };
    var gone = (this.openRow !== null && this.openRow !== undefined && hidden(this.openRow)) ||
      (this.openMembers && this.openMembers.some(hidden));
    if (!gone) { return; }
    this.quiet = true;
    try { this.map.closePopup(); } finally { this.quiet = false; }
  };

  EventsView.prototype.openList = function (members, page) {
    var ds = this.ds, self = this;
    var sorted = members.slice().sort(function (a, b) { return ds.date[b] - ds.date[a] || a - b; });
    var box = el('div', 'bd-stack');
    box.appendChild(whereLine('b', 'bd-stack-where', sorted.length, ds.lat[sorted[0]], ds.lon[sorted[0]]));
    var pages = Math.ceil(sorted.length / PAGE);
    var list = el('ol', 'bd-stack-list');
    list.start = page * PAGE + 1;
    sorted.slice(page * PAGE, (page + 1) * PAGE).forEach(function (i) {
      var item = el('li'), button = el('button', 'bd-stack-item');
      button.type = 'button';
      var sw = el('span', 'bd-sw');
      sw.style.background = kindOf(ds, i).colour;
      sw.style.borderRadius = kindOf(ds, i).place ? '2px' : '50%';
      button.appendChild(sw);
      button.appendChild(el('span', 'bd-stack-title', textOf(ds, 'title', i)));
      button.appendChild(el('span', 'bd-stack-date', textOf(ds, 'period', i)));
      L.DomEvent.on(button, 'click', function (ev) {
        L.DomEvent.stop(ev);
        var back = el('button', 'bd-back', '← all ' + sorted.length + ' events here');
        back.type = 'button';
        L.DomEvent.on(back, 'click', function (e2) { L.DomEvent.stop(e2); self.openList(members, page); });
        self.openEvent(i, back, true);
      });
      item.appendChild(button);
      list.appendChild(item);
    });
    box.appendChild(list);
    if (pages > 1) {
      var nav = el('div', 'bd-stack-nav');
      var prev = el('button', null, '‹ previous'), next = el('button', null, 'next ›');
      prev.type = next.type = 'button';
      prev.disabled = page === 0; next.disabled = page >= pages - 1;
      L.DomEvent.on(prev, 'click', function (ev) { L.DomEvent.stop(ev); self.openList(members, page - 1); });
      L.DomEvent.on(next, 'click', function (ev) { L.DomEvent.stop(ev); self.openList(members, page + 1); });
      nav.appendChild(prev);
      nav.appendChild(el('span', null, 'page ' + (page + 1) + ' of ' + pages));
      nav.appendChild(next);
      box.appendChild(nav);
    }
    var popup = L.popup(BD.popupOptions(this.map, 'bd-stack-popup', 360));
    this.track(popup, null, members);
    popup.setLatLng(this.latLngOf(sorted[0])).setContent(box).openOn(this.map);
  };

  // ------------------------------------------------------------------------------------------ entry point

  /**
   * Before a map is removed (the app's page builds a new one for another basemap): playback stops ticking, the
   * heat layer goes first, and the popups its removal closes report nothing.
   */
  BD.release = function (map) {
    var view = map.__bdEvents;
    if (!view) { return; }
    // Removing the map closes its popups: that is not the user ending the selection (the new map opens it again).
    view.released = true;
    view.playback.pauseQuietly();  // a playing timer would go on moving the removed map
    if (view.heat) {
      map.removeLayer(view.heat);
      view.heat = null;
    }
  };

  /**
   * The app has just moved the map (a table row focuses its event): an event's popup that was already open is
   * fitted into the map again once the map has arrived, as a newly opened one is (its auto-pan ran from the old
   * view, so the move could leave it cut off at the map's edge).
   */
  BD.refitPopup = function (map) {
    map.eachLayer(function (layer) {
      if (layer instanceof L.Popup && layer.isOpen()) {
        whenSettled(map, function () { if (layer.isOpen()) { layer.update(); } });
      }
    });
  };

  /** Called by the events layer's script on every app rerun that changes it. */
  BD.update = function (map, cfg) {
    if (!map.__bdEvents) { map.__bdEvents = new EventsView(map); }
    map.__bdEvents.update(cfg);
  };
})();
