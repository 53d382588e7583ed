/*
 * The in-map legend of the events layer (see events.js): types with counts, symbol keys, place status, stacks,
 * clusters, heat and the analyst's own data; folds away (folded from the start on narrow maps).
 */
(function () {
  'use strict';
  var BD = window.BD = window.BD || {};
  var el = BD.el;

  function makeLegend(map) {
    var control = L.control({position: 'bottomright'});
    var root, body, toggle, collapsed = false;
    control.onAdd = function () {
      root = L.DomUtil.create('div', 'bd-legend');
      var head = el('div', 'bd-legend-head');
      head.appendChild(el('span', 'bd-title', 'Legend'));
      toggle = el('button', 'bd-legend-toggle', '–');
      toggle.type = 'button';
      toggle.setAttribute('aria-label', 'Collapse the legend');
      head.appendChild(toggle);
      root.appendChild(head);
      body = el('div', 'bd-legend-body');
      root.appendChild(body);
      L.DomEvent.disableClickPropagation(root);
      L.DomEvent.disableScrollPropagation(root);
      L.DomEvent.on(toggle, 'click', function () {
        collapsed = !collapsed;
        root.classList.toggle('bd-collapsed', collapsed);
        toggle.textContent = collapsed ? '+' : '–';
        toggle.setAttribute('aria-label', collapsed ? 'Expand the legend' : 'Collapse the legend');
      });
      // Narrow maps (phones) start with the legend folded so it does not cover the map.
      if (map.getSize().x < 500) { toggle.click(); }
      return root;
    };
    control.addTo(map);

    /** Words with a "click to ..." hint, which presentation mode hides (map.css). */
    function hinted(words, hint) {
      var span = el('span', null, words);
      span.appendChild(el('span', 'bd-legend-hint', hint));
      return span;
    }

    /** A symbol and its words, kept together when a key row wraps in the narrow legend. */
    function keyItem(symbol, words) {
      var item = el('span', 'bd-key-item');
      item.appendChild(symbol);
      item.appendChild(el('span', null, words));
      return item;
    }

    function keyRow(parts) {
      var row = el('div', 'bd-key');
      parts.forEach(function (p) { row.appendChild(p); });
      return row;
    }

    control.update = function (ds, shown, cfg) {
      body.textContent = '';
      var counts = ds.kinds.map(function () { return 0; }), yours = 0, byFile = {};
      shown.forEach(function (i) {
        counts[ds.kind[i]] += 1;
        if (ds.flags[i] & 2) { yours += 1; byFile[ds.flags[i] >> 2] = (byFile[ds.flags[i] >> 2] || 0) + 1; }
      });
      var any = false;
      ds.kinds.forEach(function (k, c) {
        if (!counts[c]) { return; }
        any = true;
        var row = el('div', 'bd-row');
        var sw = el('span', 'bd-sw');
        sw.style.background = k.colour;
        sw.style.borderRadius = k.place ? '2px' : '50%';
        row.appendChild(sw);
        row.appendChild(el('span', null, k.label));
        row.appendChild(el('span', 'bd-n', counts[c].toLocaleString('en')));
        body.appendChild(row);
      });
      if (!any) { body.appendChild(el('div', 'bd-row', 'No events match the filters')); }
      if (cfg.compareMask) {
        body.appendChild(keyRow([el('span', 'bd-compare-key'),
                                 el('span', null, (cfg.compared || 0).toLocaleString('en') + ' in ' + (cfg.compareLabel || 'period A') + ' (grey rings)')]));
      }
      var solid = el('span', 'bd-sw bd-solid'), hollow = el('span', 'bd-sw bd-hollow');
      body.appendChild(keyRow([keyItem(solid, 'exact / town'), keyItem(hollow, 'approximate')]));
      var sizes = (cfg.sizes || []).map(function (s, k, all) {
        var dot = el('span', 'bd-dot');
        dot.style.width = dot.style.height = (2 * s[1]) + 'px';
        return keyItem(dot, k === all.length - 1 ? s[0] + ' killed' : s[0]);
      });
      if (sizes.length) { body.appendChild(keyRow(sizes)); }
      var statuses = {};
      shown.forEach(function (i) { var st = cfg.statusByRow && cfg.statusByRow[i]; if (st) { statuses[st[1]] = (statuses[st[1]] || 0) + 1; } });
      ['closed', 'restricted', 'open'].forEach(function (name) {
        if (!statuses[name]) { return; }
        body.appendChild(keyRow([el('span', 'bd-status-key bd-status-key-' + name),
                                 el('span', null, name + ' on ' + cfg.statusDay + ' (' + statuses[name] + ')')]));
      });
      var stack = el('span', 'bd-badge-key', '3');
      body.appendChild(keyRow([stack, hinted('events at one spot', ': click to list')]));
      if (cfg.cluster) {
        var bubble = el('span', 'bd-cluster-key', '12');
        body.appendChild(keyRow([bubble, hinted('cluster of nearby events', ': click to zoom in')]));
      }
      if (cfg.heat) { body.appendChild(keyRow([el('span', 'bd-heat-key'), el('span', null, 'heat: density of events')])); }
      var files = cfg.uploads || [];
      if (yours || files.length) {
        body.appendChild(el('div', 'bd-key bd-yours-total', yours.toLocaleString('en') + ' from your data'));
      }
      files.forEach(function (u) {  // one line a file: its ring, its name (a text node) and what is shown of it
        var ring = el('span', 'bd-yours-key');
        ring.style.borderColor = u.colour;
        var n = byFile[u.n] || 0;
        var row = keyRow([ring, el('span', 'bd-file-name', u.name),
                          el('span', 'bd-file-n', u.on ? n.toLocaleString('en') : 'hidden')]);
        row.classList.add('bd-file');
        body.appendChild(row);
      });
      body.appendChild(keyRow([el('span', 'bd-line'), el('span', null, 'Pakistan–Iran border')]));
    };

    control.error = function (message) {
      body.textContent = '';
      body.appendChild(el('div', 'bd-row bd-error', message));
    };
    return control;
  }

  BD.makeLegend = makeLegend;
})();
