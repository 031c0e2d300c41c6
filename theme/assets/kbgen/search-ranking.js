/*
 * search-ranking.js: the browser's twin of kbgen's search ranking, so the static site's
 * search box ranks like `kbgen search` without a server.
 *
 * Each function names its Python twin (`// twin: kbgen/search/<module>.py <function>`):
 * change one, change the other; tests/test_search_browser.py checks that both give the same
 * results and scores. It ranks with the same words, stop words and question-framing weights
 * (analysis.py), Porter stems (porter.py), typo correction with the rare-word rule
 * (fuzzy.py, query.py), joined words ("back up" -> backup), BM25F scores of the combined
 * field and the title (computed at build time by browser_index.py), common words that only
 * add to entries matching a rarer word (postings.py), the match floor (query.py) and FAQ
 * questions shown for their page (hits.py). The semantic re-ranker (semantic_mix.py) runs
 * behind the help API (search-api.js); on a static host, when the build shipped the help
 * center's token vectors, search-vectors.js mixes meaning in the same way.
 *
 * It reads the static index kbgen/search/browser_index.py writes under search/kb/: nothing
 * is downloaded until the customer starts to search; then only entry.json (the one fixed
 * name, revalidated once per page load), the meta file it names and the shards the typed
 * words need. Those are named by their content hash (listed in meta), so one search reads
 * one build's files only, whatever a deploy does meanwhile; if a build's files are gone
 * from the host, the search reads entry.json again and runs once more on the new build.
 *
 *   window.KbgenRanking = {fold, words, stem, editDistance, corrections, shardOf,
 *                          Index(root, fetchJson), search(index, query, limit, signal),
 *                          prefetch(index, text)}
 *
 * No DOM and no network of its own (the Index is given its fetch function); under Node it
 * is module.exports.
 */
(function () {
  "use strict";

  /* ---------------------------------------------------------------- analysis */
  // twin: kbgen/search/analysis.py (fold, words, query_words, weighted_query_words)

  var WORD = /[a-z0-9]+(?:'[a-z]+)*/g;
  var CONTRACTION = /'(?:s|d|ll|ve|re|m)$/;

  // twin: kbgen/search/analysis.py fold()
  function fold(text) {
    return String(text).toLowerCase().replace(/ß/g, "ss").normalize("NFKD").replace(/\p{M}/gu, "")
      .replace(/[\u2019`]/g, "'");
  }

  // [{text, stem}] of the non-stop words of `text`.
  // twin: kbgen/search/analysis.py words()
  function words(text, stops) {
    var result = [];
    var folded = fold(text);
    var match;
    WORD.lastIndex = 0;
    while ((match = WORD.exec(folded)) !== null) {
      var surface = match[0].replace(CONTRACTION, "").replace(/'/g, "");
      if (!surface || stops.has(surface)) continue;
      result.push({ text: surface, stem: stem(surface) });
    }
    return result;
  }

  // twin: kbgen/search/analysis.py query_words()
  function queryWords(query, meta) {
    var content = words(query, meta.queryStop);
    if (!content.length) content = words(query, new Set());
    var seen = new Set();
    return content.filter(function (word) {
      if (seen.has(word.text)) return false;
      seen.add(word.text);
      return true;
    });
  }

  // [[word, weight]]: topic words 1, question-framing words meta.framing_weight.
  // twin: kbgen/search/analysis.py weighted_query_words()
  function weightedQueryWords(query, meta) {
    var plain = function () {
      return queryWords(query, meta).map(function (word) { return [word, 1]; });
    };
    if (!meta.framing_weight) return plain();
    var seen = new Set();
    var weighted = [];
    words(query, meta.indexStop).forEach(function (word) {
      if (seen.has(word.text)) return;
      seen.add(word.text);
      weighted.push([word, meta.queryStop.has(word.text) ? meta.framing_weight : 1]);
    });
    return weighted.length ? weighted : plain();
  }

  /* ---------------------------------------------------------------- Porter stemmer */
  // twin: kbgen/search/porter.py (Porter 1980), rule for rule; each helper is the twin of
  // the function of the same name there (isConsonant: _is_consonant, step1b: _step1b, ...).

  function isConsonant(word, i) {
    var ch = word[i];
    if ("aeiou".indexOf(ch) >= 0) return false;
    if (ch === "y") return i === 0 || !isConsonant(word, i - 1);
    return true;
  }

  function measure(s) {
    var m = 0;
    var prevVowel = false;
    for (var i = 0; i < s.length; i++) {
      var consonant = isConsonant(s, i);
      if (consonant && prevVowel) m++;
      prevVowel = !consonant;
    }
    return m;
  }

  function hasVowel(s) {
    for (var i = 0; i < s.length; i++) if (!isConsonant(s, i)) return true;
    return false;
  }

  function doubleConsonant(w) {
    return w.length >= 2 && w[w.length - 1] === w[w.length - 2] && isConsonant(w, w.length - 1);
  }

  function cvc(w) {
    var n = w.length;
    if (n < 3 || "wxy".indexOf(w[n - 1]) >= 0) return false;
    return isConsonant(w, n - 3) && !isConsonant(w, n - 2) && isConsonant(w, n - 1);
  }

  function ends(w, suffix) {
    return w.length >= suffix.length && w.slice(w.length - suffix.length) === suffix;
  }

  function step1a(w) {
    if (ends(w, "sses") || ends(w, "ies")) return w.slice(0, -2);
    if (ends(w, "ss")) return w;
    if (ends(w, "s")) return w.slice(0, -1);
    return w;
  }

  function step1b(w) {
    if (ends(w, "eed")) return measure(w.slice(0, -3)) > 0 ? w.slice(0, -1) : w;
    var suffixes = ["ed", "ing"];
    for (var i = 0; i < suffixes.length; i++) {
      if (ends(w, suffixes[i])) {
        var s = w.slice(0, w.length - suffixes[i].length);
        if (!hasVowel(s)) return w;
        if (ends(s, "at") || ends(s, "bl") || ends(s, "iz")) return s + "e";
        if (doubleConsonant(s) && "lsz".indexOf(s[s.length - 1]) < 0) return s.slice(0, -1);
        if (measure(s) === 1 && cvc(s)) return s + "e";
        return s;
      }
    }
    return w;
  }

  var STEP2 = [["ational", "ate"], ["tional", "tion"], ["enci", "ence"], ["anci", "ance"],
    ["izer", "ize"], ["bli", "ble"], ["alli", "al"], ["entli", "ent"], ["eli", "e"],
    ["ousli", "ous"], ["ization", "ize"], ["ation", "ate"], ["ator", "ate"], ["alism", "al"],
    ["iveness", "ive"], ["fulness", "ful"], ["ousness", "ous"], ["aliti", "al"],
    ["iviti", "ive"], ["biliti", "ble"], ["logi", "log"]];
  var STEP3 = [["icate", "ic"], ["ative", ""], ["alize", "al"], ["iciti", "ic"],
    ["ical", "ic"], ["ful", ""], ["ness", ""]];
  var STEP4 = ["al", "ance", "ence", "er", "ic", "able", "ible", "ant", "ement", "ment", "ent",
    "ion", "ou", "ism", "ate", "iti", "ous", "ive", "ize"];

  function replaceLongest(w, rules) {
    var best = null;
    rules.forEach(function (rule) {
      if (ends(w, rule[0]) && (best === null || rule[0].length > best[0].length)) best = rule;
    });
    if (best === null) return w;
    var s = w.slice(0, w.length - best[0].length);
    return measure(s) > 0 ? s + best[1] : w;
  }

  function step4(w) {
    var best = null;
    STEP4.forEach(function (suffix) {
      if (ends(w, suffix) && (best === null || suffix.length > best.length)) best = suffix;
    });
    if (best === null) return w;
    var s = w.slice(0, w.length - best.length);
    if (measure(s) <= 1) return w;
    if (best === "ion" && !(ends(s, "s") || ends(s, "t"))) return w;
    return s;
  }

  function step5(w) {
    if (ends(w, "e")) {
      var s = w.slice(0, -1);
      var m = measure(s);
      if (m > 1 || (m === 1 && !cvc(s))) w = s;
    }
    if (ends(w, "ll") && measure(w) > 1) w = w.slice(0, -1);
    return w;
  }

  // The index's language's Snowball stemmer when it is not English (loadStemmer), else
  // Porter. twin: kbgen/search/analysis.py stem()
  var snowballStem = null;

  // twin: kbgen/search/porter.py stem()
  function stem(word) {
    if (snowballStem) return snowballStem(word);
    if (word.length <= 2 || !/^[a-z]+$/.test(word)) return word;
    word = step1a(word);
    word = step1b(word);
    if (ends(word, "y") && hasVowel(word.slice(0, -1))) word = word.slice(0, -1) + "i";
    word = replaceLongest(word, STEP2);
    word = replaceLongest(word, STEP3);
    word = step4(word);
    return step5(word);
  }

  /* ---------------------------------------------------------------- typo correction */
  // twin: kbgen/search/fuzzy.py. Candidates share a one-letter deletion with the word
  // (a long word: or one of its two-letter deletions), then the true (optimal string
  // alignment) distance decides; closest, then most common.
  // A three-letter word is only corrected by a letter put back after its first ("mil").

  // twin: kbgen/search/fuzzy.py edit_distance()
  function editDistance(a, b, limit) {
    if (Math.abs(a.length - b.length) >= limit) return limit;
    var prev2 = [];
    var prev = [];
    for (var j = 0; j <= b.length; j++) prev.push(j);
    for (var i = 1; i <= a.length; i++) {
      var cur = [i];
      var low = i;
      for (j = 1; j <= b.length; j++) {
        var cost = a[i - 1] === b[j - 1] ? 0 : 1;
        var v = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
        if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
          v = Math.min(v, prev2[j - 2] + 1);
        }
        cur.push(v);
        if (v < low) low = v;
      }
      if (low >= limit) return limit;
      prev2 = prev;
      prev = cur;
    }
    return Math.min(prev[b.length], limit);
  }

  // twin: kbgen/search/fuzzy.py _deletions()
  function deletions(word) {
    var keys = new Set([word]);
    for (var i = 0; i < word.length; i++) keys.add(word.slice(0, i) + word.slice(i + 1));
    return keys;
  }

  // twin: kbgen/search/fuzzy.py max_edits()
  function maxEdits(word, meta) {
    if (word.length < meta.min_length) return 0;
    return word.length >= meta.long_word ? 2 : 1;
  }

  // Up to 3 [word, distance] from the vocabulary shards (word -> entries holding it).
  // twin: kbgen/search/fuzzy.py Speller.corrections()
  function corrections(word, shards, meta) {
    if (word.length === meta.short_word && /^[a-z]+$/.test(word)) {
      return lostLetter(word, shards[0] || {});
    }
    var allowed = maxEdits(word, meta);
    if (!allowed || !/^[a-z]+$/.test(word)) return [];
    var keys = deletions(word);
    if (allowed === 2) {  // a long word: its two-letter deletions too ("callrndar")
      var fewer = new Set();
      keys.forEach(function (key) { deletions(key).forEach(function (k) { fewer.add(k); }); });
      keys = fewer;
    }
    var scored = [];
    var seen = new Set([word]);
    shards.forEach(function (vocabulary) {
      Object.keys(vocabulary).forEach(function (candidate) {
        if (seen.has(candidate) || Math.abs(candidate.length - word.length) > 2) return;
        seen.add(candidate);
        var shared = false;
        deletions(candidate).forEach(function (key) { if (keys.has(key)) shared = true; });
        if (!shared) return;
        var distance = editDistance(word, candidate, allowed + 1);
        if (distance <= allowed) scored.push([distance, -vocabulary[candidate], candidate]);
      });
    });
    scored.sort(function (x, y) {
      return x[0] - y[0] || x[1] - y[1] || (x[2] < y[2] ? -1 : x[2] > y[2] ? 1 : 0);
    });
    return scored.slice(0, 3).map(function (s) { return [s[2], s[0]]; });
  }

  /* ---------------------------------------------------------------- the index */
  // Reads the files kbgen/search/browser_index.py publish() writes.

  // The term shard of a stem: its longest prefix that the index lists ("_" = empty prefix).
  // twin: kbgen/search/browser_index.py shard_of()
  function shardOf(meta, stemText) {
    if (!meta.shards) meta.shards = new Set(meta.terms);
    for (var k = stemText.length; k > 0; k--) {
      if (meta.shards.has(stemText.slice(0, k))) return stemText.slice(0, k);
    }
    return "_";
  }

  // Index files are fetched once per page load and kept (a Map of promises).
  // fetchJson(url, cache): cache is a fetch() cache mode for entry.json ("no-cache":
  // revalidate; "reload": ask the server outright), undefined for hashed files.
  function Index(root, fetchJson) {
    this.root = root;
    this.fetchJson = fetchJson;
    this.files = new Map();
    this.build = null;  // a promise of the prepared meta of the build entry.json named
  }

  // The name of the build's meta file, from entry.json (the only file with a fixed name).
  Index.prototype.entry = function (cache) {
    return this.fetchJson(this.root + "entry.json", cache || "no-cache").then(function (entry) {
      if (!entry || typeof entry.meta !== "string") throw new Error("entry.json: no meta");
      return entry.meta;
    });
  };

  Index.prototype.meta = function () {
    if (!this.build) {
      var self = this;
      var build = this.entry().then(function (name) {
        return self.file(name).then(function (meta) {
          if (!meta.owner) prepare(meta, name);
          return loadStemmer(meta.lang).then(function () { return meta; });
        });
      });
      build.catch(function () { if (self.build === build) self.build = null; });
      this.build = build;
    }
    return this.build;
  };

  // The Snowball stemmer of a language other than English: Snowball 3.1.1 compiled to
  // WebAssembly (theme/assets/kbgen/vendor/multilingual-stemmer, the release Python's
  // snowballstemmer is generated from), loaded once, on the first search of such a page.
  var VENDOR = (function () {
    var own = document.currentScript ||
      document.querySelector('script[src*="assets/kbgen/search-ranking.js"]');
    return own ? new URL("vendor/multilingual-stemmer/index.browser.js", own.src).href : "";
  })();
  var stemmerLoad = null;

  function loadStemmer(lang) {
    if (!lang || lang === "en" || !VENDOR) return Promise.resolve();
    if (!stemmerLoad) {
      stemmerLoad = import(VENDOR).then(function (module) {
        var code = lang.split("-")[0];
        try {
          snowballStem = module.createStemmer(code);
        } catch (error) {  // no Snowball stemmer for it: words are not stemmed, as in Python
          snowballStem = function (word) { return word; };
        }
      });
      stemmerLoad.catch(function () { stemmerLoad = null; });
    }
    return stemmerLoad;
  }

  // After a failed search: true (and this build's files forgotten) if entry.json now names
  // another build, whose files the search may then use; false if the build is the same.
  Index.prototype.renewed = function () {
    var self = this;
    var had = this.build;
    if (!had) return Promise.resolve(false);
    // "reload": a revalidation could be answered 304 by a Last-Modified to the second
    return Promise.all([had.catch(function () { return null; }), this.entry("reload")])
      .then(function (found) {
        if (found[0] && found[0].name === found[1]) return false;
        if (self.build === had) {
          self.build = null;
          self.files = new Map();
        }
        return true;
      }, function () { return false; });
  };

  // One file of this build: `kind` t, v or d, `key` its prefix, letter or chunk number.
  function partName(meta, kind, key) {
    return kind + "/" + key + "." + meta.hashOf[kind].get(String(key)) + ".json";
  }

  Index.prototype.file = function (name) {
    if (!this.files.has(name)) {
      var self = this;
      var promise = this.fetchJson(this.root + name).catch(function (error) {
        self.files.delete(name); // let a later search try again (flaky network)
        throw error;
      });
      this.files.set(name, promise);
    }
    return this.files.get(name);
  };

  // Stop-word sets, the files' hashes by key, and for every entry its article (entries are
  // in the engine's order: each article, then its FAQ questions; meta.faq = [[article,
  // questions], ...]).
  function prepare(meta, name) {
    meta.name = name;
    meta.hashOf = {
      t: new Map(meta.terms.map(function (prefix, i) {
        return [prefix || "_", meta.hashes.t[i]];
      })),
      v: new Map(meta.letters.split("").map(function (letter, i) {
        return [letter, meta.hashes.v[i]];
      })),
      d: new Map(meta.hashes.d.map(function (hash, i) { return [String(i), hash]; }))
    };
    meta.indexStop = new Set(meta.index_stop);
    meta.queryStop = new Set(meta.index_stop.concat(meta.query_stop));
    var owner = new Int32Array(meta.entries);
    var question = new Uint8Array(meta.entries);
    var entry = 0;
    var next = 0;
    for (var article = 0; article < meta.articles; article++) {
      owner[entry++] = article;
      if (next < meta.faq.length && meta.faq[next][0] === article) {
        for (var q = 0; q < meta.faq[next][1]; q++) {
          question[entry] = 1;
          owner[entry++] = article;
        }
        next++;
      }
    }
    meta.question = question;
    meta.owner = owner;
  }

  // [entries holding the stem, its common surface words, per field [delta, score, ...]]
  Index.prototype.postings = function (meta, stemText) {
    return this.file(partName(meta, "t", shardOf(meta, stemText))).then(function (shard) {
      return Object.prototype.hasOwnProperty.call(shard, stemText) ? shard[stemText] : null;
    });
  };

  Index.prototype.vocabulary = function (meta, letter) {
    if (!letter || meta.letters.indexOf(letter) < 0) return Promise.resolve({});
    return this.file(partName(meta, "v", letter));
  };

  Index.prototype.row = function (meta, entry) {
    return this.file(partName(meta, "d", Math.floor(entry / meta.chunk))).then(function (rows) {
      return rows[entry % meta.chunk];
    });
  };

  /* ---------------------------------------------------------------- ranking */
  // twin: kbgen/search/query.py (QueryReader), postings.py, hits.py, as engine.py's
  // SearchIndex.search() puts them together.

  // The stems to search for one query word: [[stem, weight, postings], ...]. A word the
  // help center never uses is replaced by its typo fixes; a word it uses in at most
  // rare_word_df entries also searches for fixes rare_word_ratio times commoner.
  // twin: kbgen/search/query.py QueryReader._find_alternatives()
  function alternatives(index, meta, word) {
    if (!meta.alternatives) meta.alternatives = new Map();
    var found = meta.alternatives.get(word.text);
    if (!found) {  // once per word and build: the typing prefetch and the search share it
      found = findAlternatives(index, meta, word);
      found.catch(function () { meta.alternatives.delete(word.text); });
      meta.alternatives.set(word.text, found);
    }
    return found;
  }

  function findAlternatives(index, meta, word) {
    return index.postings(meta, word.stem).then(function (known) {
      var seen = new Map();
      if (known) {
        seen.set(word.stem, 1);
        if (!meta.rare_word_df || known[1].indexOf(word.text) >= 0 ||
            !maxEdits(word.text, meta) || !/^[a-z]+$/.test(word.text)) {
          return [[word.stem, 1, known]];
        }
      } else if ((!maxEdits(word.text, meta) && word.text.length !== meta.short_word) ||
                 !/^[a-z]+$/.test(word.text)) {
        return [];
      }
      // the vocabulary shards of the letters a correction may start with (fuzzy.py)
      var letters = word.text.slice(0, maxEdits(word.text, meta) + 1).split("");
      return Promise.all(letters.map(function (letter) {
        return index.vocabulary(meta, letter);
      })).then(function (shards) {
        var fixes = corrections(word.text, shards, meta);
        if (known) {
          var floor = meta.rare_word_ratio * Math.max(1, shards[0][word.text] || 0);
          fixes = fixes.filter(function (fix) { return frequency(shards, fix[0]) >= floor; });
        }
        fixes.forEach(function (fix) {
          var s = stem(fix[0]);
          if (!seen.has(s)) seen.set(s, meta.typo_weight / fix[1]);
        });
        var stems = Array.from(seen.keys());
        return Promise.all(stems.map(function (s) {
          return s === word.stem ? known : index.postings(meta, s);
        })).then(function (lists) {
          return stems.map(function (s, i) { return [s, seen.get(s), lists[i]]; })
            .filter(function (alt) { return alt[2]; });
        });
      });
    });
  }

  // Vocabulary words that are `word` with one letter put back after its first (all start
  // with its first letter: shard `vocabulary`), most common first.
  // twin: kbgen/search/fuzzy.py Speller._lost_letter()
  function lostLetter(word, vocabulary) {
    var found = [];
    for (var i = 1; i <= word.length; i++) {
      for (var c = 97; c <= 122; c++) {
        var candidate = word.slice(0, i) + String.fromCharCode(c) + word.slice(i);
        if (Object.prototype.hasOwnProperty.call(vocabulary, candidate) &&
            found.indexOf(candidate) < 0) found.push(candidate);
      }
    }
    found.sort(function (x, y) {
      return vocabulary[y] - vocabulary[x] || (x < y ? -1 : x > y ? 1 : 0);
    });
    return found.slice(0, 3).map(function (candidate) { return [candidate, 1]; });
  }

  // Words of the help center written as two neighbouring query words ("back up" ->
  // "backup"): resolves to [[left, right, stem, postings], ...] for every pair the help
  // center writes as one word. Needs no other word's result: the search starts it at once.
  // twin: kbgen/search/fuzzy.py joined_pairs() and kbgen/search/query.py
  // QueryReader._joined()
  function joinedLookup(index, meta, query) {
    if (!meta.join_words) return Promise.resolve([]);
    var tokens = words(query, new Set());
    var pairs = [];
    for (var i = 1; i < tokens.length; i++) {
      var left = tokens[i - 1].text;
      var right = tokens[i].text;
      if (meta.indexStop.has(left) || meta.indexStop.has(right)) continue;
      var word = left + right;
      var known = pairs.some(function (pair) { return pair[0] === left && pair[1] === right; });
      if (/^[a-z]+$/.test(word) && word.length >= meta.min_length && !known) {
        pairs.push([left, right]);
      }
    }
    return Promise.all(pairs.map(function (pair) {
      var joined = pair[0] + pair[1];
      return index.vocabulary(meta, joined[0]).then(function (vocabulary) {
        if (!Object.prototype.hasOwnProperty.call(vocabulary, joined)) return null;
        return index.postings(meta, stem(joined));
      });
    })).then(function (lists) {
      var found = [];
      lists.forEach(function (postings, i) {
        if (!postings) return;
        found.push([pairs[i][0], pairs[i][1], stem(pairs[i][0] + pairs[i][1]), postings]);
      });
      return found;
    });
  }

  // joinedLookup()'s pairs as {alts: [[[stem, weight, postings]], ...] for the stems not
  // in `stems` (the query's stems, updated), pairs: [[left, right, stem], ...] for every
  // join}.
  function joinedWords(meta, lookup, stems) {
    var result = { alts: [], pairs: [] };
    lookup.forEach(function (item) {
      var s = item[2];
      result.pairs.push([item[0], item[1], s]);
      if (stems.has(s)) return;
      stems.add(s);
      result.alts.push([[s, meta.join_words, item[3]]]);
    });
    return result;
  }

  function frequency(shards, word) {
    for (var i = 0; i < shards.length; i++) {
      if (Object.prototype.hasOwnProperty.call(shards[i], word)) return shards[i][word];
    }
    return 0;
  }

  // Score every entry: per query word, its stems' BM25F field scores times the field's
  // weight, the stem's and the word's weight. In a big index a word in most entries
  // (df > meta.common_df) only adds to entries that match a rarer word.
  // Returns [[entry, score], ...] for the entries that match.
  // twin: kbgen/search/postings.py top_entries() (the terms from query.py QueryReader.plan())
  function score(meta, perWord) {
    var scores = new Float64Array(meta.entries);
    var matched = new Uint8Array(meta.entries);
    var touched = [];
    function add(alts, onlyMatched) {
      alts.forEach(function (alt) {
        meta.fields.forEach(function (name, f) {
          var flat = alt[2][2 + f];
          var boost = meta.weights[f] * alt[1] / meta.scale;
          var entry = 0;
          for (var i = 0; i < flat.length; i += 2) {
            entry += flat[i];
            if (!matched[entry]) {
              if (onlyMatched) continue;
              matched[entry] = 1;
              touched.push(entry);
            }
            scores[entry] += flat[i + 1] * boost;
          }
        });
      });
    }
    var rare = [];
    var common = [];
    perWord.forEach(function (alts) {
      var df = Math.max.apply(null, alts.map(function (alt) { return alt[2][0]; }));
      (meta.common_df !== null && df > meta.common_df ? common : rare).push(alts);
    });
    var ordered = rare.length ? rare.concat(common) : common;
    ordered.forEach(function (alts, w) { add(alts, rare.length > 0 && w >= rare.length); });
    return touched.map(function (entry) { return [entry, scores[entry]]; });
  }

  // The best `limit` articles as [score, shown entry]: an article is ranked by its best
  // entry among the top candidates; an FAQ page whose best matching question scores at
  // least question_share of that links to the question.
  // twin: kbgen/search/hits.py best_per_article() (the cut to `candidates`: engine.py
  // SearchIndex._lexical())
  function collapse(meta, scores, limit, keep) {
    return perArticle(meta, candidates(meta, scores, limit, keep), limit);
  }

  // The top candidates ([entry, score], best first) that pass the match floor (`keep`).
  function candidates(meta, scores, limit, keep) {
    var ranked = scores.sort(function (x, y) {
      return y[1] - x[1] || x[0] - y[0];
    }).slice(0, Math.max(meta.candidates, limit * 4));
    return keep ? keep(ranked) : ranked;
  }

  function perArticle(meta, ranked, limit) {
    var best = new Map();
    ranked.forEach(function (pair) {
      var article = meta.owner[pair[0]];
      var slot = best.get(article);
      if (!slot) best.set(article, slot = [pair[1], pair[0], null]);
      if (slot[2] === null && meta.question[pair[0]]) slot[2] = pair;
    });
    return Array.from(best.values()).slice(0, limit).map(function (slot) {
      var question = slot[2];
      var shown = question && question[1] >= meta.question_share * slot[0] ? question[0] : slot[1];
      return [slot[0], shown];
    });
  }

  // The match floor: a function that keeps the candidates
  // ([entry, score]) holding a topic word, or none if no candidate holds all the topic
  // words or a topic word in its title. `topic` = {groups: [[stem, ...] per topic word],
  // stems: Set of all topic stems}; `postings` maps a stem to its postings.
  // twin: kbgen/search/query.py QueryReader.match_floor() (and _holds())
  function matchFloor(meta, topic, postings) {
    var title = meta.fields.indexOf("title");
    var inField = new Map();  // "f:stem" -> Set of entries
    function entries(stemText, f) {
      var key = f + ":" + stemText;
      if (!inField.has(key)) {
        var set = new Set();
        var fields = f < 0 ? meta.fields.map(function (_, i) { return i; }) : [f];
        var found = postings.get(stemText);
        fields.forEach(function (g) {
          var flat = found ? found[2 + g] : [];
          for (var i = 0, entry = 0; i < flat.length; i += 2) set.add(entry += flat[i]);
        });
        inField.set(key, set);
      }
      return inField.get(key);
    }
    function holds(entry, stems, f) {
      return stems.some(function (s) { return entries(s, f).has(entry); });
    }
    var all = Array.from(topic.stems);
    return function (ranked) {
      var kept = ranked.filter(function (pair) { return holds(pair[0], all, -1); });
      var answered = kept.some(function (pair) {
        return (title >= 0 && holds(pair[0], all, title)) ||
          topic.groups.every(function (group) { return holds(pair[0], group, -1); });
      });
      return answered ? kept : [];
    };
  }

  // A search on one build's files; if it fails because that build is gone (a deploy since
  // this page read entry.json), once more on the build entry.json names now. `signal`
  // (optional, an AbortSignal): once aborted (a newer query), the search stops at its next
  // step and rejects with an AbortError, fetching no more.
  function search(index, query, limit, signal) {
    return searchBuild(index, query, limit, signal).catch(function (error) {
      if (error && error.name === "AbortError") throw error;
      return index.renewed().then(function (renewed) {
        if (!renewed) throw error;
        return searchBuild(index, query, limit, signal);
      });
    });
  }

  function stopIfAborted(signal) {
    if (!signal || !signal.aborted) return;
    var error = new Error("search superseded");
    error.name = "AbortError";
    throw error;
  }

  // twin: kbgen/search/engine.py SearchIndex.search(), with query.py QueryReader.plan()
  // and QueryReader._topic() (the topic words for the match floor)
  function searchBuild(index, query, limit, signal) {
    limit = Math.max(0, Math.floor(Number(limit) || 10));
    return index.meta().then(function (meta) {
      var typed = weightedQueryWords(String(query || "").slice(0, 1000), meta).slice(0, 32);
      if (!typed.length || !limit) return [];
      var text = String(query || "").slice(0, 1000);
      // Meaning needs no lexical result: start it now, so both wait for the network at once.
      var meaning = vectorsFor(meta);
      var helpers = { fold: fold, stem: stem, maxEdits: maxEdits, corrections: corrections };
      var similar = meaning && words(text, meta.indexStop).length ?
        meaning.similarity(index, meta, String(query || ""), helpers) : null;
      if (similar) similar.catch(function () { /* reported where it is used */ });
      var joining = joinedLookup(index, meta, text);
      joining.catch(function () { /* reported where it is used */ });
      return Promise.all(typed.map(function (pair) {
        return alternatives(index, meta, pair[0]).then(function (alts) {
          return alts.map(function (alt) { return [alt[0], alt[1] * pair[1], alt[2]]; });
        });
      })).then(function (found) {
        var perWord = found.filter(function (alts) { return alts.length; });
        var stems = new Set();
        perWord.forEach(function (alts) { alts.forEach(function (alt) { stems.add(alt[0]); }); });
        // topic words: each as typed, or its corrections if the help center lacks it
        var groups = new Map();
        typed.forEach(function (pair, i) {
          if (pair[1] < 1) return;
          var own = found[i].some(function (alt) { return alt[0] === pair[0].stem; });
          groups.set(pair[0].text,
                     own ? [pair[0].stem] : found[i].map(function (alt) { return alt[0]; }));
        });
        return joining.then(function (lookup) { return joinedWords(meta, lookup, stems); })
          .then(function (joined) {
            perWord = perWord.concat(joined.alts);
            if (!meta.match_floor || !groups.size) return [perWord, null];
            joined.pairs.forEach(function (pair) {  // a joined word answers both its parts
              [pair[0], pair[1]].forEach(function (part) {
                if (groups.has(part)) groups.get(part).push(pair[2]);
              });
            });
            var topic = { groups: Array.from(groups.values()), stems: new Set() };
            topic.groups.forEach(function (group) {
              group.forEach(function (s) { topic.stems.add(s); });
            });
            var postings = new Map();
            perWord.forEach(function (alts) {
              alts.forEach(function (alt) { postings.set(alt[0], alt[2]); });
            });
            return [perWord, matchFloor(meta, topic, postings)];
          });
      }).then(function (planned) {
        stopIfAborted(signal);
        var perWord = planned[0];
        if (!perWord.length && !similar) return [];
        var ranked = perWord.length ? candidates(meta, score(meta, perWord), limit, planned[1])
          : [];  // no word the help center uses: only meaning can find it
        if (!meaning) return perArticle(meta, ranked, limit);
        return (similar || meaning.similarity(index, meta, String(query || ""), helpers))
          .then(function (found) {
            return perArticle(meta, meaning.mix(meta, ranked, found), limit);
          });
      }).then(function (hits) {
        stopIfAborted(signal);
        return Promise.all(hits.map(function (hit) {
          return index.row(meta, hit[1]).then(function (row) {
            return {
              id: row[0], title: row[1], url: row[2], category: row[3], snippet: row[4],
              anchor: row[5] || null, score: Math.round(hit[0] * 10000) / 10000
            };
          });
        }));
      });
    });
  }

  // Search by meaning on a static host (search-vectors.js), when the build shipped vectors.
  // twin: kbgen/search/engine.py SearchIndex.search() with the static vectors
  function vectorsFor(meta) {
    if (!meta.vectors) return null;
    if (typeof module === "object" && module.exports) return require("./search-vectors.js");
    return typeof window === "object" && window.KbgenVectors ? window.KbgenVectors : null;
  }

  // While the customer types: fetch meta.json and the shards of the words already finished
  // (a space or punctuation follows them; with their typo corrections' shards), so the
  // search after the typing pause has less to wait for. The word still being typed only gets the vector vocabulary files its letters
  // need (search-vectors.js start()): its postings shard can still change.
  function prefetch(index, text) {
    return index.meta().then(function (meta) {
      var meaning = vectorsFor(meta);
      var typed = String(text || "").slice(0, 1000);
      var finished = typed.replace(/[\p{L}\p{N}'\u2019`]*$/u, "");
      if (meaning) {
        meaning.start(index, meta, finished, typed.slice(finished.length), {
          fold: fold, stem: stem, maxEdits: maxEdits, corrections: corrections
        });
      }
      words(finished, meta.indexStop).slice(0, 32).forEach(function (word) {
        alternatives(index, meta, word).catch(function () { /* the search will retry */ });
      });
    }).catch(function () { /* the search will retry and say so */ });
  }


  var core = {
    fold: fold, words: words, stem: stem, editDistance: editDistance,
    corrections: corrections, shardOf: shardOf, Index: Index, search: search,
    prefetch: prefetch
  };

  if (typeof module === "object" && module.exports) {
    module.exports = core;
  } else {
    window.KbgenRanking = core;
  }
})();
