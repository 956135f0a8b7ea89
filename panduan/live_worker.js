// The one connection to `python build.py serve` that every open tab of the
// preview shares (a SharedWorker, started by live.js). A browser opens at most
// six connections to one server; if each tab held its own event stream, the
// seventh tab would wait forever for its page.
"use strict";
var ports = [];
var last = null;   // the latest build state, for tabs that connect later

var events = new EventSource("/__panduan/events?since=-1");
events.addEventListener("build", function (message) {
  last = message.data;
  ports.forEach(function (port) { port.postMessage(last); });
});

self.addEventListener("connect", function (event) {
  var port = event.ports[0];
  ports.push(port);
  port.onmessage = function (message) {   // "bye": the tab is going away
    if (message.data === "bye") {
      ports = ports.filter(function (other) { return other !== port; });
    }
  };
  if (last !== null) { port.postMessage(last); }
});
