/* DataCity search: the header's form and the search page, answered by Pagefind in the browser.
 *
 * Nothing is fetched until someone uses the search: Pagefind (its script, its WebAssembly and the fragments of
 * the index that a query needs, in the page's language) is imported on the first focus of a search field. Its
 * index folds accents ("energie" finds "énergie"). Without JavaScript the header's form leads to the search page,
 * which points to the listings. Keyboard: type, Down arrow to the results, Up/Down between them, Escape back.
 */
(function () {
  "use strict";

  var header = document.querySelector("form[data-dc-search]");
  if (!header || !window.fetch || !window.Promise) return;
  var texts = JSON.parse(header.getAttribute("data-texts") || "{}");
  var bundle = new URL(header.getAttribute("data-pagefind"), document.baseURI);
  var pagefind = null;

  function load() {
    if (!pagefind) {
      pagefind = import(bundle.href).then(function (module) {
        // Result URLs from the site's root, wherever it is served ("/" or "/some/path/").
        return module.options({ baseUrl: new URL("..", bundle).pathname, excerptLength: 24 }).then(function () {
          return module;
        });
      });
      pagefind.catch(function () { pagefind = null; });
    }
    return pagefind;
  }

  function say(template, values) {
    return template.replace(/\{(\w+)\}/g, function (_, name) { return values[name]; });
  }

  function counted(n, query) {
    if (n === 0) return say(texts.none, { query: query });
    // One form per CLDR plural category of the page's language (the build's i18n.plural_forms).
    var lang = document.documentElement.lang;
    var forms = texts.count || {};
    return say(forms[new Intl.PluralRules(lang).select(n)] || forms.other || "{n}", { n: n.toLocaleString(lang) });
  }

  // Pagefind's excerpts are escaped text with <mark> around the matches: keep exactly that, as DOM nodes.
  function excerpt(html) {
    var out = document.createElement("p");
    out.className = "dc-search__excerpt";
    var parts = html.split(/<mark>|<\/mark>/);
    var scratch = document.createElement("textarea");
    parts.forEach(function (part, i) {
      scratch.innerHTML = part;
      var text = document.createTextNode(scratch.value);
      if (i % 2 === 1) {
        var mark = document.createElement("mark");
        mark.appendChild(text);
        out.appendChild(mark);
      } else {
        out.appendChild(text);
      }
    });
    return out;
  }

  function item(data) {
    var li = document.createElement("li");
    li.className = "dc-search__result";
    var a = document.createElement("a");
    a.href = data.url;
    a.textContent = (data.meta && data.meta.title) || data.url;
    li.appendChild(a);
    li.appendChild(excerpt(data.excerpt || ""));
    return li;
  }

  /* One search box: its field, its status line, its result list; `limit` results at a time. */
  function Searcher(form, limit, onShow) {
    this.form = form;
    this.input = form.querySelector("input[type=search]");
    this.status = form.querySelector("[role=status]");
    this.list = form.querySelector("ol");
    this.limit = limit;
    this.onShow = onShow || function () {};
    this.found = [];
    this.shown = 0;
    this.query = "";
    var self = this;
    this.input.addEventListener("focus", function () { load(); });
    this.input.addEventListener("input", function () { self.run(self.input.value); });
  }

  Searcher.prototype.run = function (value) {
    var self = this;
    var query = value.trim();
    this.query = query;
    if (query.length < 2) {
      this.clear();
      return Promise.resolve();
    }
    this.onShow(true);
    this.status.textContent = texts.searching;
    return load().then(function (module) {
      return module.debouncedSearch(query, {}, 250);
    }).then(function (search) {
      if (search === null || self.query !== query) return; // a later keystroke took over
      self.found = search.results;
      self.shown = 0;
      self.list.textContent = "";
      self.status.textContent = counted(search.results.length, query);
      return self.more();
    }).catch(function () {
      self.status.textContent = texts.failed;
    });
  };

  Searcher.prototype.more = function () {
    var self = this;
    var next = this.found.slice(this.shown, this.shown + this.limit);
    this.shown += next.length;
    return Promise.all(next.map(function (r) { return r.data(); })).then(function (pages) {
      var first = null;
      pages.forEach(function (data) {
        var li = item(data);
        self.list.appendChild(li);
        first = first || li.querySelector("a");
      });
      self.afterMore(first);
    });
  };

  Searcher.prototype.afterMore = function () {};

  Searcher.prototype.clear = function () {
    this.found = [];
    this.shown = 0;
    this.list.textContent = "";
    this.status.textContent = "";
    this.onShow(false);
  };

  Searcher.prototype.links = function () {
    return Array.prototype.slice.call(this.list.querySelectorAll("a"));
  };

  // Down from the field to the first result, Up/Down between results, Escape back to the field.
  Searcher.prototype.keys = function (onEscape) {
    var self = this;
    this.form.addEventListener("keydown", function (event) {
      var links = self.links();
      var at = links.indexOf(document.activeElement);
      if (event.key === "ArrowDown" && links.length && (at >= 0 || event.target === self.input)) {
        links[Math.min(at + 1, links.length - 1)].focus();
        event.preventDefault();
      } else if (event.key === "ArrowUp" && at >= 0) {
        (at === 0 ? self.input : links[at - 1]).focus();
        event.preventDefault();
      } else if (event.key === "Escape") {
        self.input.focus(); // first: focusing the field would open the panel again
        onEscape();
      }
    });
  };

  // The header: the first results in a panel under the field; Enter (or the button) opens the search page.
  var panel = header.querySelector(".dc-search__panel");
  var box = new Searcher(header, 5, function (show) {
    panel.hidden = !show;
  });
  box.afterMore = function () {
    var all = panel.querySelector(".dc-search__all");
    if (all) all.remove();
    if (this.found.length > this.shown) {
      var p = document.createElement("p");
      p.className = "dc-search__all";
      var a = document.createElement("a");
      a.href = header.action + "?q=" + encodeURIComponent(this.query);
      a.textContent = say(texts.all, { n: this.found.length.toLocaleString(document.documentElement.lang) });
      p.appendChild(a);
      panel.appendChild(p);
    }
  };
  box.links = function () {
    return Array.prototype.slice.call(panel.querySelectorAll("a"));
  };
  box.keys(function () {
    panel.hidden = true;
  });
  header.addEventListener("focusout", function (event) {
    if (!header.contains(event.relatedTarget)) panel.hidden = true;
  });
  header.addEventListener("focusin", function () {
    if (box.query.length >= 2 && box.list.childElementCount) panel.hidden = false;
  });

  // The search page: every result, 20 at a time; the query is in the address (?q=), so it can be shared.
  var form = document.querySelector("form[data-dc-search-page]");
  if (!form) return;
  var page = new Searcher(form, 20);
  page.keys(function () {});
  var moreButton = document.createElement("button");
  moreButton.type = "button";
  moreButton.className = "md-button dc-search__more";
  moreButton.textContent = texts.more;
  moreButton.hidden = true;
  form.appendChild(moreButton);
  page.afterMore = function (first) {
    moreButton.hidden = this.found.length <= this.shown;
    if (this.moving && first) first.focus(); // after "more results", on the first new one
    this.moving = false;
  };
  moreButton.addEventListener("click", function () {
    page.moving = true;
    page.more();
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    history.replaceState(null, "", "?q=" + encodeURIComponent(page.input.value.trim()));
    page.run(page.input.value);
  });
  var asked = new URLSearchParams(location.search).get("q");
  if (asked) {
    page.input.value = asked;
    page.run(asked);
  }
})();
