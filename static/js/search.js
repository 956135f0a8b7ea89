/* Optional: searches the Pagefind index in the browser (see panduan/search.py).
   Without JavaScript the form asks DuckDuckGo for the site's pages, and the page lists every page. */
(function () {
  "use strict";
  var form = document.querySelector("[data-search]");
  var out = document.getElementById("hasil");
  var status = document.getElementById("status-cari");
  if (!form || !out || !status || !window.URL || !window.DOMParser) return;
  var field = form.elements.q;
  var loader = new URL(out.getAttribute("data-pagefind"), document.baseURI);
  var engine = null;
  var fallback = document.querySelector("[data-search-fallback]");
  if (fallback) fallback.hidden = true;

  function load() {
    if (!engine) {
      engine = import(loader.href).then(function (pagefind) {
        /* a match in a page's title or its summary (data-pagefind-meta, templates/page.html), which say
           what the page answers, counts more than one in its text; termSaturation 2.0 (Pagefind's default
           is 1.4) was chosen by that table's 34 queries: with 1.4, "why vote" put the page for voters not on
           the DPT above "Why Vote?" (tests/browser/test_search_relevance.py) */
        return pagefind.options({ baseUrl: new URL("../", loader).pathname, ranking: { metaWeights: { title: 5, summary: 4 }, termSaturation: 2.0 } })
          .then(function () { return pagefind; });
      });
    }
    return engine;
  }

  function reset() {
    out.textContent = status.textContent = "";
    out.style.minHeight = "";
    if (listing) listing.hidden = false;
  }

  function say(template, query, count) {
    return out.getAttribute(template).replace("{q}", query).replace("{n}", String(count));
  }

  function excerpt(html, into) {  /* keep only text and <mark> from Pagefind's excerpt */
    var nodes = new DOMParser().parseFromString(html, "text/html").body.childNodes;
    for (var i = 0; i < nodes.length; i++) {
      var node = nodes[i].nodeName === "MARK" ? document.createElement("mark") : null;
      if (node) { node.textContent = nodes[i].textContent; into.appendChild(node); }
      else into.appendChild(document.createTextNode(nodes[i].textContent));
    }
  }

  var listing = document.getElementById("daftar-halaman");

  /* Results take the place of the list of every page (shown again for no results or an empty field):
     nothing on the screen moves down when they arrive (tests/browser/test_search_layout.py). */
  function show(query, results) {
    out.textContent = "";
    if (listing && results.length && !listing.hidden) {   /* the results keep at least the list's room */
      out.style.minHeight = listing.offsetHeight + "px";
      listing.hidden = true;
    }
    status.textContent = say(results.length ? "data-found" : "data-none", query, results.length);
    if (!results.length) return;
    var list = document.createElement("ol");
    results.forEach(function (result) {
      var item = document.createElement("li");
      var link = document.createElement("a");
      link.href = result.url;
      link.textContent = (result.meta && result.meta.title) || result.url;
      var text = document.createElement("p");
      excerpt(result.excerpt || "", text);
      item.appendChild(link);
      item.appendChild(text);
      list.appendChild(item);
    });
    out.appendChild(list);
  }

  function run(query) {
    query = query.trim();
    if (!query) { reset(); return; }
    load().then(function (pagefind) { return pagefind.search(query); })
      .then(function (search) {
        return Promise.all(search.results.slice(0, 10).map(function (r) { return r.data(); }));
      })
      .then(function (results) { if (field.value.trim() === query) show(query, results); })
      .catch(function () { out.textContent = ""; status.textContent = out.getAttribute("data-failed"); });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    history.replaceState(null, "", "?q=" + encodeURIComponent(field.value.trim()));
    run(field.value);
  });
  var timer = null;
  field.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(function () { run(field.value); }, 250);
  });
  var initial = new URLSearchParams(location.search).get("q");
  if (initial) { field.value = initial; run(initial); }
}());
