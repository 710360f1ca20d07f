// Clicking "show" on a fact highlights its sentences in every article view
// (side-by-side comparisons and full texts), opens what is collapsed, and
// scrolls to the first one. Article text never reaches this script as code:
// the page marks statements with data-facts attributes only.
(function () {
  "use strict";
  function clear() {
    document.querySelectorAll(".hl").forEach(function (el) { el.classList.remove("hl"); });
    document.querySelectorAll(".fact.active").forEach(function (el) { el.classList.remove("active"); });
  }
  function openAncestors(el) {
    for (var p = el.parentElement; p; p = p.parentElement) {
      if (p.tagName === "DETAILS") { p.open = true; }
    }
  }
  function show(factId, button) {
    clear();
    var marks = Array.prototype.filter.call(document.querySelectorAll("[data-facts]"), function (el) {
      return el.getAttribute("data-facts").split(" ").indexOf(factId) >= 0;
    });
    marks.forEach(function (el) { el.classList.add("hl"); openAncestors(el); });
    var fact = button.closest(".fact");
    if (fact) { fact.classList.add("active"); }
    var first = document.querySelector(".compare .hl") || marks[0];
    if (first) { first.scrollIntoView({ block: "center" }); }
  }
  document.addEventListener("click", function (event) {
    var button = event.target.closest("button.show[data-fact]");
    if (button) { event.preventDefault(); show(button.getAttribute("data-fact"), button); }
  });
})();
