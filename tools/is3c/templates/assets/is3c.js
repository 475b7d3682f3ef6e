/* Filters and search for the list of standards on the index page.
 *
 * The page works without this script: every standard is in the HTML, grouped by
 * category. The filters hide and show what is already there. A search looks through
 * every text of every entry (the static index search-index.js, built with the site)
 * with MiniSearch, and lists the matches best first, title and short-name matches
 * ahead of the rest. The script never builds markup from text (no innerHTML): it
 * creates elements and sets `textContent`, `hidden` and form values, so nothing
 * typed in the search box, put in the address bar or written in an entry can become
 * part of the page.
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
  var results = document.createElement("ul");
  results.className = "entries search-results";
  results.id = "search-results";
  results.hidden = true;
  list.insertBefore(results, list.firstChild);

  function fold(text) {
    // Case, accents and Arabic vowel marks ignored: "securite" finds "sécurité".
    return text.normalize("NFKD").replace(/[\u0300-\u036f\u064b-\u065f\u0670\u0640]/g, "")
      .replace(/[\u0622\u0623\u0625\u0671]/g, "\u0627").replace(/\u0649/g, "\u064a")
      .toLowerCase();
  }

  // Words keep their inner hyphens and dots here, so "e-mail" and "Wi-Fi" are one word...
  function tokenize(text) {
    return text.split(/[^\p{L}\p{N}\p{M}\-]+/u);
  }

  // ...indexed both joined and in parts: "e-mail" as "email", "e" and "mail".
  function indexTerm(term) {
    var folded = fold(term).replace(/^-+|-+$/g, "");
    if (!folded) {
      return null;
    }
    if (folded.indexOf("-") === -1) {
      return folded;
    }
    return [folded.replace(/-/g, "")].concat(folded.split("-").filter(Boolean));
  }

  // A query word is looked up joined: "e-mail", "E-Mail" and "email" are the same.
  function queryTerm(term) {
    var folded = fold(term).replace(/-/g, "");
    return folded || null;
  }

  var documents = {};
  var engine = null;
  var data = window.IS3C_SEARCH_INDEX;
  if (window.MiniSearch && data && data.documents) {
    engine = new window.MiniSearch({
      fields: data.fields,
      tokenize: tokenize,
      processTerm: indexTerm,
      searchOptions: {
        combineWith: "AND",
        boost: { short_name: 8, title: 5, ids: 4, tags: 2 },
        prefix: function (term) { return term.length > 2; },
        fuzzy: function (term) { return term.length > 4 ? 0.2 : false; },
        processTerm: queryTerm
      }
    });
    engine.addAll(data.documents);
    data.documents.forEach(function (doc) {
      documents[doc.id] = doc;
    });
  }

  // Without the index (an old copy of the page), a search looks at the cards' text.
  var haystacks = items.map(function (item) {
    return fold(item.textContent.replace(/\s+/g, " "));
  });

  function passesSelects(category, tier, types) {
    if (selects.category.value && category !== selects.category.value) {
      return false;
    }
    if (selects.tier.value && tier !== selects.tier.value) {
      return false;
    }
    return !selects.product.value || types.indexOf(selects.product.value) !== -1;
  }

  function cardMatches(item, index, words) {
    if (!passesSelects(item.getAttribute("data-category"), item.getAttribute("data-tier"),
                       item.getAttribute("data-product-types").split(" "))) {
      return false;
    }
    return words.every(function (word) {
      return haystacks[index].indexOf(word) !== -1;
    });
  }

  function inTitle(result) {
    return Object.keys(result.match).some(function (term) {
      return result.match[term].some(function (field) {
        return field === "short_name" || field === "title";
      });
    });
  }

  function ranked(query) {
    var found = engine.search(query);
    // Title and short-name matches first, each group by score.
    var order = found.map(function (result, index) {
      return { result: result, first: inTitle(result) ? 0 : 1, index: index };
    });
    order.sort(function (a, b) {
      return a.first - b.first || a.index - b.index;
    });
    return order.map(function (o) { return documents[o.result.id]; }).filter(function (doc) {
      return passesSelects(doc.category, doc.tier, doc.product_types);
    });
  }

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) {
      node.className = className;
    }
    if (text !== undefined) {
      node.textContent = text;
    }
    return node;
  }

  function card(doc) {
    var item = element("li", "entry");
    item.setAttribute("data-entry", "");
    item.setAttribute("data-id", doc.id);
    var heading = element("h3");
    var link = element("a");
    link.setAttribute("href", doc.url);
    link.appendChild(element("bdi", "", doc.short_name));
    heading.appendChild(link);
    heading.appendChild(document.createTextNode(" "));
    var title = element("span", "subtitle", doc.title);
    if (doc.title_lang) {
      title.setAttribute("lang", doc.title_lang);
      title.setAttribute("dir", "ltr");
    }
    heading.appendChild(title);
    item.appendChild(heading);
    var meta = element("p", "meta");
    meta.appendChild(element("span", "badge " + doc.badge, doc.badge_label));
    item.appendChild(meta);
    var summary = element("p", "", doc.summary);
    if (doc.summary_lang) {
      summary.setAttribute("lang", doc.summary_lang);
      summary.setAttribute("dir", "ltr");
    }
    item.appendChild(summary);
    return item;
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

  function say(name, values) {
    // The sentences come translated from the page (data-all, data-some, data-found).
    var sentence = status.getAttribute("data-" + name) || "";
    Object.keys(values).forEach(function (key) {
      sentence = sentence.replace("{" + key + "}", String(values[key]));
    });
    status.textContent = sentence;
  }

  function apply(save) {
    var query = search.value.trim();
    var searching = engine !== null && fold(query).replace(/[^\p{L}\p{N}]+/gu, "") !== "";
    var shown = 0;
    while (results.firstChild) {
      results.removeChild(results.firstChild);
    }
    if (searching) {
      ranked(query).forEach(function (doc) {
        results.appendChild(card(doc));
      });
      shown = results.children.length;
      items.forEach(function (item) { item.hidden = true; });
      sections.forEach(function (section) { section.hidden = true; });
      results.hidden = shown === 0;
      if (shown) {
        say("found", { shown: shown });
      } else {
        say("some", { shown: 0, total: items.length });
      }
    } else {
      var words = engine === null ? fold(query).split(/\s+/).filter(Boolean) : [];
      items.forEach(function (item, index) {
        var visible = cardMatches(item, index, words);
        item.hidden = !visible;
        if (visible) {
          shown += 1;
        }
      });
      sections.forEach(function (section) {
        section.hidden = !section.querySelector("[data-entry]:not([hidden])");
      });
      results.hidden = true;
      say(shown === items.length ? "all" : "some", { shown: shown, total: items.length });
    }
    noMatch.hidden = shown !== 0;
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
