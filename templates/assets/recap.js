// Recap's only script: a click-to-play video (nothing loads from YouTube until the visitor asks),
// talk timestamps that start the player at the talk, and the filters of the talks page.
(function () {
  'use strict';

  function play(figure, start) {
    var iframe = figure.querySelector('iframe');
    var embed = figure.getAttribute('data-embed');
    var src = embed + (embed.indexOf('?') === -1 ? '?' : '&') + 'autoplay=1' + (start ? '&start=' + start : '');
    if (!iframe) {
      iframe = document.createElement('iframe');
      iframe.setAttribute('title', figure.getAttribute('data-title') || 'Video');
      iframe.setAttribute('allow', 'autoplay; encrypted-media; picture-in-picture; fullscreen');
      iframe.setAttribute('allowfullscreen', '');
      iframe.setAttribute('referrerpolicy', 'strict-origin-when-cross-origin');
      var facade = figure.querySelector('.video-facade');
      figure.replaceChild(iframe, facade);
    }
    iframe.src = src;
    iframe.focus();
  }

  // Every player on the page (the recording, and any a post embedded); talk times start the first.
  document.querySelectorAll('figure.video').forEach(function (each) {
    each.querySelector('.video-facade').addEventListener('click', function (event) {
      event.preventDefault();
      play(each, 0);
    });
  });
  var figure = document.querySelector('figure.video');
  if (figure) {
    document.querySelectorAll('a.talk-time[data-start]').forEach(function (link) {
      link.addEventListener('click', function (event) {
        event.preventDefault();
        play(figure, Number(link.getAttribute('data-start')));
        figure.scrollIntoView({ behavior: 'smooth', block: 'nearest' });
      });
    });
  }

  var filters = document.querySelector('form.talk-filters');
  if (filters) {
    var speaker = filters.querySelector('[name="speaker"]');
    var tag = filters.querySelector('[name="tag"]');
    var count = document.querySelector('.talk-count');
    var items = document.querySelectorAll('li[data-speaker]');
    var apply = function () {
      var shown = 0;
      items.forEach(function (item) {
        var tags = item.getAttribute('data-tags').split('|');
        var visible = (!speaker.value || item.getAttribute('data-speaker') === speaker.value) && (!tag.value || tags.indexOf(tag.value) !== -1);
        item.hidden = !visible;
        if (visible) shown++;
      });
      if (count) count.textContent = shown + (shown === 1 ? ' talk' : ' talks');
    };
    filters.hidden = false;
    filters.addEventListener('change', apply);
    filters.addEventListener('submit', function (event) { event.preventDefault(); });
    apply();
  }
})();
