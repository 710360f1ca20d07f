// Clicking "show in articles" on a fact highlights its statements (and, more
// lightly, the sentences around them) in every article view: the side-by-side
// comparisons and the full texts. It opens what is collapsed and scrolls to
// the first one. Following a link to a collapsed article opens it.
// Article text never reaches this script as code: the page marks statements
// with data-facts / data-context attributes only.
(function () {
  "use strict";
  function clear() {
    document.querySelectorAll(".hl, .hl-ctx").forEach(function (el) { el.classList.remove("hl", "hl-ctx"); });
    document.querySelectorAll(".fact.active").forEach(function (el) { el.classList.remove("active"); });
  }
  function openAncestors(el) {
    for (var p = el; p; p = p.parentElement) {
      if (p.tagName === "DETAILS") { p.open = true; }
    }
  }
  function marked(attribute, factId) {
    return Array.prototype.filter.call(document.querySelectorAll("[" + attribute + "]"), function (el) {
      return el.getAttribute(attribute).split(" ").indexOf(factId) >= 0;
    });
  }
  function show(factId, button) {
    clear();
    marked("data-context", factId).forEach(function (el) { el.classList.add("hl-ctx"); openAncestors(el); });
    var statements = marked("data-facts", factId);
    statements.forEach(function (el) { el.classList.add("hl"); openAncestors(el); });
    var fact = button.closest(".fact");
    if (fact) { fact.classList.add("active"); }
    var first = document.querySelector(".compare .hl") || statements[0];
    if (first) { first.scrollIntoView({ block: "center" }); }
  }
  function openTarget() {
    var id = decodeURIComponent(window.location.hash.slice(1));
    var target = id && document.getElementById(id);
    if (target) { openAncestors(target); target.scrollIntoView(); }
  }
  document.addEventListener("click", function (event) {
    var button = event.target.closest("button.show[data-fact]");
    if (button) { event.preventDefault(); show(button.getAttribute("data-fact"), button); }
  });
  window.addEventListener("hashchange", openTarget);
  openTarget();
})();
