/**
 * The script `recap serve` adds to every HTML page (never to a build): it listens for rebuilds,
 * reloads the page when it changed or when a copied file it links or shows changed, swaps
 * stylesheets when only styles changed, and reloads pages that show the error overlay once the
 * error is fixed.
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
    var shown = Array.prototype.some.call(document.querySelectorAll('link[href], script[src], img[src], source[src], iframe[src], video[src], audio[src], embed[src]'), function (element) {
      var address = new URL(element.getAttribute('href') || element.getAttribute('src'), location.href);
      return address.origin === location.origin && event.files.indexOf(decodeURI(address.pathname)) >= 0;
    });
    if (shown) return location.reload();
    event.styles.forEach(function (swap) {
      document.querySelectorAll('link[rel="stylesheet"]').forEach(function (link) {
        if (decodeURI(new URL(link.href).pathname) === swap.from) link.href = swap.to;
      });
    });
  });
})();
`;
