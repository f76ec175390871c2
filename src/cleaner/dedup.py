"""Articles -> the same articles with duplicate_of, duplicate_kind, similarity and story_id set.

Works on the cleaned text, so two copies of one story in different site chrome are caught.
1. Exact: the same content_hash (sha256 of the text in lower case without punctuation).
2. Near: MinHash signatures of word shingles, candidates from LSH (never all pairs), each
   candidate pair confirmed by the exact Jaccard similarity of the shingle sets.
3. One canonical article per group (CANONICAL_RULE); the others point at it, never dropped.
4. Same story: TF-IDF cosine between canonical articles, linked when at or above the story
   threshold and not published too far apart; every group member shares one story_id.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date

import numpy as np
from datasketch import MinHash, MinHashLSH
from sklearn.feature_extraction.text import TfidfVectorizer

from cleaner.normalize import normalized_for_hash
from cleaner.record import Article

CANONICAL_RULE = (
    "the most complete copy wins: most words, then most metadata fields filled "
    "(title, author, published, site, url, section), then the earliest publication date, "
    "then the first source path in sort order"
)
# LSH only proposes candidates; the exact Jaccard check decides. Banding for a lower
# threshold than the decision one keeps LSH from missing pairs just above it.
_LSH_MARGIN = 0.8


@dataclass(frozen=True, slots=True)
class DedupSettings:
    near_threshold: float = 0.7
    shingle_size: int = 5
    num_perm: int = 128
    story_threshold: float = 0.3
    story_window_days: int = 14


def dedup(articles: Sequence[Article], settings: DedupSettings) -> list[Article]:
    """Mark duplicates and story groups; returns the same articles in the same order."""
    items = list(articles)
    if not items:
        return []
    texts = [normalized_for_hash(a.body) for a in items]
    canonical = list(range(len(items)))  # index of each article's canonical article

    by_hash: dict[str, list[int]] = defaultdict(list)
    for i, article in enumerate(items):
        by_hash[article.content_hash].append(i)
    representatives = []
    for members in by_hash.values():
        head = _pick(items, members)
        representatives.append(head)
        for i in members:
            canonical[i] = head

    shingles = {i: _shingles(texts[i], settings.shingle_size) for i in representatives}
    pairs = _near_pairs(shingles, settings)
    group_head = {}
    for members in _components(representatives, pairs):
        head = _pick(items, members)
        group_head.update({rep: head for rep in members})
    canonical = [group_head[c] for c in canonical]

    heads = sorted(set(canonical))
    stories = _stories(items, texts, heads, settings)

    out: list[Article] = []
    for i, article in enumerate(items):
        head = canonical[i]
        story = stories[head]
        if head == i:
            out.append(replace(article, duplicate_of=None, duplicate_kind=None, similarity=None, story_id=story))
            continue
        exact = article.content_hash == items[head].content_hash
        similarity = 1.0 if exact else _jaccard(_shingles(texts[i], settings.shingle_size),
                                                  _shingles(texts[head], settings.shingle_size))
        out.append(replace(
            article, duplicate_of=items[head].id, duplicate_kind="exact" if exact else "near",
            similarity=round(similarity, 4), story_id=story,
        ))
    return out


def _pick(items: list[Article], members: Sequence[int]) -> int:
    """The canonical member of a duplicate group, by CANONICAL_RULE."""
    def rank(i: int):
        m = items[i].meta
        filled = sum(bool(v) for v in (m.title, m.author, m.published, m.site, m.url, m.section))
        return (-m.word_count, -filled, m.published or "9999-12-31", items[i].source, items[i].record or 0)
    return min(members, key=rank)


def _shingles(text: str, size: int) -> set[str]:
    tokens = text.split()
    if len(tokens) < size:
        return {" ".join(tokens)} if tokens else set()
    return {" ".join(tokens[i:i + size]) for i in range(len(tokens) - size + 1)}


def _jaccard(a: set[str], b: set[str]) -> float:
    if not a and not b:
        return 1.0
    return len(a & b) / len(a | b)


def _near_pairs(shingles: dict[int, set[str]], settings: DedupSettings) -> list[tuple[int, int, float]]:
    keys = sorted(shingles)
    if len(keys) < 2:
        return []
    lsh = MinHashLSH(threshold=max(0.05, settings.near_threshold * _LSH_MARGIN), num_perm=settings.num_perm)
    hashes = MinHash.bulk([[s.encode("utf-8") for s in shingles[i]] for i in keys], num_perm=settings.num_perm, seed=1)
    for i, mh in zip(keys, hashes):
        lsh.insert(i, mh)
    pairs: list[tuple[int, int, float]] = []
    for i, mh in zip(keys, hashes):
        for j in lsh.query(mh):
            if j <= i:
                continue
            similarity = _jaccard(shingles[i], shingles[j])
            if similarity >= settings.near_threshold:
                pairs.append((i, j, similarity))
    return pairs


def _components(nodes: Sequence[int], pairs: Sequence[tuple[int, int, float]]) -> list[list[int]]:
    parent = {n: n for n in nodes}

    def find(n: int) -> int:
        while parent[n] != n:
            parent[n] = parent[parent[n]]
            n = parent[n]
        return n

    for a, b, _ in pairs:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    groups: dict[int, list[int]] = defaultdict(list)
    for n in nodes:
        groups[find(n)].append(n)
    return [sorted(g) for g in groups.values()]


def story_similarities(texts: Sequence[str]) -> np.ndarray:
    """TF-IDF cosine similarity between texts (sublinear term frequency, English stop words)."""
    vectorizer = TfidfVectorizer(sublinear_tf=True, stop_words="english", min_df=1)
    matrix = vectorizer.fit_transform(texts)
    return (matrix @ matrix.T).toarray()


def _stories(items: list[Article], texts: list[str], heads: list[int], settings: DedupSettings) -> dict[int, str]:
    """story_id for each canonical article: groups linked by TF-IDF cosine within the date window."""
    if len(heads) == 1:
        return {heads[0]: f"story-{items[heads[0]].id}"}
    docs = [f"{items[h].meta.title} {items[h].meta.title} {texts[h]}" for h in heads]
    sims = story_similarities(docs)
    pairs = []
    for a in range(len(heads)):
        for b in range(a + 1, len(heads)):
            if sims[a, b] >= settings.story_threshold and _close_in_time(items[heads[a]], items[heads[b]], settings):
                pairs.append((heads[a], heads[b], float(sims[a, b])))
    story: dict[int, str] = {}
    for members in _components(heads, pairs):
        name = f"story-{min(items[i].id for i in members)}"
        for i in members:
            story[i] = name
    return story


def _close_in_time(a: Article, b: Article, settings: DedupSettings) -> bool:
    if not a.meta.published or not b.meta.published:
        return True
    try:
        gap = abs((date.fromisoformat(a.meta.published[:10]) - date.fromisoformat(b.meta.published[:10])).days)
    except ValueError:
        return True
    return gap <= settings.story_window_days
