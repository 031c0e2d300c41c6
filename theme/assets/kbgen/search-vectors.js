/*
 * search-vectors.js: search by meaning on a static host. The browser's twin of
 * kbgen/search/static_vectors.py (StaticSemantic) and kbgen/search/semantic_mix.py
 * (with_meaning): tests/test_search_vectors.py checks that both rank alike.
 *
 * When the build had the semantic model installed, the static index (search/kb/) also holds
 * `s/` files: the model's WordPiece vocabulary (w-<letter>: pieces that start a word,
 * c-<letter>: pieces that continue one; a large letter split by the second letter), a 64-number vector per vocabulary token fitted to
 * the help center's own text (b-<n>: tokens n*bucket.. as int8 with a scale each) and one
 * per entry (e, binary: 4 bits a number). A query's vector is the mean of its WordPiece tokens' vectors; each lexical
 * candidate's score becomes weight x cosine + (1 - weight) x its score over the best one,
 * and the entries closest in meaning join the candidates. Only the files the query's words
 * need are fetched (named by content hash, like the postings); the entry vectors when the
 * first search starts. Without `meta.vectors` nothing here runs: search stays lexical.
 *
 *   window.KbgenVectors = {bertWords, wordPiece, vocabFile,
 *                          start(index, meta, finished, typing),
 *                          similarity(index, meta, query, helpers), mix(meta, ranked, similarity),
 *                          withMeaning(index, meta, query, ranked, helpers)}
 *
 * No DOM and no network of its own (the Index from search-ranking.js fetches); under Node it
 * is module.exports.
 */
(function () {
  "use strict";

  /* ---------------------------------------------------------------- WordPiece */

  // twin: kbgen/search/static_vectors.py _is_cjk()
  function isCjk(code) {
    return (code >= 0x4E00 && code <= 0x9FFF) || (code >= 0x3400 && code <= 0x4DBF) ||
      (code >= 0x20000 && code <= 0x2A6DF) || (code >= 0x2A700 && code <= 0x2B73F) ||
      (code >= 0x2B740 && code <= 0x2B81F) || (code >= 0x2B820 && code <= 0x2CEAF) ||
      (code >= 0xF900 && code <= 0xFAFF) || (code >= 0x2F800 && code <= 0x2FA1F);
  }

  // twin: kbgen/search/static_vectors.py _is_punctuation()
  function isPunctuation(ch) {
    var code = ch.codePointAt(0);
    if ((code >= 33 && code <= 47) || (code >= 58 && code <= 64) ||
        (code >= 91 && code <= 96) || (code >= 123 && code <= 126)) return true;
    return /^\p{P}$/u.test(ch);
  }

  var CONTROL = /^\p{C}$/u;
  var SPACE = /^[\t\n\r\p{Zs}\p{Zl}\p{Zp}]$/u;

  // BERT's uncased pre-tokenization: control characters dropped, CJK characters apart,
  // accents stripped, lower case, split at white space and at each punctuation character.
  // twin: kbgen/search/static_vectors.py bert_words()
  function bertWords(text) {
    var out = [];
    for (var ch of String(text)) {
      var code = ch.codePointAt(0);
      if (ch === "\t" || ch === "\n" || ch === "\r") out.push(" ");
      else if (code === 0 || code === 0xFFFD || CONTROL.test(ch)) continue;
      else if (isCjk(code)) out.push(" ", ch, " ");
      else if (SPACE.test(ch)) out.push(" ");
      else out.push(ch);
    }
    // lower case one character at a time, as the `tokenizers` library does (no final
    // sigma rule)
    var cleaned = Array.from(out.join("").normalize("NFD").replace(/\p{Mn}/gu, ""),
                             function (c) { return c.toLowerCase(); }).join("");
    var found = [];
    cleaned.split(" ").forEach(function (piece) {
      var current = "";
      for (var c of piece) {
        if (isPunctuation(c)) {
          if (current) found.push(current);
          current = "";
          found.push(c);
        } else {
          current += c;
        }
      }
      if (current) found.push(current);
    });
    return found;
  }

  function keyChar(ch) {
    return /^[a-z0-9A-Z]$/.test(ch) ? ch : "_";
  }

  // The file holding a vocabulary piece (kind "w" starts a word, "c" continues one):
  // "<kind>-<first character>", or "<kind>-<first two>" for a piece of two or more
  // characters when its first character's file is split (`split`: a Set).
  // twin: kbgen/search/static_vectors.py vocab_file()
  function vocabFile(kind, piece, split) {
    var chars = Array.from(String(piece));
    var first = kind + "-" + keyChar(chars[0] || "");
    return split.has(first) && chars.length >= 2 ? first + keyChar(chars[1]) : first;
  }

  // The WordPiece token ids of `text`: greedy longest match first, a word that cannot be
  // cut into known pieces is the unknown token. `initial(piece)` / `continuing(piece)`
  // give a piece's id or undefined.
  // twin: kbgen/search/static_vectors.py wordpiece()
  function wordPiece(text, initial, continuing, unknownId) {
    var ids = [];
    bertWords(text).forEach(function (word) {
      var chars = Array.from(word);
      if (chars.length > 100) {
        ids.push(unknownId);
        return;
      }
      var pieces = [];
      var start = 0;
      while (start < chars.length) {
        var end = chars.length;
        var found;
        while (start < end) {
          var piece = chars.slice(start, end).join("");
          found = start === 0 ? initial(piece) : continuing(piece);
          if (found !== undefined) break;
          end--;
        }
        if (found === undefined) {
          pieces = [unknownId];
          break;
        }
        pieces.push(found);
        start = end;
      }
      ids.push.apply(ids, pieces);
    });
    return ids;
  }

  /* ---------------------------------------------------------------- the files */

  function has(object, key) {
    return Object.prototype.hasOwnProperty.call(object, key);
  }

  function file(index, meta, key) {
    var hash = meta.hashes.s[key];
    if (!hash) return Promise.resolve(null);
    return index.file("s/" + key + "." + hash + ".json");
  }

  function decode(base64) {
    var binary = atob(base64);
    var bytes = new Int8Array(binary.length);
    for (var i = 0; i < binary.length; i++) bytes[i] = (binary.charCodeAt(i) << 24) >> 24;
    return bytes;
  }

  // The entries' vectors, once per build: {packed: the file's bytes (two numbers a byte,
  // + 8, low four bits first), norm: Float64Array (each row's length), count}. Nothing the
  // size of the file is decoded: similarities() reads the bytes through a table per query.
  // A binary file (fetched here, not through the Index: it is not JSON), named by its hash.
  function entryVectors(index, meta) {
    if (!meta.vectorEntries) {
      var name = index.root + "s/e." + meta.hashes.s.e + ".bin";
      var fetching = typeof fetch === "function" && !/^\//.test(index.root) ?
        fetch(name).then(function (response) {
          if (!response.ok) throw new Error(name + ": HTTP " + response.status);
          return response.arrayBuffer();
        }) : Promise.resolve(Uint8Array.from(require("fs").readFileSync(name)).buffer);  // Node
      meta.vectorEntries = fetching.then(function (buffer) {
        var dims = meta.vectors.dims;
        var packed = new Uint8Array(buffer);
        var count = Math.floor(packed.length * 2 / dims);
        var norm = new Float64Array(count);
        if (dims % 2 === 0) {  // whole bytes a row: a table of each byte's two squares
          var squares = new Float64Array(256);
          for (var b = 0; b < 256; b++) squares[b] = low(b) * low(b) + high(b) * high(b);
          for (var n = 0, at = 0; n < count; n++) {
            var sum = 0;
            for (var j = 0; j < dims / 2; j++, at++) sum += squares[packed[at]];
            norm[n] = Math.max(Math.sqrt(sum), 1e-12);
          }
        } else {
          for (n = 0; n < count; n++) {
            sum = 0;
            for (var d = 0; d < dims; d++) sum += Math.pow(number(packed, n * dims + d), 2);
            norm[n] = Math.max(Math.sqrt(sum), 1e-12);
          }
        }
        return { packed: packed, norm: norm, count: count };
      });
      meta.vectorEntries.catch(function () { meta.vectorEntries = null; });
    }
    return meta.vectorEntries;
  }

  function low(byte) { return (byte & 15) - 8; }
  function high(byte) { return (byte >> 4) - 8; }

  // The number at position `at` of the packed entry vectors.
  function number(packed, at) {
    return at % 2 ? high(packed[at >> 1]) : low(packed[at >> 1]);
  }

  function ignore() { /* a prefetch: the search will retry */ }

  // Start loading what every search by meaning needs (the entry vectors), the files of the
  // words typed so far (`finished`: the text up to the word still being typed; their typo
  // corrections, vocabulary and vector files, as meaningText() and similarities() will
  // read them) and the vocabulary files of the word still being typed (`typing`): whatever
  // letters follow, the word needs the files of those it has.
  function start(index, meta, finished, typing, helpers) {
    if (!meta || !meta.vectors) return;
    entryVectors(index, meta).catch(ignore);
    if (typing) vocabKeys(meta, typing).forEach(function (key) {
      file(index, meta, key).catch(ignore);
    });
    if (!finished || !helpers) return;
    meaningText(index, meta, finished, helpers).then(function (text) {
      return tokenIds(index, meta, text);
    }).then(function (ids) {
      return buckets(index, meta, ids);
    }).catch(ignore);
  }

  // The vector files of the query's words that the model reads as one whole token (the
  // typo correction leaves those alone), before the correction of the others is known.
  function knownBuckets(index, meta, text) {
    var split = splitOf(meta);
    bertWords(text).forEach(function (word) {
      file(index, meta, vocabFile("w", word, split)).then(function (shard) {
        if (shard && has(shard, word)) return buckets(index, meta, [shard[word]]);
      }).catch(ignore);
    });
  }

  // The vector files of token ids `ids`: a Map bucket -> file, int8 rows decoded.
  function buckets(index, meta, ids) {
    var size = meta.vectors.bucket;
    var numbers = Array.from(new Set(ids.map(function (id) { return Math.floor(id / size); })));
    return Promise.all(numbers.map(function (b) {
      return file(index, meta, "b-" + b);
    })).then(function (files) {
      var byBucket = new Map();
      numbers.forEach(function (b, i) {
        var f = files[i];
        if (!f.bytes) f.bytes = decode(f.v);
        byBucket.set(b, f);
      });
      return byBucket;
    });
  }

  function splitOf(meta) {
    if (!meta.vectors.splitSet) meta.vectors.splitSet = new Set(meta.vectors.split || []);
    return meta.vectors.splitSet;
  }

  // The vocabulary files the words of `text` need (for a piece starting at each character).
  function vocabKeys(meta, text) {
    var split = splitOf(meta);
    var keys = new Set();
    bertWords(text).forEach(function (word) {
      var chars = Array.from(word);
      chars.forEach(function (ch, i) {
        var kind = i === 0 ? "w" : "c";
        keys.add(vocabFile(kind, ch, split));
        if (i + 1 < chars.length) keys.add(vocabFile(kind, ch + chars[i + 1], split));
      });
    });
    return Array.from(keys);
  }

  // Loads the vocabulary files the words of `text` need; resolves to its token ids (kept
  // for the build: the typing prefetch asks again at every key).
  function tokenIds(index, meta, text) {
    if (!meta.tokenIds || meta.tokenIds.size > 500) meta.tokenIds = new Map();
    var found = meta.tokenIds.get(text);
    if (!found) {
      found = findTokenIds(index, meta, text);
      found.catch(function () { meta.tokenIds.delete(text); });
      meta.tokenIds.set(text, found);
    }
    return found;
  }

  function findTokenIds(index, meta, text) {
    var split = splitOf(meta);
    var list = vocabKeys(meta, text);
    return Promise.all(list.map(function (key) { return file(index, meta, key); }))
      .then(function (files) {
        var shards = new Map();
        list.forEach(function (key, i) { shards.set(key, files[i] || {}); });
        function lookup(kind) {
          return function (piece) {
            var shard = shards.get(vocabFile(kind, piece, split));
            return shard && has(shard, piece) ? shard[piece] : undefined;
          };
        }
        return wordPiece(text, lookup("w"), lookup("c"), meta.vectors.unknown_id);
      });
  }

  // Whether the model reads `word` (a-z0-9) as one whole token.
  function modelKnows(index, meta, word) {
    return file(index, meta, vocabFile("w", word, splitOf(meta))).then(function (shard) {
      return Boolean(shard) && has(shard, word);
    });
  }

  // The typo correction of a query word that neither the help center nor the model knows
  // (null: the word stays).
  function meaningFix(index, meta, word, helpers) {
    return Promise.all([index.postings(meta, helpers.stem(word)),
                        modelKnows(index, meta, word)]).then(function (known) {
      if (known[0] || known[1]) return null;
      var edits = helpers.maxEdits(word, meta);
      var letters = word.slice(0, edits + 1).split("");
      return Promise.all(letters.map(function (letter) {
        return index.vocabulary(meta, letter);
      })).then(function (shards) {
        var fixes = helpers.corrections(word, shards, meta);
        return fixes.length ? fixes[0][0] : null;
      });
    });
  }

  // The query as the meaning is read from it: each word that neither the help center nor
  // the model knows replaced by its closest typo correction ("pssword" -> "password").
  // twin: kbgen/search/query.py QueryReader.meaning_text()
  function meaningText(index, meta, query, helpers) {
    var text = helpers.fold(String(query || "").slice(0, 1000));
    var pattern = /[a-z0-9]+(?:'[a-z]+)*/g;
    var found = [];
    var match;
    while ((match = pattern.exec(text)) !== null) {
      var surface = match[0].replace(/'(?:s|d|ll|ve|re|m)$/, "").replace(/'/g, "");
      if (surface) found.push([surface, match.index, match.index + match[0].length]);
    }
    if (!meta.meaningFixes) meta.meaningFixes = new Map();
    return Promise.all(found.map(function (item) {
      var word = item[0];
      if (!meta.meaningFixes.has(word)) {
        var fixing = meaningFix(index, meta, word, helpers);
        fixing.catch(function () { meta.meaningFixes.delete(word); });
        meta.meaningFixes.set(word, fixing);
      }
      return meta.meaningFixes.get(word);
    })).then(function (fixes) {
      var parts = [];
      var last = 0;
      fixes.forEach(function (fix, i) {
        if (fix === null) return;
        parts.push(text.slice(last, found[i][1]), fix);
        last = found[i][2];
      });
      return parts.length ? parts.join("") + text.slice(last) : String(query || "");
    });
  }

  // Cosine of the query's vector (the mean of its tokens') and every entry's; null when
  // the query has no tokens.
  // twin: kbgen/search/static_vectors.py StaticSemantic.similarities()
  function similarities(index, meta, text) {
    var dims = meta.vectors.dims;
    var size = meta.vectors.bucket;
    return Promise.all([tokenIds(index, meta, text), entryVectors(index, meta)])
      .then(function (found) {
        var ids = found[0];
        var rows = found[1];
        if (!ids.length) return null;
        return buckets(index, meta, ids).then(function (byBucket) {
          var query = new Float64Array(dims);
          ids.forEach(function (id) {
            var f = byBucket.get(Math.floor(id / size));
            var row = id % size;
            var scale = f.s[row];
            for (var d = 0; d < dims; d++) query[d] += f.bytes[row * dims + d] * scale;
          });
          var norm = 0;
          for (var d = 0; d < dims; d++) {
            query[d] /= ids.length;
            norm += query[d] * query[d];
          }
          norm = Math.sqrt(norm);
          var result = new Float64Array(rows.count);
          if (!norm) return result;
          for (d = 0; d < dims; d++) query[d] /= norm;
          var packed = rows.packed;
          if (dims % 2) {
            for (var n = 0; n < rows.count; n++) {
              var dot = 0;
              for (d = 0; d < dims; d++) dot += number(packed, n * dims + d) * query[d];
              result[n] = dot / rows.norm[n];
            }
            return result;
          }
          // byte j of a row holds numbers 2j and 2j + 1: a table of what each of its 256
          // values adds to the dot product, then a row is dims / 2 look-ups
          var half = dims / 2;
          var table = new Float64Array(half * 256);
          for (var j = 0; j < half; j++) {
            for (var b = 0; b < 256; b++) {
              table[j * 256 + b] = low(b) * query[2 * j] + high(b) * query[2 * j + 1];
            }
          }
          var at = 0;
          for (n = 0; n < rows.count; n++) {
            dot = 0;
            for (j = 0; j < half; j++, at++) dot += table[j * 256 + packed[at]];
            result[n] = dot / rows.norm[n];
          }
          return result;
        });
      });
  }

  // The query's closeness in meaning to every entry (Float64Array; null: no tokens), read
  // from the query's typo-corrected text. Needs no lexical result: the search starts it
  // with the lexical one, so both wait for the network at once.
  // `helpers`: search-ranking.js's fold, stem, maxEdits and corrections.
  function similarity(index, meta, query, helpers) {
    knownBuckets(index, meta, helpers.fold(String(query || "").slice(0, 1000)));
    return meaningText(index, meta, query, helpers).then(function (text) {
      return similarities(index, meta, text);
    });
  }

  // The `depth` entries closest in meaning, closest first (ties: lower entry first), as
  // sorting them all would give.
  function closest(similarity, depth) {
    var best = [];
    for (var n = 0; n < similarity.length; n++) {
      var value = similarity[n];
      if (best.length === depth && value <= similarity[best[depth - 1]]) continue;
      var at = best.length < depth ? best.length : depth - 1;
      while (at > 0 && similarity[best[at - 1]] < value) {
        best[at] = best[at - 1];
        at--;
      }
      best[at] = n;
    }
    return best;
  }

  // The lexical candidates ([entry, score], best first, after the match floor) mixed with
  // the query's closeness in meaning (`similarity`, from similarity()), best first; the
  // closest entries the words missed join them.
  // twin: kbgen/search/semantic_mix.py with_meaning()
  function mix(meta, ranked, similarity) {
    var settings = meta.vectors;
    var count = meta.entries;
    if (!similarity) similarity = new Float64Array(count);
    var weight = settings.weight;
    var best = ranked.length && ranked[0][1] > 0 ? ranked[0][1] : 1;
    var scores = new Map();
    ranked.forEach(function (pair) {
      scores.set(pair[0], (1 - weight) * pair[1] / best + weight * similarity[pair[0]]);
    });
    var depth = Math.min(settings.candidates, count);
    if (depth > 0) {
      closest(similarity, depth).forEach(function (n) {
        if (similarity[n] < settings.floor || scores.has(n)) return;
        scores.set(n, weight * similarity[n]);
      });
    }
    return Array.from(scores.entries()).sort(function (x, y) {
      return y[1] - x[1] || x[0] - y[0];
    });
  }

  // similarity() and mix() in one.
  function withMeaning(index, meta, query, ranked, helpers) {
    return similarity(index, meta, query, helpers).then(function (found) {
      return mix(meta, ranked, found);
    });
  }

  var core = {
    bertWords: bertWords, wordPiece: wordPiece, vocabFile: vocabFile, start: start,
    similarity: similarity, mix: mix, withMeaning: withMeaning, meaningText: meaningText
  };

  if (typeof module === "object" && module.exports) {
    module.exports = core;
  } else {
    window.KbgenVectors = core;
  }
})();
