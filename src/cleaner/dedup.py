"""Articles -> the same articles with duplicate_of, duplicate_kind, similarity and story_id set.

Works on the cleaned text, so two copies of one story in different site chrome are caught.
1. Exact: the same content_hash (sha256 of the text in lower case without punctuation).
2. Near: MinHash signatures of word shingles, candidates from LSH (never all pairs), each
   candidate pair confirmed by the exact Jaccard similarity of the shingle sets.
3. One canonical article per group (CANONICAL_RULE); the others point at it, never dropped.
4. Same story: articles about one event share its names and the place where it happened,
   while wording differs and generic news vocabulary (leaders, talks, international) is
   shared by every story on the beat. So the story similarity of two canonical articles is
   the mean of two cosines, each over words weighted by their rarity in the language
   (wordfreq's Zipf scale; 'Vostochny' weighs 5, 'Russia' 1, 'meeting' 0.85):
     - the names profile: capitalised words inside sentences (people, places, organisations);
     - the event-place profile: capitalised words after 'in/at/to' in sentences that report
       a meeting, visit or summit ('held a summit in Pyongyang').
   Canonical articles are clustered by average linkage; clusters whose mean similarity is
   at or above the story threshold (and not published too far apart) share one story_id.
   Measured on the sample corpus: benchmarks/thresholds.py and the README.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date

import math
import re
from collections import Counter
from functools import lru_cache
from itertools import combinations

import numpy as np
from datasketch import MinHash, MinHashLSH
from scipy.cluster.hierarchy import fcluster, linkage
from wordfreq import zipf_frequency

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
    story_threshold: float = 0.25
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
    stories = _stories(items, heads, settings)

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


# Sentences that report an event, and the capitalised place phrase after in/at/to.
_EVENT = re.compile(
    r"(?i)\b(?:meet\w*|met|summit\w*|visit\w*|talks|held|hold\w*|arriv\w*|conven\w*|trip|travel\w*|"
    r"took place|taking place|gather\w*|attend\w*|host\w*)\b"
)
_PLACE = re.compile(r"\b(?:in|at|to)\s+(?:the\s+)?((?:[A-ZÀ-Ý][\w’'-]*\s?){1,3})")
_SENTENCE = re.compile(r"(?<=[.!?])\s+|\n+")
_TOKEN = re.compile(r"[^\W\d_]+(?:[’'][^\W\d_]+)*")
_POSSESSIVE = re.compile(r"[’']s$")
_PLACE_WEIGHT = 0.5  # share of the event-place profile in the story similarity
_COMMONEST_ZIPF = 6.0  # words this frequent ('the', 'and') weigh nothing
_MIN_WEIGHT = 0.5  # ... but a place is never weightless


def story_profiles(article: Article) -> tuple[dict[str, float], dict[str, float]]:
    """(names profile, event-place profile) of an article: rarity-weighted word vectors."""
    text = f"{article.meta.title}. {article.body}" if article.meta.title else article.body
    language = article.meta.language or "en"
    names: Counter[str] = Counter()
    places: Counter[str] = Counter()
    for sentence in _SENTENCE.split(text):
        for i, token in enumerate(_TOKEN.findall(sentence)):
            token = _POSSESSIVE.sub("", token)
            if i > 0 and token[:1].isupper() and len(token) > 2:
                names[token.casefold()] += 1
        if _EVENT.search(sentence):
            for match in _PLACE.finditer(sentence):
                for token in _TOKEN.findall(match.group(1)):
                    token = _POSSESSIVE.sub("", token)
                    if token[:1].isupper() and len(token) > 2:
                        places[token.casefold()] += 1
    return _weigh(names, language, 0.0), _weigh(places, language, _MIN_WEIGHT)


def story_similarity(a: tuple[dict[str, float], dict[str, float]], b: tuple[dict[str, float], dict[str, float]]) -> float:
    """Mean of the names cosine and the event-place cosine (0 for the latter when either has no event place)."""
    return (1 - _PLACE_WEIGHT) * _cosine(a[0], b[0]) + _PLACE_WEIGHT * _cosine(a[1], b[1])


def _weigh(counts: Counter[str], language: str, floor: float) -> dict[str, float]:
    return {t: (1 + math.log(n)) * max(floor, _COMMONEST_ZIPF - _zipf(t, language)) for t, n in counts.items()}


@lru_cache(maxsize=200_000)
def _zipf(word: str, language: str) -> float:
    try:
        return zipf_frequency(word, language)
    except LookupError:  # a language wordfreq does not know: English frequencies
        return zipf_frequency(word, "en")


def _cosine(a: dict[str, float], b: dict[str, float]) -> float:
    if not a or not b:
        return 0.0
    if len(a) > len(b):
        a, b = b, a
    dot = sum(w * b.get(t, 0.0) for t, w in a.items())
    norm = math.sqrt(sum(w * w for w in a.values())) * math.sqrt(sum(w * w for w in b.values()))
    return dot / norm if norm else 0.0


def _stories(items: list[Article], heads: list[int], settings: DedupSettings) -> dict[int, str]:
    """story_id for each canonical article: average-linkage clusters of story similarity.

    Average linkage (UPGMA), not single linkage: one article that mentions two events (a
    visit 'following their summit in Russia') must not chain the two stories together.
    Clusters merge while their mean similarity is at or above the story threshold.
    Articles dated further apart than the window get similarity 0.

    Never all pairs. Two clusters can only merge if some pair between them is at or above the
    threshold (else their mean is below it), so the clusters are found inside the connected
    components of the graph of such pairs, each by its own linkage; and a pair can only be
    similar if the two share a weighted word, so pairs come from an inverted index of the
    profiles' words. Words in more than MAX_POSTING canonical articles (everyday names:
    countries, capitals, leaders) do not propose pairs on their own; they still count in the
    similarity of pairs that share a rarer word. Time and memory grow with the pairs that
    share a word, not with the square of the corpus.
    """
    if len(heads) == 1:
        return {heads[0]: f"story-{items[heads[0]].id}"}
    profiles = [story_profiles(items[h]) for h in heads]
    days = [_day(items[h]) for h in heads]
    similarity = _similar_pairs(profiles, days, settings.story_window_days)
    strong = [(a, b, s) for (a, b), s in similarity.items() if s >= settings.story_threshold]
    story: dict[int, str] = {}
    for component in _components(range(len(heads)), strong):
        for group in _average_linkage(component, similarity, settings.story_threshold):
            name = f"story-{min(items[heads[k]].id for k in group)}"
            for k in group:
                story[heads[k]] = name
    return story


MAX_POSTING = 200


def _similar_pairs(profiles: list[tuple[dict[str, float], dict[str, float]]], days: list[date | None],
                   window: int) -> dict[tuple[int, int], float]:
    """Story similarity (> 0) of every pair that shares a weighted word and is close in time."""
    postings: dict[str, list[int]] = defaultdict(list)
    for k, (names, places) in enumerate(profiles):
        for term in {t for t, w in names.items() if w > 0} | {t for t, w in places.items() if w > 0}:
            postings[term].append(k)  # k ascending: pairs come out as (smaller, larger)
    candidates: set[tuple[int, int]] = set()
    for members in postings.values():
        if 1 < len(members) <= MAX_POSTING:
            candidates.update(combinations(members, 2))
    similarity: dict[tuple[int, int], float] = {}
    for a, b in candidates:
        if days[a] is not None and days[b] is not None and abs((days[a] - days[b]).days) > window:
            continue
        value = min(story_similarity(profiles[a], profiles[b]), 1.0)
        if value > 0:
            similarity[(a, b)] = value
    return similarity


def _average_linkage(members: list[int], similarity: dict[tuple[int, int], float], threshold: float) -> list[list[int]]:
    """Average-linkage clusters of one component at the story threshold."""
    if len(members) == 1:
        return [members]
    distances = [1.0 - similarity.get((a, b), 0.0) for i, a in enumerate(members) for b in members[i + 1:]]
    labels = fcluster(linkage(np.asarray(distances), method="average"), t=1.0 - threshold, criterion="distance")
    groups: dict[int, list[int]] = defaultdict(list)
    for k, label in zip(members, labels):
        groups[int(label)].append(k)
    return list(groups.values())


def _day(article: Article) -> date | None:
    try:
        return date.fromisoformat(article.meta.published[:10]) if article.meta.published else None
    except ValueError:
        return None
