/*
 * How the map's browser files read a JSON document by URL (the boundaries, a dataset): one rule for the HTTP check,
 * and a hand-over of documents the component's page started fetching before the map's scripts had loaded
 * (static/ready.js). A standalone page has no such head start: its documents are data: URLs read on demand.
 */
(function () {
  'use strict';
  var BD = window.BD = window.BD || {};
  if (BD.fetchJSON) { return; }  // the component's page loads this file before map.js, which carries it too
  var early = {};

  /** The response for ``url`` (a promise; rejected with "HTTP <status>" on an HTTP error). */
  function respond(url) {
    return fetch(url, {credentials: 'same-origin'}).then(function (r) {
      if (!r.ok) { throw new Error('HTTP ' + r.status); }
      return r;
    });
  }

  function load(url) {
    return respond(url).then(function (r) { return r.json(); });
  }

  /** Start reading ``url`` now; the next BD.fetchJSON(url) takes this request instead of making another. */
  BD.prefetch = function (url) {
    if (url && !early[url]) {
      early[url] = load(url);
      early[url].catch(function () {});  // a failure is reported by whoever takes the document
    }
  };

  /**
   * The JSON document at ``url``, requested now but read (parsed, on the page's thread) only once ``after`` has
   * resolved: a document the first draw does not need waits for that draw.
   */
  BD.fetchJSONAfter = function (url, after) {
    var response = respond(url);
    response.catch(function () {});  // reported by whoever takes the document
    return Promise.all([response, after]).then(function (both) { return both[0].json(); });
  };

  /** The JSON document at ``url`` (a promise; rejected with "HTTP <status>" on an HTTP error). */
  BD.fetchJSON = function (url) {
    var started = early[url];
    if (started) {
      delete early[url];  // handed over once: a later read of the same URL asks the server again
      return started;
    }
    return load(url);
  };
})();
