/*
 * search-api.js: where the search box's results come from. window.KbgenSearch, used by
 * search.js (the UI):
 *
 *   KbgenSearch.search(query, limit, signal) -> Promise<[{id, title, url, category,
 *                      snippet, anchor, score}]>     (url is site-relative; an aborted
 *                      signal cancels the request and rejects with an AbortError)
 *   KbgenSearch.prefetch(text)       fetch the index files the words typed so far need
 *   KbgenSearch.delay()              how long the box should wait for a typing pause (ms):
 *                                    longer when each search is a request to the API
 *   KbgenSearch.stopOnKey()          whether a key should abort the search in flight
 *
 * With a help API (`api_url`), results come from GET <api_url>/api/search?q=&limit=&record=0
 * (the same engine as `kbgen search`, with the optional semantic re-ranker); the API stores
 * nothing for those requests (record=0). If it fails or takes over 2.5 s, the static index
 * (search-ranking.js, loaded before this script) answers THAT query; the next one asks the
 * API again. After 3 failures in a row the API rests for 30 s, then is asked again.
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
  // The page's language's index: search/kb/, or de/search/kb/ on German pages (kb-config).
  var LANGUAGE = languageOf(document.getElementById("kb-config"));
  var index = new ranking.Index(new URL(LANGUAGE.search + "kb/", ROOT).href, fetchJson);

  function languageOf(element) {
    try {
      var raw = element ? JSON.parse(element.textContent) || {} : {};
      var search = typeof raw.search === "string" && /^([a-zA-Z-]+\/)?search\/$/.test(raw.search) ?
        raw.search : "search/";
      return { search: search, lang: search === "search/" ? "" : search.split("/")[0] };
    } catch (error) {
      return { search: "search/", lang: "" };
    }
  }

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
  // stores nothing for these requests. If the API fails or is slow, the static index
  // answers that one query; several failures in a row rest the API for a while.
  var API_TIMEOUT_MS = 2500;
  var API_DELAY_MS = 250;      // typing pause before a request: one per pause, not per key
  var STATIC_DELAY_MS = 40;    // the static index is local: suggest almost at once
  var FAILURES_BEFORE_REST = 3;
  var REST_MS = 30000;
  var config = pageConfig();
  var apiSearch = apiEndpoint(config.api);
  var categoryTitles = config.categories && typeof config.categories === "object" ?
    config.categories : {};
  var failures = 0;
  var restUntil = 0;

  function apiUsable() {
    return Boolean(apiSearch) && Date.now() >= restUntil;
  }

  function apiFailed() {
    failures += 1;
    if (failures >= FAILURES_BEFORE_REST) {
      failures = 0;
      restUntil = Date.now() + REST_MS;
    }
  }

  function aborted(signal) {
    var error = new Error("search superseded");
    error.name = "AbortError";
    return signal && signal.aborted ? error : null;
  }

  function pageConfig() {
    var element = document.getElementById("kb-config");
    try {
      return (element && JSON.parse(element.textContent)) || {};
    } catch (error) {
      return {};
    }
  }

  function apiEndpoint(api) {
    try {
      if (typeof api !== "string" || !api) return "";
      return new URL(api.replace(/\/+$/, "") + "/api/search", location.href).href;
    } catch (error) {
      return "";
    }
  }

  // `signal`: the caller's (a newer query supersedes this one); the timeout aborts too.
  function viaApi(query, limit, signal) {
    var url = new URL(apiSearch);
    url.searchParams.set("q", query);
    url.searchParams.set("limit", String(Math.max(1, Math.min(50, limit))));
    url.searchParams.set("record", "0");
    if (LANGUAGE.lang) url.searchParams.set("lang", LANGUAGE.lang);
    var controller = typeof AbortController === "function" ? new AbortController() : null;
    var timer = controller && setTimeout(function () { controller.abort(); }, API_TIMEOUT_MS);
    if (controller && signal) {
      if (signal.aborted) controller.abort();
      else signal.addEventListener("abort", function () { controller.abort(); });
    }
    return fetch(url.href, { credentials: "omit", signal: controller && controller.signal })
      .then(function (response) {
        if (!response.ok) throw new Error("/api/search: HTTP " + response.status);
        return response.json();
      }).then(function (data) {
        clearTimeout(timer);
        if (!data || !Array.isArray(data.results)) throw new Error("/api/search: no results");
        // Results show the category's title, as the static index does: the API answers it
        // (category_title); an API from before it did names only the folder (category),
        // which this page's own list of titles translates.
        return data.results.map(function (result) {
          var title = result.category_title;
          if (typeof title !== "string" || !title || title === result.category) {
            title = categoryTitles[result.category] || title;
          }
          return typeof title === "string" ? Object.assign({}, result, { category: title }) : result;
        });
      }, function (error) {
        clearTimeout(timer);
        throw error;
      });
  }

  window.KbgenSearch = {
    search: function (query, limit, signal) {
      limit = limit === undefined ? DEFAULT_LIMIT : limit;
      if (aborted(signal)) return Promise.reject(aborted(signal));
      if (!apiUsable() || !limit) return ranking.search(index, query, limit, signal);
      return viaApi(query, limit, signal).then(function (results) {
        failures = 0;
        return results;
      }, function (error) {
        // Superseded by a newer query: nothing to answer, and not the API's fault.
        if (aborted(signal)) throw aborted(signal);
        apiFailed(); // unreachable, failing or slow: the static index answers this query
        return ranking.search(index, query, limit, signal);
      });
    },
    prefetch: function (text) {
      if (!apiUsable()) ranking.prefetch(index, text);
    },
    delay: function () {
      return apiUsable() ? API_DELAY_MS : STATIC_DELAY_MS;
    },
    // Whether a key pressed while a search runs should stop it: yes for the static index
    // (that search is for fewer letters; its result rows and list would only slow the next
    // one), no for the help API (one request per typing pause, let it answer).
    stopOnKey: function () {
      return !apiUsable();
    }
  };
})();
