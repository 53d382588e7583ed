/*
 * The events' symbols on the map's canvas (static/events.js draws them): each distinct symbol — its kind's shape
 * and colour, exact or approximate, its size, the ring of an analyst's file — is painted once into a small
 * off-screen canvas at the screen's pixel ratio and then stamped with drawImage wherever an event has it. Tracing
 * and stroking a path per event (a dash pattern and four style changes each) cost ~1 s of the main thread for
 * 100,000 events; a stamp is a copy of a few hundred pixels, ~2.5–4x quicker (measured in Chromium: 100,000
 * symbols, 7.0–8.6 s traced against 1.5–3.1 s stamped, on a loaded 2-core machine). Sizes are kept to the half
 * pixel and stamps land on whole screen pixels (a symbol moves by at most half a pixel).
 */
(function () {
  'use strict';
  var BD = window.BD = window.BD || {};
  if (BD.symbols) { return; }

  function shapePath(ctx, place, x, y, r) {
    ctx.beginPath();
    if (place) { ctx.rect(x - 7, y - 7, 14, 14); } else { ctx.arc(x, y, r, 0, 2 * Math.PI); }
  }

  /**
   * Draw one symbol as vectors at (x, y): ``s`` = {place, approx, r, colour, smuggling, ring} where ``ring`` is
   * the colour of an analyst's file (or null for ours).
   */
  function paint(ctx, s, x, y) {
    shapePath(ctx, s.place, x, y, s.r);
    ctx.setLineDash(s.approx ? [3, 3] : []);
    ctx.globalAlpha = s.approx ? 0.35 : (s.r > 14 ? 0.6 : 0.85);
    ctx.fillStyle = s.approx ? '#ffffff' : s.colour;
    ctx.fill();
    ctx.globalAlpha = 1;
    ctx.lineWidth = s.approx || s.place ? 2.5 : 1.2;
    ctx.strokeStyle = s.smuggling ? '#333333' : (s.approx ? s.colour : '#ffffff');
    ctx.stroke();
    ctx.setLineDash([]);
    if (s.place && !s.approx) {
      ctx.lineWidth = 1; ctx.strokeStyle = s.colour;
      ctx.strokeRect(x - 8.5, y - 8.5, 17, 17);
    }
    if (s.ring) {  // the analyst's own data: an outer ring in its file's colour, never passing for ours
      shapePath(ctx, s.place, x, y, s.r + 3);
      if (s.place) { ctx.beginPath(); ctx.rect(x - 10, y - 10, 20, 20); }
      ctx.lineWidth = 2; ctx.strokeStyle = s.ring; ctx.stroke();
    }
  }

  var sprites = new Map(), spriteRatio = 0, MAX_SPRITES = 2048;

  function sprite(s, key, ratio) {
    var half = Math.ceil(Math.max(s.r + 5, 12)), size = 2 * half;
    var canvas = document.createElement('canvas');
    canvas.width = Math.ceil(size * ratio); canvas.height = canvas.width;
    var ctx = canvas.getContext('2d');
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    paint(ctx, s, half, half);
    var made = {canvas: canvas, half: half, size: size};
    if (sprites.size >= MAX_SPRITES) { sprites.clear(); }
    sprites.set(key, made);
    return made;
  }

  BD.symbols = {
    /** Stamp symbol ``s`` at (x, y) on ``ctx`` (whose transform is the screen's pixel ratio). */
    stamp: function (ctx, s, x, y) {
      var ratio = window.devicePixelRatio || 1;
      if (ratio !== spriteRatio) { sprites.clear(); spriteRatio = ratio; }
      s.r = Math.round(s.r * 2) / 2;
      var key = (s.place ? 'p' : 'e') + (s.approx ? 'a' : 'x') + (s.smuggling ? 's' : '') + s.r + s.colour + (s.ring || '');
      var made = sprites.get(key) || sprite(s, key, ratio);
      // On whole screen pixels: a stamp that lands between pixels is resampled, ~3x slower and blurred.
      var left = Math.round((x - made.half) * ratio) / ratio, top = Math.round((y - made.half) * ratio) / ratio;
      ctx.drawImage(made.canvas, left, top, made.size, made.size);
    }
  };
})();
