/*
 * The baseline of benchmarks/bench_symbols.py: an event's symbol traced and stroked as a path, with its dash
 * pattern and style changes, once per event (how static/events.js drew them before static/symbols.js).
 */
window.tracedSymbol = function (ctx, s, x, y) {
  'use strict';
  ctx.beginPath();
  ctx.arc(x, y, s.r, 0, 2 * Math.PI);
  ctx.setLineDash(s.approx ? [3, 3] : []);
  ctx.globalAlpha = s.approx ? 0.35 : (s.r > 14 ? 0.6 : 0.85);
  ctx.fillStyle = s.approx ? '#ffffff' : s.colour;
  ctx.fill();
  ctx.globalAlpha = 1;
  ctx.lineWidth = s.approx ? 2.5 : 1.2;
  ctx.strokeStyle = s.approx ? s.colour : '#ffffff';
  ctx.stroke();
  ctx.setLineDash([]);
};
