// Clicking "show in articles" on a fact highlights its statements (and, more
// lightly, the sentences around them) in its story's article views: the
// side-by-side comparisons and the full texts. It opens what is collapsed and
// scrolls to the comparison where the fact's value differs (data-target), else
// to the first statement. Following a link to a collapsed article opens it.
// The stories list can be searched (titles, outlets and the story's text),
// filtered and sorted; rows carry their sort keys as data-* attributes.
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
  function marked(scope, attribute, factId) {
    return Array.prototype.filter.call(scope.querySelectorAll("[" + attribute + "]"), function (el) {
      return el.getAttribute(attribute).split(" ").indexOf(factId) >= 0;
    });
  }
  function show(factId, button) {
    clear();
    var scope = button.closest(".story") || document;
    marked(scope, "data-context", factId).forEach(function (el) { el.classList.add("hl-ctx"); openAncestors(el); });
    var statements = marked(scope, "data-facts", factId);
    statements.forEach(function (el) { el.classList.add("hl"); openAncestors(el); });
    var fact = button.closest(".fact");
    if (fact) { fact.classList.add("active"); }
    var targetId = button.getAttribute("data-target");
    var target = targetId && document.getElementById(targetId);
    // no comparison holds the differing pair (a conflict between unlinked articles):
    // the full text of the first article, else any comparison that shows the fact
    var inArticle = statements.filter(function (el) { return el.closest(".article"); });
    var first = (target && (target.querySelector(".hl.changed") || target.querySelector(".hl"))) ||
      (targetId === null && fact && fact.classList.contains("conflict") && inArticle[0]) ||
      scope.querySelector(".compare .hl") || statements[0];
    if (first) { openAncestors(first); first.scrollIntoView({ block: "center" }); }
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

  // ---- the stories list: search, filter, sort
  var tools = document.querySelector("[data-tools]");
  if (tools) {
    var search = tools.querySelector("[data-search]");
    var filter = tools.querySelector("[data-filter]");
    var sortSelect = tools.querySelector("[data-sort-select]");
    var shown = tools.querySelector("[data-shown]");
    var none = document.querySelector("[data-none]");
    var lists = Array.prototype.map.call(document.querySelectorAll("[data-sortable]"), function (list) {
      return list.tagName === "TABLE" ? list.tBodies[0] : list;
    });
    var rows = [];
    lists.forEach(function (list) { rows = rows.concat(Array.prototype.slice.call(list.children)); });
    var texts = null;  // the story sections' text, read on the first search
    function storyText(row) {
      if (texts === null) { texts = {}; }
      var key = row.getAttribute("data-story");
      if (!(key in texts)) {
        var section = document.getElementById(key);
        texts[key] = (row.textContent + " " + (section ? section.textContent : "")).toLowerCase();
      }
      return texts[key];
    }
    function apply() {
      var words = search ? search.value.toLowerCase().split(/\s+/).filter(Boolean) : [];
      var which = filter.value;
      var count = 0;
      rows.forEach(function (row) {
        var ok = which === "all" || Number(row.getAttribute("data-" + which)) > 0;
        if (ok && words.length) {
          var text = storyText(row);
          ok = words.every(function (w) { return text.indexOf(w) >= 0; });
        }
        row.hidden = !ok;
        if (ok) { count += 1; }
      });
      shown.textContent = count + " of " + rows.length + " shown";
      if (none) { none.hidden = count > 0; }
      if (words.length || which !== "all") {
        var wrap = document.querySelector(".singles-wrap");
        if (wrap && wrap.querySelector("li:not([hidden])")) { wrap.open = true; }
      }
    }
    function sortBy(key, descending) {
      lists.forEach(function (list) {
        var items = Array.prototype.slice.call(list.children);
        items.sort(function (a, b) {
          var x = a.getAttribute("data-" + key), y = b.getAttribute("data-" + key);
          var numeric = key !== "title" && key !== "date";
          var order = numeric ? Number(x) - Number(y) : (x < y ? -1 : x > y ? 1 : 0);
          if (key === "date" && (!x || !y)) { return (!x) - (!y); }  // undated last
          if (order === 0) {
            order = Number(b.getAttribute("data-flagged")) - Number(a.getAttribute("data-flagged"));
            return order || Number(b.getAttribute("data-articles")) - Number(a.getAttribute("data-articles"));
          }
          return descending ? -order : order;
        });
        items.forEach(function (item) { list.appendChild(item); });
      });
      document.querySelectorAll("[data-sort]").forEach(function (button) {
        var th = button.closest("th");
        if (button.getAttribute("data-sort") === key) {
          th.setAttribute("aria-sort", descending ? "descending" : "ascending");
        } else { th.removeAttribute("aria-sort"); }
      });
    }
    function fromSelect() {
      var value = sortSelect.value;
      var key = value.replace("-desc", "");
      var descending = value === "date-desc" || (key !== "title" && key !== "date");
      sortBy(key, descending);
    }
    var pending = null;  // wait for a pause in typing: the first search reads every story's text
    if (search) {
      search.addEventListener("input", function () {
        window.clearTimeout(pending);
        pending = window.setTimeout(apply, 200);
      });
    }
    filter.addEventListener("change", apply);
    sortSelect.addEventListener("change", fromSelect);
    document.querySelectorAll("[data-sort]").forEach(function (button) {
      button.addEventListener("click", function () {
        var key = button.getAttribute("data-sort");
        var th = button.closest("th");
        var descending = th.getAttribute("aria-sort") !== "descending";
        if (th.getAttribute("aria-sort") === null && key === "date") { descending = false; }
        sortBy(key, descending);
        var option = key === "date" && descending ? "date-desc" : key;
        if (sortSelect.querySelector('option[value="' + option + '"]')) { sortSelect.value = option; }
      });
    });
    apply();
  }
  openTarget();
})();
