/* Optional: keeps the guide for reading offline and on slow networks (see panduan/offline.py).
   Registers the service worker and tells it the reader's language, so that every page in it is kept. */
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script || !("serviceWorker" in navigator)) return;
  window.addEventListener("load", function () {
    navigator.serviceWorker.register(new URL("../sw.js", script.src).href).catch(function () {});
    navigator.serviceWorker.ready.then(function (registration) {
      if (registration.active) registration.active.postMessage({keep: document.documentElement.lang});
    });
  });
}());
