// Live pages: when the round changes (server-sent events from data-events), fetch this page
// again and swap in its parts marked data-live (or all of <main>). Without JavaScript, or
// without EventSource, the page is simply what it was when loaded; reloading shows the rest.
(function () {
  "use strict";
  var script = document.currentScript;
  var url = script && script.dataset.events;
  if (!url || !window.EventSource || !window.fetch || !window.DOMParser) return;
  var busy = false, again = false;

  function parts(doc) {
    var marked = doc.querySelectorAll("[data-live][id]");
    return marked.length ? Array.prototype.slice.call(marked) : [doc.querySelector("main")];
  }

  function typing(el) {
    var active = document.activeElement;
    return active && active !== document.body && el.contains(active) &&
      /^(INPUT|TEXTAREA|SELECT)$/.test(active.tagName);
  }

  function refresh() {
    if (busy) { again = true; return; }
    busy = true;
    fetch(window.location.href, { credentials: "same-origin", headers: { "x-live": "1" } })
      .then(function (r) { return r.ok ? r.text() : null; })
      .then(function (html) {
        if (html === null) return;
        var fresh = new DOMParser().parseFromString(html, "text/html");
        parts(document).forEach(function (el) {
          if (!el || typing(el)) return;  // not while someone types in it
          var next = el.id ? fresh.getElementById(el.id) : fresh.querySelector("main");
          if (next) el.innerHTML = next.innerHTML;
        });
        document.documentElement.dataset.liveVersion = String(Date.now());
      })
      .catch(function () { /* the next event tries again */ })
      .then(function () {
        busy = false;
        if (again) { again = false; setTimeout(refresh, 1000); }
      });
  }

  var source = new EventSource(url);
  source.addEventListener("change", refresh);
})();
