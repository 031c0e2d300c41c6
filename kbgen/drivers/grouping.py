"""Contacts to articles first, then the rest into clusters (BERTopic's embed → cluster).

`article_scores` compares every contact text with every article's texts (the writer's and
the click queries) and keeps each article's best match. `assign` gives a contact to an
article that clearly answers it, or — with a lower bar — to an article its session read.
`cluster` groups what no article answers with scikit-learn's agglomerative clustering
(average linkage, cosine distance threshold: no number of topics to guess); above
`DIRECT_LIMIT` contacts, MiniBatchKMeans first condenses them into micro-clusters so memory
stays linear.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

DIRECT_LIMIT = 3000
MICRO_CLUSTERS = 1500


@dataclass(frozen=True)
class Bars:
    """How close is close enough, per method (cosine similarities of unit vectors)."""

    answers: float  # a contact this close to an article's texts is about that article
    read: float  # lower bar for an article the contact's session opened or voted on
    together: float  # cosine distance under which contacts form one topic (average linkage)


# Sentence embeddings put paraphrases at 0.6-0.9 and unrelated questions below 0.4;
# TF-IDF/LSA similarities of paraphrases are lower and flatter.
BARS = {
    "semantic": Bars(answers=0.8, read=0.5, together=0.45),
    "lexical": Bars(answers=0.75, read=0.4, together=0.65),
}


def article_scores(text_vectors: np.ndarray, profile_vectors: np.ndarray,
                   owners: np.ndarray, n_articles: int) -> np.ndarray:
    """(texts × articles): each text's best cosine similarity among each article's texts.
    `owners[j]` is the article of profile row j; rows are grouped by article."""
    out = np.full((len(text_vectors), n_articles), -1.0, dtype=np.float32)
    if not len(text_vectors) or not len(profile_vectors):
        return out
    starts = np.flatnonzero(np.r_[True, owners[1:] != owners[:-1]])
    for lo in range(0, len(text_vectors), 2048):  # bounded memory for large windows
        sims = text_vectors[lo:lo + 2048] @ profile_vectors.T
        out[lo:lo + 2048, owners[starts]] = np.maximum.reduceat(sims, starts, axis=1)
    return out


def assign(scores: np.ndarray, read: list[set[int]], bars: Bars) -> list[int | None]:
    """Per contact (rows of `scores`): the article that answers it, or None."""
    chosen: list[int | None] = []
    for row, opened in zip(scores, read, strict=True):
        best = int(np.argmax(row)) if row.size else -1
        if best >= 0 and row[best] >= bars.answers:
            chosen.append(best)
            continue
        candidates = [(row[a], a) for a in opened if row[a] >= bars.read]
        chosen.append(max(candidates)[1] if candidates else None)
    return chosen


def cluster(vectors: np.ndarray, bars: Bars) -> np.ndarray:
    """A cluster number per row (0..k-1)."""
    n = len(vectors)
    if n == 0:
        return np.zeros(0, dtype=int)
    if n == 1:
        return np.zeros(1, dtype=int)
    if n <= DIRECT_LIMIT:
        return _agglomerate(vectors, bars)
    from sklearn.cluster import MiniBatchKMeans

    micro = MiniBatchKMeans(n_clusters=MICRO_CLUSTERS, random_state=0, n_init=1,
                            batch_size=4096).fit(vectors)
    centres = micro.cluster_centers_
    norms = np.linalg.norm(centres, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return _agglomerate((centres / norms).astype(np.float32), bars)[micro.labels_]


def _agglomerate(vectors: np.ndarray, bars: Bars) -> np.ndarray:
    from sklearn.cluster import AgglomerativeClustering

    model = AgglomerativeClustering(n_clusters=None, metric="cosine", linkage="average",
                                    distance_threshold=bars.together)
    return model.fit_predict(vectors)
