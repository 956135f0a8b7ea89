/* Optional: an old copy never presents the past as now (templates/partials/copy.html).
   The page carries the moment it stops being true (data-valid-until on <body>, from the
   build's next change). Read at or after it, e.g. from a CDN's cache or after a failed
   rebuild, the page shows a dated notice with a reload link and hides what it says about
   "now" (the phase, banners, messages: data-kini). Served by the service worker from its
   offline copy (data-offline-copy, added by sw.js), it says when that copy was saved.
   Without JavaScript the page reads as a dated copy: "Keadaan per <date>". */
(function () {
  "use strict";
  var root = document.body, lang = document.documentElement.lang;
  var until = Date.parse(root.getAttribute("data-valid-until") || "");
  if (until && Date.now() >= until) {
    var stale = document.getElementById("salinan-lama");
    if (stale) stale.hidden = false;
    var now = document.querySelectorAll("[data-kini]");
    for (var i = 0; i < now.length; i++) now[i].hidden = true;
  }
  var saved = Date.parse(root.getAttribute("data-offline-copy") || "");
  var notice = document.getElementById("salinan-luring");
  if (saved && notice && window.Intl) {
    var time = notice.querySelector("time");
    time.dateTime = new Date(saved).toISOString();
    time.textContent = new Intl.DateTimeFormat(lang, {day: "numeric", month: "long", year: "numeric",
      hour: "2-digit", minute: "2-digit", timeZone: root.getAttribute("data-zone") || undefined}).format(saved);
    notice.hidden = false;
  }
}());
