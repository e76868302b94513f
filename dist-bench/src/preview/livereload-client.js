/**
 * The script `recap serve` adds to every HTML page (never to a build): it listens for rebuilds,
 * reloads the page when it changed, swaps stylesheets when only styles changed, and reloads
 * pages that show the error overlay once the error is fixed.
 */
export const LIVE_RELOAD_CLIENT = `(function () {
  'use strict';
  var here = decodeURI(location.pathname);
  var source = new EventSource('/__recap/events');
  source.addEventListener('rebuild', function (message) {
    var event = JSON.parse(message.data);
    if (document.getElementById('recap-overlay') || event.errors) return location.reload();
    var changed = event.pages.some(function (page) { return page === here || page === here + 'index.html'; });
    if (changed && !event.stylesOnly) return location.reload();
    event.styles.forEach(function (swap) {
      document.querySelectorAll('link[rel="stylesheet"]').forEach(function (link) {
        if (decodeURI(new URL(link.href).pathname) === swap.from) link.href = swap.to;
      });
    });
  });
})();
`;
