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

/* "Copy clause" buttons on the tender annex pages.
 *
 * The buttons are hidden in the HTML and shown here, so a page without script shows
 * no button that does nothing. The copied text is the requirement id and the
 * clause's own text (textContent), and the status line is set with textContent:
 * nothing from the page is ever parsed as markup.
 */
(function () {
  "use strict";

  var buttons = Array.prototype.slice.call(document.querySelectorAll("button.copy-clause"));

  function selectText(element) {
    var range = document.createRange();
    range.selectNodeContents(element);
    var selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
  }

  function copyBySelection(element) {
    // For pages opened from a folder, where the clipboard API may be refused.
    selectText(element);
    try {
      return document.execCommand("copy");
    } catch (error) {
      return false;
    }
  }

  buttons.forEach(function (button) {
    var clause = document.getElementById(button.getAttribute("data-clause"));
    var status = button.parentNode.querySelector(".copy-status");
    if (!clause || !status) {
      return;
    }
    function report(ok) {
      status.textContent = button.getAttribute(ok ? "data-copied" : "data-failed");
      if (!ok) {
        selectText(clause);
      }
    }
    button.addEventListener("click", function () {
      var text = clause.getAttribute("data-requirement") + ": " +
        clause.textContent.replace(/\s+/g, " ").trim();
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(text).then(function () {
          report(true);
        }, function () {
          report(copyBySelection(clause));
        });
      } else {
        report(copyBySelection(clause));
      }
    });
    button.parentNode.hidden = false;
  });
})();
