// Live reload for `python build.py serve`. Added to pages by the preview
// server only; never part of the built site.
(function () {
  "use strict";
  var script = document.currentScript;
  var generation = script ? script.getAttribute("data-generation") : "-1";
  var OVERLAY = "panduan-problems";

  function hideOverlay() {
    var old = document.getElementById(OVERLAY);
    if (old) { old.parentNode.removeChild(old); }
  }

  function element(tag, text, style) {
    var node = document.createElement(tag);
    if (text) { node.textContent = text; }
    if (style) { node.style.cssText = style; }   // not a style attribute: the page's CSP allows none
    return node;
  }

  function showOverlay(problems) {
    hideOverlay();
    var box = element("section", "", "position:fixed;inset:0;z-index:2147483647;overflow:auto;" +
      "background:rgba(255,255,255,.97);color:#111;font:16px/1.5 system-ui,sans-serif;padding:1.5rem;");
    box.id = OVERLAY;
    box.setAttribute("role", "alert");
    box.setAttribute("aria-labelledby", OVERLAY + "-title");
    var noun = problems.length === 1 ? "problem" : "problems";
    var title = element("h2", "The guide was not built: " + problems.length + " " + noun + " to fix.",
      "margin:0 0 .5rem;color:#a00;font-size:1.25rem;");
    title.id = OVERLAY + "-title";
    box.appendChild(title);
    box.appendChild(element("p", "The last good version of the site is still served. Save a fix and this page reloads."));
    var list = element("ol", "", "padding-left:1.5rem;");
    problems.forEach(function (problem) {
      var item = element("li", "", "margin:.5rem 0;");
      item.appendChild(element("code", problem.location, "font-weight:bold;"));
      item.appendChild(document.createTextNode(": " + problem.message));
      if (problem.hint) {
        item.appendChild(element("div", "hint: " + problem.hint, "color:#444;"));
      }
      list.appendChild(item);
    });
    box.appendChild(list);
    document.body.appendChild(box);
  }

  function follow(state) {
    if (!state.ok) {
      generation = String(state.generation);
      showOverlay(state.problems);
    } else if (String(state.generation) !== generation) {
      window.location.reload();
    } else {
      hideOverlay();
    }
  }

  // Every tab listens through one shared worker, so tabs never use up the
  // browser's connections to the server; one stream per tab where there is none.
  if (window.SharedWorker) {
    try {
      var worker = new SharedWorker("/__panduan/live-worker.js");
      worker.port.onmessage = function (message) { follow(JSON.parse(message.data)); };
      window.addEventListener("pagehide", function () { worker.port.postMessage("bye"); });
      window.addEventListener("pageshow", function (event) {
        if (event.persisted) { window.location.reload(); }   // back from the page cache: said bye
      });
      return;
    } catch (error) { /* blocked (e.g. by privacy settings): a stream of its own */ }
  }
  if (!window.EventSource) { return; }
  var events = new EventSource("/__panduan/events?since=" + encodeURIComponent(generation));
  events.addEventListener("build", function (message) {
    var state = JSON.parse(message.data);
    if (state.ok && String(state.generation) !== generation) { events.close(); }
    follow(state);
  });
})();
