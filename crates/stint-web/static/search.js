// Search as you type on /projects. The form works without this script (a
// plain GET form); with it, typing in the keywords box or changing a filter
// fetches the same page and swaps in its results, keeping focus and the
// caret where they are, and updating the address so the search can be
// bookmarked or shared. Screen readers hear the new count (role="status").
(function () {
  "use strict";
  var form = document.querySelector("form[data-live-search]");
  if (!form || !window.fetch || !window.DOMParser) return;
  var results = document.getElementById("results-body");
  var count = document.getElementById("result-count");
  var save = document.getElementById("save-search");
  var timer = null;
  var inflight = null;
  var last = location.search.replace(/^\?/, "");

  function query() {
    var params = new URLSearchParams();
    new FormData(form).forEach(function (value, key) {
      if (typeof value === "string" && value.trim() !== "") params.append(key, value);
    });
    return params.toString();
  }

  function refresh() {
    var qs = query();
    if (qs === last) return;
    last = qs;
    if (inflight) inflight.abort();
    inflight = new AbortController();
    form.setAttribute("aria-busy", "true");
    fetch("/projects" + (qs ? "?" + qs : ""), {
      credentials: "same-origin",
      headers: { Accept: "text/html" },
      signal: inflight.signal,
    })
      .then(function (res) {
        return res.ok ? res.text() : Promise.reject(new Error(String(res.status)));
      })
      .then(function (html) {
        var doc = new DOMParser().parseFromString(html, "text/html");
        var body = doc.getElementById("results-body");
        var n = doc.getElementById("result-count");
        if (!body || !n) return;
        results.innerHTML = body.innerHTML;
        count.innerHTML = n.innerHTML;
        var s = doc.getElementById("save-search");
        if (save && s) save.innerHTML = s.innerHTML;
        history.replaceState(null, "", "/projects" + (qs ? "?" + qs : ""));
      })
      .catch(function (err) {
        // Aborted by a newer keystroke, or the network failed: the plain
        // form still works, so nothing is lost.
        if (err && err.name !== "AbortError") last = null;
      })
      .finally(function () {
        form.removeAttribute("aria-busy");
      });
  }

  function soon() {
    clearTimeout(timer);
    timer = setTimeout(refresh, 250);
  }

  form.addEventListener("input", function (e) {
    if (e.target.matches("input[type=search], input[type=text], input[type=number]")) soon();
  });
  form.addEventListener("change", function (e) {
    if (e.target.matches("select, input[type=checkbox]")) soon();
  });
})();
