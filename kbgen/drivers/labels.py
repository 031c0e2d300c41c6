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
    from scipy.sparse import csr_matrix
    from sklearn.feature_extraction.text import CountVectorizer

    texts = [t for group in documents for t in group]
    if not documents:
        return []
    try:
        counter = CountVectorizer(ngram_range=(1, 2), stop_words="english", lowercase=True,
                                  token_pattern=r"(?u)\b[^\W\d_][\w'-]*\b")
        counts = counter.fit_transform(texts)  # text by text: no phrase spans two texts
    except ValueError:  # nothing but stop words
        return [_fallback(group) for group in documents]
    owner = np.repeat(np.arange(len(documents)), [len(group) for group in documents])
    topic_of = csr_matrix((np.ones(len(texts)), (owner, np.arange(len(texts)))),
                          shape=(len(documents), len(texts)))
    terms = counter.get_feature_names_out()
    tf = (topic_of @ counts).tocsr().astype(np.float64)  # sparse: topics × terms stay small
    average = tf.sum() / max(len(documents), 1)
    idf = np.log(1.0 + average / np.maximum(np.asarray(tf.sum(axis=0)).ravel(), 1.0))
    weights = tf.multiply(idf).tocsr()
    labels = []
    for n in range(weights.shape[0]):
        start, end = weights.indptr[n], weights.indptr[n + 1]
        columns, values = weights.indices[start:end], weights.data[start:end]
        order = np.lexsort((columns, -values))  # best first, ties by term order
        labels.append(_pick([str(terms[columns[i]]) for i in order if values[i] > 0])
                      or _fallback(documents[n]))
    return labels


def _pick(ranked: list[str]) -> str:
    picked: list[str] = []
    for term in ranked:
        if len(picked) == LABEL_TERMS:
            break
        words = term.split()
        if any(_NOISE.match(w) for w in words):
            continue
        inside = [p for p in picked if p in words]
        if inside:  # "delete account" replaces "account": the phrase says more
            picked[picked.index(inside[0])] = term
            picked = [p for p in picked if p not in inside[1:]]
        elif not any(set(words) & set(p.split()) for p in picked):  # no repeated word
            picked.append(term)
    return ", ".join(picked)


def _fallback(texts: list[str]) -> str:
    first = " ".join((texts[0] if texts else "").split())
    return first[:60] or "(no words)"
