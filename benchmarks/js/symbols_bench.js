/*
 * benchmarks/bench_symbols.py: draws the same N symbols on one map-sized canvas, traced (js/traced_symbols.js)
 * and stamped (dashboard/static/symbols.js), alternately, and returns the milliseconds of each round. Reading
 * one pixel back makes the canvas finish its drawing inside the timed span.
 */
window.benchSymbols = function (n, width, height, rounds) {
  'use strict';
  var canvas = document.createElement('canvas');
  canvas.width = width; canvas.height = height;
  document.body.appendChild(canvas);
  var ctx = canvas.getContext('2d');
  var colours = ['#d62728', '#ff7f0e', '#1f77b4', '#2ca02c', '#9467bd', '#8c564b'];
  var seed = 1;
  function random() { seed = (seed * 16807) % 2147483647; return seed / 2147483647; }
  var symbols = [];
  for (var i = 0; i < n; i++) {  // around 300 x 155 places, as events gather at towns
    symbols.push({x: (i % 300) * width / 300 + random() * 6, y: ((i * 7) % 155) * height / 155 + random() * 6,
                  s: {place: false, approx: random() < 0.2, r: 4 + Math.floor(random() * 40) / 4,
                      colour: colours[i % colours.length], smuggling: false, ring: null}});
  }
  function timed(draw) {
    ctx.clearRect(0, 0, width, height);
    var start = performance.now();
    for (var k = 0; k < symbols.length; k++) { draw(ctx, symbols[k].s, symbols[k].x, symbols[k].y); }
    ctx.getImageData(0, 0, 1, 1);
    return performance.now() - start;
  }
  var out = {traced: [], stamped: []};
  for (var r = 0; r < rounds; r++) {
    out.traced.push(timed(window.tracedSymbol));
    out.stamped.push(timed(window.BD.symbols.stamp));
  }
  return out;
};
