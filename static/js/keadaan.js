/* Optional: an old copy never presents the past as now (templates/partials/copy.html).
   The page carries the moment it stops being true (data-valid-until on <body>, from the
   build's next change). Read at or after it, e.g. from a CDN's cache or after a failed
   rebuild, the page shows a dated notice with a reload link and hides what it says about
   "now" (the phase, banners, messages: data-kini, through the class "basi" on <html> and the
   stylesheet, since they come later in the page). It runs right after the notices, before the
   rest of the page is parsed, so nothing already painted moves. Served by the service worker from its
   offline copy (data-offline-copy, added by sw.js), it says when that copy was saved.
   Without JavaScript the page reads as a dated copy: "Keadaan per <date>". */
(function () {
  "use strict";
  var root = document.body, lang = document.documentElement.lang;
  var until = Date.parse(root.getAttribute("data-valid-until") || "");
  if (until && Date.now() >= until) {
    var stale = document.getElementById("salinan-lama");
    if (stale) stale.hidden = false;
    document.documentElement.classList.add("basi");
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
