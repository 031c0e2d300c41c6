"""Topic labels in the customers' own words: class-based TF-IDF (BERTopic's c-TF-IDF).

All texts of a topic form one document; a term's weight is its frequency in the topic times
log(1 + average words per topic / the term's frequency over all topics), so words common to
every topic ("help", "how") sink and the words that set this topic apart rise. The label is
the best few terms (single words or two-word phrases), as the customers spelled them.
Labels are plain text built from customers' words: every renderer escapes them.
"""

from __future__ import annotations

import re

import numpy as np

LABEL_TERMS = 3
_NOISE = re.compile(r"^(re|fwd|fw|help|question|urgent|hi|hello|please|thanks)$", re.I)


def label_topics(documents: list[list[str]]) -> list[str]:
    """One label per topic, each topic given as its texts."""
    from sklearn.feature_extraction.text import CountVectorizer

    joined = [" ".join(texts) for texts in documents]
    if not joined:
        return []
    try:
        counter = CountVectorizer(ngram_range=(1, 2), stop_words="english", lowercase=True,
                                  token_pattern=r"(?u)\b[^\W\d_][\w'-]*\b")
        counts = counter.fit_transform(joined)
    except ValueError:  # nothing but stop words
        return [_fallback(texts) for texts in documents]
    terms = counter.get_feature_names_out()
    tf = counts.toarray().astype(np.float64)
    average = tf.sum() / max(len(joined), 1)
    idf = np.log(1.0 + average / np.maximum(tf.sum(axis=0), 1.0))
    weights = tf * idf
    labels = []
    for n, row in enumerate(weights):
        picked: list[str] = []
        for index in np.argsort(-row, kind="stable"):
            if row[index] <= 0 or len(picked) == LABEL_TERMS:
                break
            term = str(terms[index])
            if any(_NOISE.match(w) for w in term.split()) or any(
                    term in p or set(term.split()) == set(p.split()) for p in picked):
                continue
            inside = [p for p in picked if p in term.split()]
            if inside:  # "delete account" replaces "account": the phrase says more
                picked[picked.index(inside[0])] = term
                picked = [p for p in picked if p not in inside[1:]]
            else:
                picked.append(term)
        labels.append(", ".join(picked) if picked else _fallback(documents[n]))
    return labels


def _fallback(texts: list[str]) -> str:
    first = " ".join((texts[0] if texts else "").split())
    return first[:60] or "(no words)"
