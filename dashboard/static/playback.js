/*
 * Time playback of the events layer (see events.js): steps the filtered period by week or month, cumulative or
 * each period on its own. The app computes the period and its steps (dashboard/playback.py) and sends them with
 * every update; this control only moves between them. The step the user stops on goes to the app, which then
 * shows that step on the whole page (header, metrics, table, timeline, figure) and in the link.
 */
(function () {
  'use strict';
  var BD = window.BD = window.BD || {};
  var el = BD.el, reportPlay = BD.reportPlay;

  var DAY_MS = 86400000;
  var MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

  function dayLabel(day) {
    var d = new Date(day * DAY_MS);
    return d.getUTCDate() + ' ' + MONTHS[d.getUTCMonth()] + ' ' + d.getUTCFullYear();
  }

  /**
   * Time playback: steps the map through the filtered period, week or month at a time, cumulative (everything
   * up to the step) or sliding (the step's window only). Runs in the browser; the frame the user stops on goes to
   * the app for the shareable link and the timeline.
   */
  function Playback(view) {
    this.view = view;
    this.state = null;   // {unit, mode, step} while playback is on
    this.frames = [];
    this.timer = null;
    this.control = this.makeControl(view.map);
  }

  /** ``play`` is the app's playback config: {state, first, steps: {month: [s, e, ...], week: [...]}} (days). */
  Playback.prototype.reset = function (play) {
    play = play || {state: null, first: null, steps: {}};
    this.first = play.first;
    this.allSteps = play.steps || {};
    var wanted = play.state || null;
    if (JSON.stringify(wanted) !== JSON.stringify(this.applied)) {
      this.applied = wanted;
      this.state = wanted ? {unit: wanted.unit, mode: wanted.mode, step: wanted.step} : null;
    }
    this.recompute();
  };

  Playback.prototype.recompute = function () {
    var flat = (this.state && this.allSteps[this.state.unit]) || [], frames = [];
    for (var k = 0; k + 1 < flat.length; k += 2) { frames.push([flat[k], flat[k + 1]]); }
    this.frames = frames;
    if (this.state) { this.state.step = Math.max(0, Math.min(this.state.step, this.frames.length - 1)); }
    this.render();
  };

  /** [first, last] day the current step shows, or null when playback is off. */
  Playback.prototype.window = function () {
    if (!this.state || !this.frames.length) { return null; }
    var f = this.frames[this.state.step];
    return [this.state.mode === 'sliding' ? f[0] : this.first, f[1]];
  };

  Playback.prototype.go = function (step, report) {
    if (!this.state) { return; }
    this.state.step = Math.max(0, Math.min(step, this.frames.length - 1));
    this.render();
    this.view.showFrame();
    if (report) { reportPlay(this.state); }
  };

  Playback.prototype.toggle = function () {
    var self = this;
    if (!this.state) { this.state = {unit: this.unit.value, mode: this.mode.value, step: 0}; this.recompute(); this.view.showFrame(); }
    if (this.timer) { this.pause(); return; }
    if (this.state.step >= this.frames.length - 1) { this.go(0, false); }
    this.timer = setInterval(function () {
      if (self.state.step >= self.frames.length - 1) { self.pause(); return; }
      self.go(self.state.step + 1, false);
    }, 900);
    this.render();
  };

  Playback.prototype.pause = function () {
    if (this.timer) { clearInterval(this.timer); this.timer = null; }
    this.render();
    if (this.state) { reportPlay(this.state); }
  };

  Playback.prototype.stop = function () {
    if (this.timer) { clearInterval(this.timer); this.timer = null; }
    this.state = null;
    this.recompute();
    this.view.showFrame();
    reportPlay({off: true});
  };

  Playback.prototype.makeControl = function (map) {
    var self = this, control = L.control({position: 'topright'});
    control.onAdd = function () {
      var root = L.DomUtil.create('div', 'bd-play');
      var row = el('div', 'bd-play-row');
      self.button = el('button', 'bd-play-button', '▶');
      self.button.type = 'button';
      self.button.setAttribute('aria-label', 'Play through time');
      self.back = el('button', 'bd-play-step', '‹'); self.back.type = 'button'; self.back.setAttribute('aria-label', 'Previous step');
      self.next = el('button', 'bd-play-step', '›'); self.next.type = 'button'; self.next.setAttribute('aria-label', 'Next step');
      self.unit = el('select', 'bd-play-unit');
      [['month', 'by month'], ['week', 'by week']].forEach(function (o) { var opt = el('option', null, o[1]); opt.value = o[0]; self.unit.appendChild(opt); });
      self.mode = el('select', 'bd-play-mode');
      [['cumulative', 'cumulative'], ['sliding', 'each period']].forEach(function (o) { var opt = el('option', null, o[1]); opt.value = o[0]; self.mode.appendChild(opt); });
      self.close = el('button', 'bd-play-close', '✕'); self.close.type = 'button'; self.close.setAttribute('aria-label', 'Stop playback, show all');
      [self.back, self.button, self.next, self.unit, self.mode, self.close].forEach(function (n) { row.appendChild(n); });
      root.appendChild(row);
      self.slider = el('input', 'bd-play-slider'); self.slider.type = 'range'; self.slider.min = 0;
      self.slider.setAttribute('aria-label', 'Playback step');
      root.appendChild(self.slider);
      self.label = el('div', 'bd-play-label', 'Play the filtered period through time');
      root.appendChild(self.label);
      L.DomEvent.disableClickPropagation(root);
      L.DomEvent.disableScrollPropagation(root);
      L.DomEvent.on(self.button, 'click', function () { self.toggle(); });
      L.DomEvent.on(self.back, 'click', function () { if (!self.state) { self.toggle(); self.pause(); } else { self.pauseQuietly(); self.go(self.state.step - 1, true); } });
      L.DomEvent.on(self.next, 'click', function () { if (!self.state) { self.toggle(); self.pause(); } else { self.pauseQuietly(); self.go(self.state.step + 1, true); } });
      L.DomEvent.on(self.slider, 'input', function () { if (self.state) { self.pauseQuietly(); self.go(+self.slider.value, false); } });
      L.DomEvent.on(self.slider, 'change', function () { if (self.state) { reportPlay(self.state); } });
      L.DomEvent.on(self.unit, 'change', function () { if (self.state) { self.state.unit = self.unit.value; self.state.step = 0; self.recompute(); self.view.showFrame(); reportPlay(self.state); } });
      L.DomEvent.on(self.mode, 'change', function () { if (self.state) { self.state.mode = self.mode.value; self.view.showFrame(); reportPlay(self.state); } });
      L.DomEvent.on(self.close, 'click', function () { self.stop(); });
      return root;
    };
    control.addTo(map);
    return control;
  };

  Playback.prototype.pauseQuietly = function () {
    if (this.timer) { clearInterval(this.timer); this.timer = null; }
  };

  Playback.prototype.render = function () {
    if (!this.button) { return; }
    var on = !!this.state, root = this.button.parentNode.parentNode;
    root.classList.toggle('bd-play-on', on);
    this.button.textContent = this.timer ? '⏸' : '▶';
    this.button.setAttribute('aria-label', this.timer ? 'Pause' : 'Play through time');
    this.slider.disabled = !on;
    this.close.disabled = !on;
    if (on) { this.unit.value = this.state.unit; this.mode.value = this.state.mode; }
    this.slider.max = Math.max(this.frames.length - 1, 0);
    this.slider.value = on ? this.state.step : 0;
    var c = this.view.map.getContainer();
    if (!on || !this.frames.length) {
      this.label.textContent = this.first !== null && this.first !== undefined ? 'Play the filtered period through time' : 'No dated events to play';
      c.removeAttribute('data-play-step');
      return;
    }
    var w = this.window();
    this.label.textContent = 'Step ' + (this.state.step + 1) + ' of ' + this.frames.length + ': ' +
      (this.state.mode === 'sliding' ? dayLabel(w[0]) + ' – ' : 'up to ') + dayLabel(w[1]);
    c.setAttribute('data-play-step', String(this.state.step));
  };

  BD.Playback = Playback;
})();
