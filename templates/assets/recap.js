// Recap's only script: a click-to-play video (nothing loads from YouTube until the visitor asks),
// talk timestamps that start the player at the talk, and the filters of the talks page (by meetup group).
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
    var groups = document.querySelectorAll('section.talk-group');
    var apply = function () {
      var shown = 0;
      groups.forEach(function (group) {
        var tagged = !tag.value || group.getAttribute('data-tags').split('|').indexOf(tag.value) !== -1;
        var inGroup = 0;
        group.querySelectorAll('li[data-speakers]').forEach(function (item) {
          var visible = tagged && (!speaker.value || item.getAttribute('data-speakers').split('|').indexOf(speaker.value) !== -1);
          item.hidden = !visible;
          if (visible) inGroup++;
        });
        group.hidden = inGroup === 0;
        shown += inGroup;
      });
      if (count) count.textContent = shown + (shown === 1 ? ' talk' : ' talks');
    };
    filters.hidden = false;
    filters.addEventListener('change', apply);
    filters.addEventListener('submit', function (event) { event.preventDefault(); });
    apply();
  }
})();
