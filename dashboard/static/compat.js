/*
 * Every touch of a private field of Leaflet, in one place: no other file of ours reads a field
 * whose name starts with "_" (tests/test_private_apis.py), and tests/dashboard/test_compat.py checks each one
 * against the libraries we ship, so an upgrade that renames one fails a unit test instead of the map.
 */
(function () {
  'use strict';
  var BD = window.BD = window.BD || {};
  BD.compat = {
    /**
     * Whether Leaflet is between a zoom animation's start and its zoomend (``_animatingZoom``): a popup opened then
     * auto-pans from the old view. Leaflet has no public flag for it.
     */
    zooming: function (map) { return !!map._animatingZoom; }
  };
})();
