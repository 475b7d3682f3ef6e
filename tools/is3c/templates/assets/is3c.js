/* Filters and search for the list of standards on the index page.
 *
 * The page works without this script: every standard is in the HTML. The script only
 * hides and shows what is already there. It never builds markup from text (no
 * innerHTML): it sets `hidden`, form values and `textContent`, so nothing typed in
 * the search box or put in the address bar can become part of the page.
 */
(function () {
  "use strict";

  var panel = document.getElementById("filters");
  var list = document.getElementById("standards");
  if (!panel || !list) {
    return;
  }
  var search = document.getElementById("filter-search");
  var selects = {
    category: document.getElementById("filter-category"),
    product: document.getElementById("filter-product"),
    tier: document.getElementById("filter-tier")
  };
  var status = document.getElementById("filter-status");
  var noMatch = document.getElementById("no-match");
  var items = Array.prototype.slice.call(list.querySelectorAll("[data-entry]"));
  var sections = Array.prototype.slice.call(list.querySelectorAll("[data-section]"));

  function fold(text) {
    // Case- and accent-insensitive: "securite" finds "sécurité".
    return text.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }

  var haystacks = items.map(function (item) {
    return fold(item.textContent.replace(/\s+/g, " "));
  });

  function matches(item, index, words) {
    if (selects.category.value && item.getAttribute("data-category") !== selects.category.value) {
      return false;
    }
    if (selects.tier.value && item.getAttribute("data-tier") !== selects.tier.value) {
      return false;
    }
    if (selects.product.value) {
      var types = item.getAttribute("data-product-types").split(" ");
      if (types.indexOf(selects.product.value) === -1) {
        return false;
      }
    }
    return words.every(function (word) {
      return haystacks[index].indexOf(word) !== -1;
    });
  }

  function remember() {
    var params = new URLSearchParams();
    if (search.value.trim()) {
      params.set("q", search.value.trim());
    }
    Object.keys(selects).forEach(function (name) {
      if (selects[name].value) {
        params.set(name, selects[name].value);
      }
    });
    var query = params.toString();
    try {
      // A link to the filtered list can be shared; file:// pages may refuse this.
      history.replaceState(null, "", (query ? "?" + query : location.pathname) + "#all");
    } catch (error) {
      /* not important */
    }
  }

  function apply(save) {
    var words = fold(search.value).split(/\s+/).filter(Boolean);
    var shown = 0;
    items.forEach(function (item, index) {
      var visible = matches(item, index, words);
      item.hidden = !visible;
      if (visible) {
        shown += 1;
      }
    });
    sections.forEach(function (section) {
      section.hidden = !section.querySelector("[data-entry]:not([hidden])");
    });
    noMatch.hidden = shown !== 0;
    // The sentences come translated from the page (data-all, data-some).
    var sentence = shown === items.length
      ? (status.dataset.all || "Showing all {total} standards.")
      : (status.dataset.some || "Showing {shown} of {total} standards.");
    status.textContent = sentence.replace("{shown}", String(shown)).replace("{total}", String(items.length));
    if (save) {
      remember();
    }
  }

  function reset() {
    search.value = "";
    Object.keys(selects).forEach(function (name) {
      selects[name].value = "";
    });
    apply(true);
    search.focus();
  }

  function restore() {
    var params = new URLSearchParams(location.search);
    search.value = params.get("q") || "";
    Object.keys(selects).forEach(function (name) {
      var wanted = params.get(name) || "";
      var known = Array.prototype.some.call(selects[name].options, function (option) {
        return option.value === wanted;
      });
      selects[name].value = known ? wanted : "";
    });
  }

  search.addEventListener("input", function () { apply(true); });
  Object.keys(selects).forEach(function (name) {
    selects[name].addEventListener("change", function () { apply(true); });
  });
  document.getElementById("filter-reset").addEventListener("click", reset);
  document.getElementById("no-match-reset").addEventListener("click", reset);

  panel.hidden = false;
  restore();
  apply(false);
})();
