/* Search for the static copy of a guide: looks through a prebuilt JSON index in the
   browser. Nothing leaves the reader's machine; results are built with textContent. */
(function () {
  "use strict";
  var script = document.currentScript;
  var indexUrl = script && script.getAttribute("data-index");

  function words(text) {
    return (text || "").toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(Boolean);
  }

  function score(entry, terms) {
    var title = words(entry.title).join(" ");
    var body = words(entry.summary + " " + entry.text).join(" ");
    var total = 0;
    for (var i = 0; i < terms.length; i++) {
      var inTitle = title.indexOf(terms[i]) !== -1;
      var inBody = body.indexOf(terms[i]) !== -1;
      if (!inTitle && !inBody) return 0;
      total += (inTitle ? 5 : 0) + (inBody ? 1 : 0);
    }
    return total;
  }

  function show(entries, query) {
    var list = document.getElementById("static-search-results");
    var status = document.getElementById("static-search-status");
    var terms = words(query);
    var results = entries
      .map(function (entry) { return { entry: entry, score: score(entry, terms) }; })
      .filter(function (r) { return r.score > 0; })
      .sort(function (a, b) { return b.score - a.score; });
    list.textContent = "";
    results.forEach(function (r) {
      var item = document.createElement("li");
      var heading = document.createElement("h2");
      var link = document.createElement("a");
      link.href = r.entry.url;
      link.textContent = r.entry.title;
      heading.appendChild(link);
      item.appendChild(heading);
      if (r.entry.summary) {
        var summary = document.createElement("p");
        summary.textContent = r.entry.summary;
        item.appendChild(summary);
      }
      list.appendChild(item);
    });
    status.textContent = results.length + (results.length === 1 ? " result" : " results") + " for \u201c" + query + "\u201d.";
  }

  function start() {
    var query = (new URLSearchParams(window.location.search).get("q") || "").trim().slice(0, 200);
    var input = document.getElementById("static-search-q");
    if (input) input.value = query;
    if (!query || !indexUrl) return;
    fetch(indexUrl)
      .then(function (response) { return response.json(); })
      .then(function (entries) { show(entries, query); })
      .catch(function () {
        document.getElementById("static-search-status").textContent = "Search could not load its index.";
      });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
