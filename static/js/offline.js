/* Optional: keeps the key pages for offline reading (see panduan/offline.py). */
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script || !("serviceWorker" in navigator)) return;
  window.addEventListener("load", function () {
    navigator.serviceWorker.register(new URL("../sw.js", script.src).href).catch(function () {});
  });
}());
