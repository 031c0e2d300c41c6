/*
 * search.js: the help center's search UI. Results come from window.KbgenSearch
 * (search-api.js: the help API, or the static index ranked by search-ranking.js); the three
 * are classic scripts, deferred in this order (theme/main.html), no bundler.
 *
 * The UI: the search field in every page's header (on phones behind a button that opens
 * it; "/" or "s" go to it) and the home page's search box suggest results as the customer
 * types (a combobox); the search page (search/?q=) lists results; an opened result's page
 * marks the query's words. Everything re-initialises after instant navigation (document$).
 *
 * WHAT LEAVES THE BROWSER: nothing by this script itself. It hands two events to kbgen.js
 * (window.kbgen.track), which sends them only when a help API is configured and the browser
 * does not ask for privacy:
 *   search        query (the words typed), results (how many were shown), source "site"
 *   search_click  query, article (id of the result opened), rank (1 = first)
 */
(function () {
  "use strict";

  var words = window.KbgenRanking.words;

  var DELAY_MS = 40;                 // typing pause before searching (KbgenSearch.delay())
  var SEARCH_EVENT_DELAY_MS = 1200;  // record a search once the customer stops typing
  var HIGHLIGHT_KEY = "kbgen.highlight";
  var LIMIT = 10;       // suggestions under a box
  var PAGE_LIMIT = 50;  // the search page (the help API's most)

  // The site root, from this script's own URL (assets/kbgen/search.js): right on any host,
  // under any path, and after instant navigation (the script is loaded once).
  var script = document.currentScript ||
    document.querySelector('script[src*="assets/kbgen/search.js"]');
  var ROOT = new URL("../../", script ? script.src : location.href);
  // The page's language (kb-config): its search and contact pages ("de/search/" on German
  // pages) and its words for the search UI (kbgen/theme_strings.py, keys "search.<English>").
  var PAGE = (function () {
    try {
      var element = document.getElementById("kb-config");
      var raw = element ? JSON.parse(element.textContent) || {} : {};
      var prefix = typeof raw.search === "string" ? raw.search.replace(/search\/$/, "") : "";
      var words = raw.messages && typeof raw.messages === "object" ? raw.messages : {};
      return { prefix: /^([a-zA-Z-]+\/)?$/.test(prefix) ? prefix : "", words: words };
    } catch (error) {
      return { prefix: "", words: {} };
    }
  })();
  var PAGES = PAGE.prefix;

  function tr(text) {
    var found = PAGE.words["search." + text];
    return typeof found === "string" ? found : text;
  }

  // (KbgenSearch may be replaced by a stand-in without prefetch.)
  function prefetchTyped(text) {
    var api = window.KbgenSearch;
    if (api && typeof api.prefetch === "function") api.prefetch(text);
  }

  // Whether a key stops the search in flight (KbgenSearch.stopOnKey(): the static index).
  function stopOnKey() {
    var api = window.KbgenSearch;
    return Boolean(api && typeof api.stopOnKey === "function" && api.stopOnKey());
  }

  // How long to wait for a typing pause: longer when each search asks the help API.
  function delay() {
    var api = window.KbgenSearch;
    return api && typeof api.delay === "function" ? api.delay() : DELAY_MS;
  }

  function track(event) {
    if (window.kbgen && typeof window.kbgen.track === "function") window.kbgen.track(event);
  }

  function href(result) {
    return new URL(String(result.url || ""), ROOT).href;
  }

  // The stems a result should highlight: the query's stems and their typo fixes.
  function queryStems(query) {
    var stops = new Set(["a", "an", "and", "the", "to", "of", "in", "on", "for", "is", "i"]);
    return new Set(words(query, stops).map(function (w) { return w.stem; }));
  }

  /* ---------------------------------------------------------------- one search session */
  // What one box has searched: records the `search` event after a pause, and a
  // `search_click` (after the pending `search`) when a result is opened.

  function Session(source) {
    this.source = source;
    this.seq = 0;
    this.query = "";
    this.shown = 0;
    this.recorded = "";
    this.timer = null;
    this.controller = null;
  }

  Session.prototype.run = function (query, limit, show) {
    var self = this;
    var seq = ++this.seq;
    query = query.trim();
    clearTimeout(this.timer);
    // A newer query supersedes the one in flight: cancel its request to the API.
    if (this.controller) this.controller.abort();
    this.controller = typeof AbortController === "function" ? new AbortController() : null;
    if (!query) {
      this.query = "";
      show([], "", null);
      return;
    }
    var signal = this.controller ? this.controller.signal : undefined;
    window.KbgenSearch.search(query, limit, signal).then(function (results) {
      if (seq !== self.seq) return; // the customer has typed more since
      self.query = query;
      self.shown = results.length;
      show(results, query, null);
      self.timer = setTimeout(function () { self.record(); }, SEARCH_EVENT_DELAY_MS);
    }, function (error) {
      if (error && error.name === "AbortError") return; // stopped by a key or a newer query
      if (seq === self.seq) show([], query, error);
    });
  };

  // A key was pressed: a search of the static index still running is for fewer letters;
  // stop it (it fetches no result rows and draws no list), the typing pause starts the next.
  Session.prototype.typed = function () {
    if (this.controller && stopOnKey()) this.controller.abort();
  };

  Session.prototype.record = function () {
    clearTimeout(this.timer);
    if (!this.query || this.query === this.recorded) return;
    this.recorded = this.query;
    track({ type: "search", query: this.query, results: this.shown, source: this.source });
  };

  Session.prototype.opened = function (result, rank) {
    this.record();
    track({ type: "search_click", query: this.query, article: result.id, rank: rank });
    // The result's page may be a full page load (no instant navigation: large or
    // multilingual help centers): send both events now, not when this page is hidden.
    if (window.kbgen && typeof window.kbgen.flush === "function") window.kbgen.flush();
    try {
      sessionStorage.setItem(HIGHLIGHT_KEY, JSON.stringify({
        path: new URL(href(result)).pathname, query: this.query
      }));
    } catch (error) { /* storage disabled: no highlighting, nothing else lost */ }
  };

  /* ---------------------------------------------------------------- result rows */

  // Text with the query's words wrapped in <mark>; built from text nodes only.
  function marked(text, stems) {
    var fragment = document.createDocumentFragment();
    var pattern = /[\p{L}\p{N}']+/gu;
    var last = 0;
    var match;
    text = String(text || "");
    while ((match = pattern.exec(text)) !== null) {
      var found = words(match[0], new Set());
      if (!found.length || !stems.has(found[0].stem)) continue;
      fragment.appendChild(document.createTextNode(text.slice(last, match.index)));
      var mark = document.createElement("mark");
      mark.textContent = match[0];
      fragment.appendChild(mark);
      last = match.index + match[0].length;
    }
    fragment.appendChild(document.createTextNode(text.slice(last)));
    return fragment;
  }

  function resultLink(result, stems, rank, session) {
    var link = document.createElement("a");
    link.className = "kb-hit";
    link.href = href(result);
    link.setAttribute("data-kb-result", String(result.id));
    var title = document.createElement("span");
    title.className = "kb-hit__title";
    title.appendChild(marked(result.title, stems));
    link.appendChild(title);
    if (result.category) {
      var category = document.createElement("span");
      category.className = "kb-hit__category";
      category.textContent = result.category;
      link.appendChild(category);
    }
    if (result.snippet) {
      var snippet = document.createElement("span");
      snippet.className = "kb-hit__snippet";
      snippet.appendChild(marked(result.snippet, stems));
      link.appendChild(snippet);
    }
    link.addEventListener("click", function () { session.opened(result, rank); });
    return link;
  }

  // `limit`: what the engine was asked for; as many results means there may be more.
  function countText(n, query, limit) {
    if (!n) return tr("No articles match \u201c{q}\u201d. Try other words.").replace("{q}", query);
    if (limit && n >= limit) return tr("{n}+ articles found").replace("{n}", n);
    return n === 1 ? tr("1 article found") : tr("{n} articles found").replace("{n}", n);
  }

  var FAILED = tr("Search is not available right now. Please try again.");

  // Below "No articles match" in a suggestion box: the contact page, and the search page,
  // which lists popular articles and the topics. The query goes along to the search page.
  function noResultsHelp(input) {
    var help = document.createElement("p");
    help.className = "kb-suggest__help";
    help.hidden = true;
    var contact = document.createElement("a");
    contact.href = new URL(PAGES + "contact/", ROOT).href;
    contact.setAttribute("data-kb-contact-link", "");
    contact.textContent = tr("Contact support");
    var browse = document.createElement("a");
    browse.href = new URL(PAGES + "search/", ROOT).href;
    browse.textContent = tr("Popular articles and topics");
    browse.addEventListener("click", function () {
      browse.href = new URL(PAGES + "search/?q=" + encodeURIComponent(input.value.trim()), ROOT).href;
    });
    help.appendChild(document.createTextNode(tr("Still need help?") + " "));
    help.appendChild(contact);
    help.appendChild(document.createTextNode(" \u00b7 "));
    help.appendChild(browse);
    return help;
  }

  /* ---------------------------------------------------------------- combobox */
  // An input that suggests results as the customer types (ARIA 1.2 combobox + listbox):
  // arrows move, Enter opens the highlighted result (or submits the form), Escape closes.

  var boxes = 0;

  function Combobox(input, source, onEscape) {
    var id = "kb-suggest-" + (++boxes);
    this.input = input;
    this.onEscape = onEscape;
    this.session = new Session(source);
    this.active = -1;
    this.panel = document.createElement("div"); // the list, and help when it is empty
    this.panel.className = "kb-suggest";
    this.panel.hidden = true;
    this.list = document.createElement("ul");
    this.list.id = id;
    this.list.className = "kb-suggest__list";
    this.list.setAttribute("role", "listbox");
    this.list.setAttribute("aria-label", tr("Search results"));
    this.list.hidden = true;
    this.status = document.createElement("p");
    this.status.className = "kb-visually-hidden";
    this.status.setAttribute("role", "status");
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", id);
    this.empty = document.createElement("p");
    this.empty.className = "kb-suggest__empty";
    this.empty.hidden = true;
    this.help = noResultsHelp(input);
    this.panel.appendChild(this.list);
    this.panel.appendChild(this.empty);
    this.panel.appendChild(this.help);
    input.insertAdjacentElement("afterend", this.panel);
    this.panel.insertAdjacentElement("afterend", this.status);
    var self = this;
    var timer = null;
    input.addEventListener("focus", function () { prefetchTyped(""); });
    input.addEventListener("input", function () {
      clearTimeout(timer);
      self.session.typed();
      prefetchTyped(input.value);
      timer = setTimeout(function () { self.update(); }, delay());
    });
    input.addEventListener("keydown", function (event) { self.key(event); });
    input.addEventListener("blur", function () { self.session.record(); });
    this.panel.addEventListener("mousedown", function (event) {
      event.preventDefault(); // keep focus in the input while a result is clicked
    });
  }

  Combobox.prototype.update = function () {
    var self = this;
    this.session.run(this.input.value, LIMIT, function (results, query, error) {
      self.show(results, query, error);
    });
  };

  Combobox.prototype.show = function (results, query, error) {
    var self = this;
    var stems = queryStems(query);
    this.list.textContent = "";
    this.list.setAttribute("data-kb-query", query); // what the rows answer (tests, benchmarks)
    this.active = -1;
    this.input.removeAttribute("aria-activedescendant");
    // Each option is the result's link itself (an option holding a link would nest one
    // control in another, which screen readers may not announce); the list item around
    // it is only layout (role none).
    results.forEach(function (result, i) {
      var item = document.createElement("li");
      item.setAttribute("role", "none");
      var option = resultLink(result, stems, i + 1, self.session);
      option.id = self.list.id + "-" + i;
      option.setAttribute("role", "option");
      option.setAttribute("aria-selected", "false");
      option.tabIndex = -1;
      item.appendChild(option);
      self.list.appendChild(item);
    });
    var open = query !== "";
    // Nothing found: the message and the way on, outside the listbox (they are not options).
    this.empty.textContent = error ? FAILED : countText(0, query);
    this.list.hidden = !open || !results.length;
    this.empty.hidden = this.help.hidden = !open || results.length > 0;
    this.panel.hidden = !open;
    this.input.setAttribute("aria-expanded", String(open && results.length > 0));
    this.status.textContent = !open ? "" : error ? FAILED :
      countText(results.length, query, LIMIT);
  };

  Combobox.prototype.options = function () {
    return this.list.querySelectorAll("[role=option]");
  };

  Combobox.prototype.move = function (step) {
    var options = this.options();
    if (!options.length) return;
    if (this.active >= 0) options[this.active].setAttribute("aria-selected", "false");
    // -1 is the input itself: the cycle is input, first, ..., last, input
    this.active = (this.active + 1 + step + options.length + 1) % (options.length + 1) - 1;
    if (this.active < 0) {
      this.input.removeAttribute("aria-activedescendant");
      return;
    }
    var option = options[this.active];
    option.setAttribute("aria-selected", "true");
    option.scrollIntoView({ block: "nearest" });
    this.input.setAttribute("aria-activedescendant", option.id);
  };

  Combobox.prototype.key = function (event) {
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      if (this.panel.hidden) this.update();
      else this.move(event.key === "ArrowDown" ? 1 : -1);
    } else if (event.key === "Enter" && this.active >= 0) {
      event.preventDefault();
      this.options()[this.active].click();
    } else if (event.key === "Enter") {
      this.session.record();
    } else if (event.key === "Escape") {
      if (!this.panel.hidden) {
        event.preventDefault();
        event.stopPropagation();
        this.close();
      } else if (this.onEscape) {
        this.onEscape(event);
      }
    }
  };

  Combobox.prototype.close = function () {
    this.list.hidden = true;
    this.panel.hidden = true;
    this.active = -1;
    this.input.setAttribute("aria-expanded", "false");
    this.input.removeAttribute("aria-activedescendant");
  };

  /* ---------------------------------------------------------------- header search */
  // Every page's header has a search field (partials/kb-header-search.html): shown on wide
  // screens; on phones a button opens it over the header bar, focused, in one tap. "/" or
  // "s" go to it from anywhere. mkdocs-material's own search (lunr, whose whole index
  // downloads on the first page view) is not used. Material keeps the header across instant
  // navigation, so the field is set up once; each navigation closes it.

  var header = null; // {root, input, box}

  function headerSearch() {
    var root = document.querySelector("[data-kb-hsearch]");
    if (!root) return;
    if (header && header.root === root) { // instant navigation: start the next page afresh
      closeHeader(false);
      header.input.value = "";
      header.box.close();
      return;
    }
    var input = root.querySelector("input[name=q]");
    var open = root.querySelector("[data-kb-hsearch-open]");
    var close = root.querySelector("[data-kb-hsearch-close]");
    if (!input || input.hasAttribute("role")) return;
    header = { root: root, input: input, open: open, box: null };
    header.box = new Combobox(input, "site", function () {
      if (root.classList.contains("kb-hsearch--open")) closeHeader(true);
      else input.blur();
    });
    if (open) {
      open.setAttribute("aria-expanded", "false");
      open.setAttribute("role", "button");
      open.addEventListener("click", function (event) {
        event.preventDefault(); // without JavaScript it is a link to the search page
        openHeader();
      });
    }
    if (close) close.addEventListener("click", function () { closeHeader(true); });
    // Clicking elsewhere on the page closes the suggestions (they stay open on focus).
    document.addEventListener("click", function (event) {
      if (!root.contains(event.target)) header.box.close();
    });
  }

  // On phones the field is behind the button; on wide screens it is always there.
  function fieldHidden() {
    return !header || header.input.getClientRects().length === 0;
  }

  function openHeader() {
    if (!header) return;
    if (fieldHidden()) {
      header.root.classList.add("kb-hsearch--open");
      if (header.open) header.open.setAttribute("aria-expanded", "true");
    }
    header.input.focus();
    header.input.select();
  }

  function closeHeader(refocus) {
    if (!header || !header.root.classList.contains("kb-hsearch--open")) return;
    header.box.close();
    header.root.classList.remove("kb-hsearch--open");
    if (header.open) {
      header.open.setAttribute("aria-expanded", "false");
      if (refocus) header.open.focus();
    }
  }

  document.addEventListener("keydown", function (event) {
    if ((event.key !== "/" && event.key !== "s") || event.ctrlKey || event.metaKey ||
        event.altKey || event.defaultPrevented || !header) return;
    var target = event.target;
    if (target && (target.isContentEditable || /^(input|textarea|select)$/i.test(target.tagName))) {
      return;
    }
    event.preventDefault();
    openHeader();
  });

  /* ---------------------------------------------------------------- the search page */

  function searchPage(page) {
    var input = page.querySelector("input[name=q]");
    var list = page.querySelector("[data-kb-results]");
    var status = page.querySelector("[data-kb-search-status]");
    var form = page.querySelector("form");
    var noResults = page.querySelector("[data-kb-no-results]");
    if (!input || !list || page.hasAttribute("data-kb-ready")) return;
    page.setAttribute("data-kb-ready", "");
    var session = new Session("site");
    function show(results, query, error) {
      var stems = queryStems(query);
      list.textContent = "";
      results.forEach(function (result, i) {
        var item = document.createElement("li");
        item.appendChild(resultLink(result, stems, i + 1, session));
        list.appendChild(item);
      });
      if (status) {
        status.textContent = !query ? "" : error ? FAILED :
          countText(results.length, query, PAGE_LIMIT);
      }
      // Nothing found (or search failed): the contact path, popular articles, the topics.
      if (noResults) noResults.hidden = !query || results.length > 0;
    }
    function run() {
      var url = new URL(location.href);
      url.searchParams.set("q", input.value);
      history.replaceState(history.state, "", url.href);
      session.run(input.value, PAGE_LIMIT, show);
    }
    var timer = null;
    input.addEventListener("focus", function () { prefetchTyped(""); });
    input.addEventListener("input", function () {
      clearTimeout(timer);
      session.typed();
      prefetchTyped(input.value);
      timer = setTimeout(run, delay());
    });
    if (form) {
      form.addEventListener("submit", function (event) {
        event.preventDefault();
        run();
        session.record();
      });
    }
    input.value = new URLSearchParams(location.search).get("q") || "";
    if (input.value) session.run(input.value, PAGE_LIMIT, show);
  }

  /* ---------------------------------------------------------------- highlighting */
  // After a result is opened, its page marks the query's words (like material's
  // search.highlight). The query travels in sessionStorage, not in the URL.

  function highlight() {
    var saved = null;
    try {
      saved = JSON.parse(sessionStorage.getItem(HIGHLIGHT_KEY) || "null");
      sessionStorage.removeItem(HIGHLIGHT_KEY);
    } catch (error) {
      return;
    }
    var content = document.querySelector(".md-content article, .md-content");
    if (!saved || saved.path !== location.pathname || !content) return;
    var stems = queryStems(String(saved.query || ""));
    var walker = document.createTreeWalker(content, NodeFilter.SHOW_TEXT);
    var nodes = [];
    while (walker.nextNode()) nodes.push(walker.currentNode);
    nodes.forEach(function (node) {
      if (!node.nodeValue.trim() || node.parentNode.closest("script, style, mark, pre")) return;
      var fragment = marked(node.nodeValue, stems);
      if (fragment.querySelector("mark")) node.parentNode.replaceChild(fragment, node);
    });
  }

  /* ---------------------------------------------------------------- styles */
  // Kept with the script so the search needs no extra request; material's colour variables.

  var STYLE = [
    ".kb-searchbox__row,.kb-hsearch__form{position:relative}",
    ".kb-suggest{position:absolute;z-index:10;top:100%;left:0;right:0;margin:.2em 0 0;",
    "padding:0;list-style:none;max-height:70vh;overflow:auto;border-radius:.3rem;",
    "background:var(--md-default-bg-color);color:var(--md-default-fg-color);",
    "box-shadow:var(--md-shadow-z2)}",
    ".kb-suggest__list{margin:0;padding:0;list-style:none}.kb-suggest li{margin:0!important}",
    ".kb-suggest .kb-hit[aria-selected=true]{background:var(--md-accent-fg-color--transparent)}",
    ".kb-suggest__empty{margin:0;padding:.6em .8em}",
    ".kb-suggest__help{margin:0;padding:0 .8em .6em}",
    ".kb-suggest__help a{color:var(--md-typeset-a-color);text-decoration:underline}",
    // Sizes in rem (material's root is 20 px): the header sits outside .md-typeset, whose
    // body text is 10 px, so em sizes there would shrink to 7.5-10 px. Title 17, snippet
    // 15, category 14 px; only the title is link-coloured, underlined on hover.
    ".kb-hit{display:block;padding:.5em .8em;line-height:1.4;text-decoration:none!important;",
    "color:var(--md-default-fg-color)!important}",
    ".kb-hit:hover{background:var(--md-accent-fg-color--transparent)}",
    ".kb-hit__title{display:block;font-size:.85rem;font-weight:700;",
    "color:var(--md-typeset-a-color)}",
    ".kb-hit:hover .kb-hit__title,.kb-hit:focus .kb-hit__title{text-decoration:underline}",
    ".kb-hit__category{display:block;font-size:.7rem;color:var(--md-default-fg-color--light)}",
    ".kb-hit__snippet{display:block;font-size:.75rem}",
    ".kb-suggest__empty,.kb-suggest__help{font-size:.75rem}",
    ".kb-hit mark{background:var(--md-typeset-mark-color);color:var(--md-default-fg-color)}",
    ".kb-results{list-style:none;padding:0}.kb-results li{margin-left:0!important}",
    // Under the header's field: wide enough to read, right-aligned under it; on a phone,
    // the field spans the header bar and the list the screen.
    ".kb-hsearch .kb-suggest{left:auto;width:min(34rem,calc(100vw - 1rem));",
    "border:1px solid var(--md-default-fg-color--lightest);",
    "max-height:calc(100vh - 3.4rem);line-height:1.4}",
    ".kb-hsearch--open .kb-suggest{left:.2rem;right:.2rem;width:auto;",
    "max-height:calc(100vh - 2.6rem)}"
  ].join("");

  function addStyle() {
    if (document.getElementById("kb-search-style")) return;
    var style = document.createElement("style");
    style.id = "kb-search-style";
    style.textContent = STYLE;
    document.head.appendChild(style);
  }

  /* ---------------------------------------------------------------- start */

  function init() {
    addStyle();
    headerSearch();
    document.querySelectorAll("[data-kb-search-page]").forEach(searchPage);
    document.querySelectorAll("form[data-kb-searchbox] input[name=q]").forEach(function (input) {
      if (input.closest("[data-kb-search-page]") || input.hasAttribute("role")) return;
      new Combobox(input, "site");
    });
    highlight();
  }

  // material's document$ emits on first load and after every instant navigation.
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(init);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
