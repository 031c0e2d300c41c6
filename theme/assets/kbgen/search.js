/*
 * search.js: the help center's search, run in the browser from a static index, or asked of
 * the help API when the site has one.
 *
 * It ranks like `kbgen search`: the same words, stop words and question-framing weights,
 * Porter stems, typo correction (rare-word rule included), BM25F scores of the combined field
 * and the title (computed at build time by kbgen/search/browser_index.py), common words that
 * only add to entries matching a rarer word, joined words ("back up" -> backup), the match
 * floor (no results for fuzzy junk), and FAQ questions shown for their page. Nothing
 * is downloaded until the customer starts to search; then only search/kb/entry.json (the one
 * fixed name, revalidated once per page load), the meta file it names and the shards the
 * typed words need. Those are named by their content hash (listed in meta), so one search
 * reads one build's files only, whatever a deploy does meanwhile; if a build's files are
 * gone from the host, the search reads entry.json again and runs once more on the new build.
 *
 *   window.KbgenSearch.search(query, limit) -> Promise<[{id, title, url, category, snippet,
 *                                               anchor, score}]>     (url is site-relative)
 *
 * With a help API (`api_url`), results come from GET <api_url>/api/search?q=&limit=&record=0
 * (the same engine as `kbgen search`, with the optional semantic re-ranker); the API stores
 * nothing for those requests (record=0). If it fails or takes over 1.5 s, the static index
 * answers for the rest of the page's life.
 *
 * WHAT LEAVES THE BROWSER: without a help API, nothing by this script; with one, the words
 * typed, to /api/search, as above (not stored). It hands two events to kbgen.js
 * (window.kbgen.track), which sends them only when a help API is configured and the browser
 * does not ask for privacy:
 *   search        query (the words typed), results (how many were shown), source "site"
 *   search_click  query, article (id of the result opened), rank (1 = first)
 *
 * The UI: a search button in the header (also "/" or "s") that opens a dialog with a
 * combobox; the home page's search box suggests as the customer types; the search page
 * (search/?q=) lists results. Everything re-initialises after instant navigation (document$).
 */
(function () {
  "use strict";

  /* ---------------------------------------------------------------- analysis */
  // Mirrors kbgen/search/analysis.py: fold, words, query_words, weighted_query_words.

  var WORD = /[a-z0-9]+(?:'[a-z]+)*/g;
  var CONTRACTION = /'(?:s|d|ll|ve|re|m)$/;

  function fold(text) {
    return String(text).toLowerCase().normalize("NFKD").replace(/\p{M}/gu, "")
      .replace(/[\u2019`]/g, "'");
  }

  // [{text, stem}] of the non-stop words of `text`.
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
  // Mirrors kbgen/search/porter.py (Porter 1980), rule for rule.

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

  function stem(word) {
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
  // Mirrors kbgen/search/fuzzy.py: candidates share a one-letter deletion with the word
  // (a long word: or one of its two-letter deletions), then the true (optimal string
  // alignment) distance decides; closest, then most common.
  // A three-letter word is only corrected by a letter put back after its first ("mil").

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

  function deletions(word) {
    var keys = new Set([word]);
    for (var i = 0; i < word.length; i++) keys.add(word.slice(0, i) + word.slice(i + 1));
    return keys;
  }

  function maxEdits(word, meta) {
    if (word.length < meta.min_length) return 0;
    return word.length >= meta.long_word ? 2 : 1;
  }

  // Up to 3 [word, distance] from the vocabulary shards (word -> entries holding it).
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

  // The term shard of a stem: its longest prefix that the index lists ("_" = empty prefix).
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
          return meta;
        });
      });
      build.catch(function () { if (self.build === build) self.build = null; });
      this.build = build;
    }
    return this.build;
  };

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
  // Mirrors SearchIndex._alternatives, _query and search in kbgen/search/engine.py.

  // The stems to search for one query word: [[stem, weight, postings], ...]. A word the
  // help center never uses is replaced by its typo fixes; a word it uses in at most
  // rare_word_df entries also searches for fixes rare_word_ratio times commoner.
  function alternatives(index, meta, word) {
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
  // "backup"); mirrors fuzzy.joined_pairs and the engine's _joined. Resolves to {alts:
  // [[[stem, weight, postings]], ...] for the stems not in `stems` (the query's stems,
  // updated), pairs: [[left, right, stem], ...] for every join}.
  function joinedWords(index, meta, query, stems) {
    if (!meta.join_words) return Promise.resolve({ alts: [], pairs: [] });
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
      var result = { alts: [], pairs: [] };
      lists.forEach(function (postings, i) {
        if (!postings) return;
        var s = stem(pairs[i][0] + pairs[i][1]);
        result.pairs.push([pairs[i][0], pairs[i][1], s]);
        if (stems.has(s)) return;
        stems.add(s);
        result.alts.push([[s, meta.join_words, postings]]);
      });
      return result;
    });
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
  function score(meta, perWord) {
    var scores = new Float64Array(meta.entries);
    var matched = new Uint8Array(meta.entries);
    var lastWord = new Uint8Array(meta.entries);  // the last word (1-based) that matched
    var covered = new Uint8Array(meta.entries);   // how many query words match
    var touched = [];
    function add(alts, word, onlyMatched) {
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
            if (lastWord[entry] !== word) {
              lastWord[entry] = word;
              covered[entry]++;
            }
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
    ordered.forEach(function (alts, w) { add(alts, w + 1, rare.length > 0 && w >= rare.length); });
    return touched.map(function (entry) {
      var value = scores[entry];
      if (meta.coverage) value *= Math.pow(covered[entry] / perWord.length, meta.coverage);
      return [entry, value];
    });
  }

  // The best `limit` articles as [score, shown entry]: an article is ranked by its best
  // entry among the top candidates; an FAQ page whose best matching question scores at
  // least question_share of that links to the question.
  function collapse(meta, scores, limit, keep) {
    var ranked = scores.sort(function (x, y) {
      return y[1] - x[1] || x[0] - y[0];
    }).slice(0, Math.max(meta.candidates, limit * 4));
    if (keep) ranked = keep(ranked);
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

  // The match floor (SearchIndex._match_floor): a function that keeps the candidates
  // ([entry, score]) holding a topic word, or none if no candidate holds all the topic
  // words or a topic word in its title. `topic` = {groups: [[stem, ...] per topic word],
  // stems: Set of all topic stems}; `postings` maps a stem to its postings.
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
  // this page read entry.json), once more on the build entry.json names now.
  function search(index, query, limit) {
    return searchBuild(index, query, limit).catch(function (error) {
      return index.renewed().then(function (renewed) {
        if (!renewed) throw error;
        return searchBuild(index, query, limit);
      });
    });
  }

  function searchBuild(index, query, limit) {
    limit = Math.max(0, Math.floor(Number(limit) || 10));
    return index.meta().then(function (meta) {
      var typed = weightedQueryWords(String(query || "").slice(0, 1000), meta).slice(0, 32);
      if (!typed.length || !limit) return [];
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
        return joinedWords(index, meta, String(query || "").slice(0, 1000), stems)
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
        var perWord = planned[0];
        if (!perWord.length) return [];
        var hits = collapse(meta, score(meta, perWord), limit, planned[1]);
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

  // While the customer types: fetch meta.json and the shards of the words already finished
  // (a space or punctuation follows them), so the search after the typing pause has less to
  // wait for. The word still being typed is left alone: its shard can still change.
  function prefetch(index, text) {
    return index.meta().then(function (meta) {
      var finished = String(text || "").slice(0, 1000).replace(/[\p{L}\p{N}'\u2019`]*$/u, "");
      words(finished, meta.indexStop).slice(0, 32).forEach(function (word) {
        index.postings(meta, word.stem).catch(function () { /* the search will retry */ });
      });
    }).catch(function () { /* the search will retry and say so */ });
  }

  // The stems a result should highlight: the query's stems and their typo fixes.
  function queryStems(query) {
    var stops = new Set(["a", "an", "and", "the", "to", "of", "in", "on", "for", "is", "i"]);
    return new Set(words(query, stops).map(function (w) { return w.stem; }));
  }

  var core = {
    fold: fold, words: words, stem: stem, editDistance: editDistance,
    corrections: corrections, shardOf: shardOf, Index: Index, search: search,
    prefetch: prefetch, queryStems: queryStems
  };

  if (typeof module === "object" && module.exports) {
    module.exports = core; // node: kbgen's tests compare this ranking with the engine's
    return;
  }

  /* ================================================================ in the page */

  var DELAY_MS = 40;                 // wait for a pause this short before searching
  var SEARCH_EVENT_DELAY_MS = 1200;  // record a search once the customer stops typing
  var HIGHLIGHT_KEY = "kbgen.highlight";
  var LIMIT = 10;

  // The site root, from this script's own URL (assets/kbgen/search.js): right on any host,
  // under any path, and after instant navigation (the script is loaded once).
  var script = document.currentScript ||
    document.querySelector('script[src*="assets/kbgen/search.js"]');
  var ROOT = new URL("../../", script ? script.src : location.href);
  var index = new Index(new URL("search/kb/", ROOT).href, fetchJson);

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
  // (the static index below is lexical). `record=0`: this page records its own `search`
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
      limit = limit === undefined ? LIMIT : limit;
      if (!apiSearch || !limit) return search(index, query, limit);
      return viaApi(query, limit).catch(function () {
        apiSearch = ""; // unreachable or failing: the static index from now on
        return search(index, query, limit);
      });
    },
    prefetch: function (text) {
      if (!apiSearch) prefetch(index, text);
    }
  };

  // (KbgenSearch may be replaced by a stand-in without prefetch.)
  function prefetchTyped(text) {
    var api = window.KbgenSearch;
    if (api && typeof api.prefetch === "function") api.prefetch(text);
  }

  function track(event) {
    if (window.kbgen && typeof window.kbgen.track === "function") window.kbgen.track(event);
  }

  function href(result) {
    return new URL(String(result.url || ""), ROOT).href;
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
  }

  Session.prototype.run = function (query, limit, show) {
    var self = this;
    var seq = ++this.seq;
    query = query.trim();
    clearTimeout(this.timer);
    if (!query) {
      this.query = "";
      show([], "", null);
      return;
    }
    window.KbgenSearch.search(query, limit).then(function (results) {
      if (seq !== self.seq) return; // the customer has typed more since
      self.query = query;
      self.shown = results.length;
      show(results, query, null);
      self.timer = setTimeout(function () { self.record(); }, SEARCH_EVENT_DELAY_MS);
    }, function (error) {
      if (seq === self.seq) show([], query, error);
    });
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

  function countText(n, query) {
    if (!n) return "No articles match \u201c" + query + "\u201d. Try other words.";
    return n === 1 ? "1 article found" : n + " articles found";
  }

  var FAILED = "Search is not available right now. Please try again.";

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
    this.list = document.createElement("ul");
    this.list.id = id;
    this.list.className = "kb-suggest";
    this.list.setAttribute("role", "listbox");
    this.list.setAttribute("aria-label", "Search results");
    this.list.hidden = true;
    this.status = document.createElement("p");
    this.status.className = "kb-visually-hidden";
    this.status.setAttribute("role", "status");
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", id);
    input.insertAdjacentElement("afterend", this.list);
    this.list.insertAdjacentElement("afterend", this.status);
    var self = this;
    var timer = null;
    input.addEventListener("focus", function () { prefetchTyped(""); });
    input.addEventListener("input", function () {
      clearTimeout(timer);
      prefetchTyped(input.value);
      timer = setTimeout(function () { self.update(); }, DELAY_MS);
    });
    input.addEventListener("keydown", function (event) { self.key(event); });
    input.addEventListener("blur", function () { self.session.record(); });
    this.list.addEventListener("mousedown", function (event) {
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
    results.forEach(function (result, i) {
      var option = document.createElement("li");
      option.id = self.list.id + "-" + i;
      option.setAttribute("role", "option");
      option.setAttribute("aria-selected", "false");
      var link = resultLink(result, stems, i + 1, self.session);
      link.tabIndex = -1;
      option.appendChild(link);
      self.list.appendChild(option);
    });
    var open = query !== "";
    if (open && !results.length) {
      var empty = document.createElement("li");
      empty.className = "kb-suggest__empty";
      empty.textContent = error ? FAILED : countText(0, query);
      this.list.appendChild(empty);
    }
    this.list.hidden = !open;
    this.input.setAttribute("aria-expanded", String(open && results.length > 0));
    this.status.textContent = !open ? "" : error ? FAILED : countText(results.length, query);
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
      if (this.list.hidden) this.update();
      else this.move(event.key === "ArrowDown" ? 1 : -1);
    } else if (event.key === "Enter" && this.active >= 0) {
      event.preventDefault();
      this.options()[this.active].querySelector("a").click();
    } else if (event.key === "Enter") {
      this.session.record();
    } else if (event.key === "Escape") {
      if (!this.list.hidden) {
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
    this.active = -1;
    this.input.setAttribute("aria-expanded", "false");
    this.input.removeAttribute("aria-activedescendant");
  };

  /* ---------------------------------------------------------------- header search */
  // mkdocs-material's own search (lunr) downloads its whole index on every first page
  // view; kbgen's replaces it: a header button and "/" or "s" open a search dialog.

  var ICON = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24" aria-hidden="true">' +
    '<path d="M9.5 3A6.5 6.5 0 0 1 16 9.5c0 1.61-.59 3.09-1.56 4.23l.27.27h.79l5 5-1.5 ' +
    '1.5-5-5v-.79l-.27-.27A6.52 6.52 0 0 1 9.5 16 6.5 6.5 0 0 1 3 9.5 6.5 6.5 0 0 1 9.5 3m0 ' +
    '2C7 5 5 7 5 9.5S7 14 9.5 14 14 12 14 9.5 12 5 9.5 5"/></svg>';

  var dialog = null;

  function headerSearch() {
    var header = document.querySelector(".md-header__inner");
    if (!header || header.querySelector(".kb-hsearch-button")) return;
    var button = document.createElement("button");
    button.type = "button";
    button.className = "md-header__button md-icon kb-hsearch-button";
    button.setAttribute("aria-label", "Search");
    button.setAttribute("aria-keyshortcuts", "/ s");
    button.title = "Search (press / or s)";
    button.innerHTML = ICON; // a constant: no data goes through innerHTML
    button.addEventListener("click", openDialog);
    var before = header.querySelector(".md-header__source");
    header.insertBefore(button, before);
  }

  function makeDialog() {
    var box = document.createElement("dialog");
    box.className = "kb-hsearch";
    box.setAttribute("aria-label", "Search the help center");
    var form = document.createElement("form");
    form.setAttribute("role", "search");
    form.action = new URL("search/", ROOT).href;
    form.method = "get";
    var label = document.createElement("label");
    label.htmlFor = "kb-hsearch-q";
    label.className = "kb-visually-hidden";
    label.textContent = "Search the help center";
    var input = document.createElement("input");
    input.id = "kb-hsearch-q";
    input.name = "q";
    input.type = "search";
    input.autocomplete = "off";
    input.maxLength = 200;
    input.placeholder = "Search the help center";
    form.appendChild(label);
    form.appendChild(input);
    box.appendChild(form);
    document.body.appendChild(box);
    new Combobox(input, "site", function () { box.close(); });
    box.addEventListener("click", function (event) {
      if (event.target === box) box.close(); // a click on the backdrop
    });
    return box;
  }

  function openDialog() {
    if (!dialog || !dialog.isConnected) dialog = makeDialog();
    if (!dialog.open) dialog.showModal();
    var input = dialog.querySelector("input");
    input.focus();
    input.select();
  }

  document.addEventListener("keydown", function (event) {
    if ((event.key !== "/" && event.key !== "s") || event.ctrlKey || event.metaKey ||
        event.altKey || event.defaultPrevented) return;
    var target = event.target;
    if (target && (target.isContentEditable || /^(input|textarea|select)$/i.test(target.tagName))) {
      return;
    }
    event.preventDefault();
    openDialog();
  });

  /* ---------------------------------------------------------------- the search page */

  function searchPage(page) {
    var input = page.querySelector("input[name=q]");
    var list = page.querySelector("[data-kb-results]");
    var status = page.querySelector("[data-kb-search-status]");
    var form = page.querySelector("form");
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
      if (status) status.textContent = !query ? "" : error ? FAILED : countText(results.length, query);
    }
    function run() {
      var url = new URL(location.href);
      url.searchParams.set("q", input.value);
      history.replaceState(history.state, "", url.href);
      session.run(input.value, 50, show);
    }
    var timer = null;
    input.addEventListener("focus", function () { prefetchTyped(""); });
    input.addEventListener("input", function () {
      clearTimeout(timer);
      prefetchTyped(input.value);
      timer = setTimeout(run, DELAY_MS);
    });
    if (form) {
      form.addEventListener("submit", function (event) {
        event.preventDefault();
        run();
        session.record();
      });
    }
    input.value = new URLSearchParams(location.search).get("q") || "";
    if (input.value) session.run(input.value, 50, show);
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
    ".kb-visually-hidden{position:absolute!important;width:1px;height:1px;overflow:hidden;",
    "clip:rect(0 0 0 0);white-space:nowrap}",
    ".kb-searchbox__row,.kb-hsearch form{position:relative}",
    ".kb-suggest{position:absolute;z-index:10;top:100%;left:0;right:0;margin:.2em 0 0;",
    "padding:0;list-style:none;max-height:70vh;overflow:auto;border-radius:.3rem;",
    "background:var(--md-default-bg-color);box-shadow:var(--md-shadow-z2)}",
    ".kb-suggest li{margin:0!important}",
    ".kb-suggest [aria-selected=true] .kb-hit{background:var(--md-accent-fg-color--transparent)}",
    ".kb-suggest__empty{padding:.6em .8em}",
    ".kb-hit{display:block;padding:.5em .8em;color:var(--md-default-fg-color)!important}",
    ".kb-hit:hover{background:var(--md-accent-fg-color--transparent)}",
    ".kb-hit__title{display:block;font-weight:700;color:var(--md-typeset-a-color)}",
    ".kb-hit__category{display:block;font-size:.75em;color:var(--md-default-fg-color--light)}",
    ".kb-hit__snippet{display:block;font-size:.85em}",
    ".kb-hit mark{background:var(--md-typeset-mark-color);color:inherit}",
    ".kb-results{list-style:none;padding:0}.kb-results li{margin-left:0!important}",
    ".kb-hsearch{width:min(40rem,94vw);margin:8vh auto auto;padding:.8rem;border:0;",
    "border-radius:.3rem;background:var(--md-default-bg-color);color:var(--md-default-fg-color)}",
    ".kb-hsearch::backdrop{background:rgba(0,0,0,.45)}",
    ".kb-hsearch input{width:100%;font:inherit;font-size:1rem;padding:.5em .8em;",
    "border:1px solid var(--md-default-fg-color--light);border-radius:.3rem;",
    "background:var(--md-default-bg-color);color:var(--md-default-fg-color)}",
    ".kb-hsearch .kb-suggest{position:static;box-shadow:none}"
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
