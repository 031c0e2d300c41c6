/*
 * search-api.js: where the search box's results come from. window.KbgenSearch, used by
 * search.js (the UI):
 *
 *   KbgenSearch.search(query, limit) -> Promise<[{id, title, url, category, snippet,
 *                                          anchor, score}]>     (url is site-relative)
 *   KbgenSearch.prefetch(text)       fetch the index files the words typed so far need
 *
 * With a help API (`api_url`), results come from GET <api_url>/api/search?q=&limit=&record=0
 * (the same engine as `kbgen search`, with the optional semantic re-ranker); the API stores
 * nothing for those requests (record=0). If it fails or takes over 1.5 s, the static index
 * (search-ranking.js, loaded before this script) answers for the rest of the page's life.
 *
 * WHAT LEAVES THE BROWSER: without a help API, nothing but requests for the site's own
 * search/kb/ files; with one, the words typed, to /api/search, as above (not stored).
 */
(function () {
  "use strict";

  var ranking = window.KbgenRanking;
  var DEFAULT_LIMIT = 10;

  // The site root, from this script's own URL (assets/kbgen/search-api.js): right on any
  // host, under any path, and after instant navigation (the script is loaded once).
  var script = document.currentScript ||
    document.querySelector('script[src*="assets/kbgen/search-api.js"]');
  var ROOT = new URL("../../", script ? script.src : location.href);
  var index = new ranking.Index(new URL("search/kb/", ROOT).href, fetchJson);

  // entry.json is revalidated (or reloaded); the hashed files never change, so any cached
  // copy is right.
  function fetchJson(url, cache) {
    return fetch(url, cache ? { cache: cache } : {}).then(function (response) {
      if (!response.ok) throw new Error(url + ": HTTP " + response.status);
      return response.json();
    });
  }

  // With a help API (api_url in mkdocs.yml), results come from its /api/search: the same
  // engine and ranking as `kbgen search`, with the semantic re-ranker when the API has it
  // (the static index is lexical). `record=0`: this page records its own `search`
  // event after the typing pause, through kbgen.js, which honours DNT and GPC; the API
  // stores nothing for these requests. If the API fails or is slow, this page falls back
  // to the static index for good.
  var API_TIMEOUT_MS = 1500;
  var apiSearch = apiEndpoint();

  function apiEndpoint() {
    var element = document.getElementById("kb-config");
    try {
      var api = element ? JSON.parse(element.textContent).api : "";
      if (typeof api !== "string" || !api) return "";
      return new URL(api.replace(/\/+$/, "") + "/api/search", location.href).href;
    } catch (error) {
      return "";
    }
  }

  function viaApi(query, limit) {
    var url = new URL(apiSearch);
    url.searchParams.set("q", query);
    url.searchParams.set("limit", String(Math.max(1, Math.min(50, limit))));
    url.searchParams.set("record", "0");
    var controller = typeof AbortController === "function" ? new AbortController() : null;
    var timer = controller && setTimeout(function () { controller.abort(); }, API_TIMEOUT_MS);
    return fetch(url.href, { credentials: "omit", signal: controller && controller.signal })
      .then(function (response) {
        if (!response.ok) throw new Error("/api/search: HTTP " + response.status);
        return response.json();
      }).then(function (data) {
        clearTimeout(timer);
        if (!data || !Array.isArray(data.results)) throw new Error("/api/search: no results");
        return data.results;
      }, function (error) {
        clearTimeout(timer);
        throw error;
      });
  }

  window.KbgenSearch = {
    search: function (query, limit) {
      limit = limit === undefined ? DEFAULT_LIMIT : limit;
      if (!apiSearch || !limit) return ranking.search(index, query, limit);
      return viaApi(query, limit).catch(function () {
        apiSearch = ""; // unreachable or failing: the static index from now on
        return ranking.search(index, query, limit);
      });
    },
    prefetch: function (text) {
      if (!apiSearch) ranking.prefetch(index, text);
    }
  };
})();
