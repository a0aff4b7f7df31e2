// Small helps for forms, none needed for them to work:
// - a textarea with data-counter="ID" keeps the element ID's text as
//   "N of MAX characters (at least MIN)" while typing (read from data-min
//   and maxlength);
// - an error summary (.error-summary) takes focus when the page opens, so
//   keyboard and screen-reader users start at what needs fixing.
(function () {
  "use strict";
  document.querySelectorAll("textarea[data-counter]").forEach(function (t) {
    var out = document.getElementById(t.getAttribute("data-counter"));
    if (!out) return;
    var max = t.getAttribute("maxlength");
    var min = t.getAttribute("data-min");
    var update = function () {
      var n = Array.from(t.value).length;
      out.textContent = n + " of " + max + " characters" + (min ? " (at least " + min + ")" : "");
      out.classList.toggle("short", min && n < Number(min));
    };
    t.addEventListener("input", update);
    update();
  });
  var summary = document.querySelector(".error-summary");
  if (summary) summary.focus();
})();

// The skills picker: a filter box (shown only when this script runs) that
// narrows both lists by name and opens the groups with matches.
(function () {
  "use strict";
  var box = document.querySelector(".skill-filter");
  var input = document.getElementById("skill-filter");
  if (!box || !input) return;
  box.hidden = false;
  var groups = document.querySelectorAll(".project-form details.group");
  var wasOpen = Array.from(groups).map(function (g) { return g.open; });
  input.addEventListener("input", function () {
    var q = input.value.trim().toLowerCase();
    groups.forEach(function (g, i) {
      var any = false;
      g.querySelectorAll("label").forEach(function (l) {
        var hit = !q || l.textContent.toLowerCase().indexOf(q) >= 0;
        l.hidden = !hit;
        any = any || hit;
      });
      g.hidden = !any;
      g.open = q ? any : wasOpen[i];
    });
  });
})();

// A form marked data-autosubmit sends itself once the page opens (single
// sign-on hands the answer of an identity provider on this way); its
// button does the same without scripts.
(function () {
  "use strict";
  var f = document.querySelector("form[data-autosubmit]");
  if (f) f.submit();
})();
