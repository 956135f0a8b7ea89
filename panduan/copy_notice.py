"""What an old or offline copy of a page says about its date: the one inline script.

It sits right after the notices (templates/partials/copy.html) and runs before the rest of
the page is parsed, with no request to wait for, so a notice it shows never pushes text the
reader already sees (a deferred file did: Lighthouse measured a layout shift of 0.27), and a
hanging request on a slow network cannot hold the page back (a blocking file could).

- Read at or after the moment the copy stops being true (`data-valid-until` on <body>, the
  build's next change without the countdown's midnights), it shows the dated notice with its
  reload link and adds the class "basi" to <html>, with which the stylesheet hides what the
  page says about "now" (the phase, banners, messages: `data-kini`), all later in the page.
- Served by the service worker from its kept copy (`data-offline-copy` on <body>, added by
  sw.js: panduan/offline.py), it says when that copy was saved.

Without JavaScript the page reads as a dated copy ("Keadaan per <date>"). The Content-Security-
Policy allows this script by its digest and no other inline script (panduan/render.py).
"""
from __future__ import annotations

import base64
import hashlib

SCRIPT = """(function () {
  "use strict";
  var body = document.body, lang = document.documentElement.lang;
  var until = Date.parse(body.getAttribute("data-valid-until") || "");
  var stale = document.getElementById("salinan-lama");
  if (until && Date.now() >= until) {
    if (stale) stale.hidden = false;
    document.documentElement.classList.add("basi");
  }
  var saved = Date.parse(body.getAttribute("data-offline-copy") || "");
  var offline = document.getElementById("salinan-luring");
  if (saved && offline && window.Intl) {
    var time = offline.querySelector("time");
    time.dateTime = new Date(saved).toISOString();
    time.textContent = new Intl.DateTimeFormat(lang, {day: "numeric", month: "long", year: "numeric",
      hour: "2-digit", minute: "2-digit", timeZone: body.getAttribute("data-zone") || undefined}).format(saved);
    offline.hidden = false;
  }
}());"""

# The Content-Security-Policy source that allows exactly this script.
SOURCE = "'sha256-" + base64.b64encode(hashlib.sha256(SCRIPT.encode("utf-8")).digest()).decode("ascii") + "'"
