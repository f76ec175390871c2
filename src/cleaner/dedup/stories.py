"""Same story: rarity-weighted name and event-place profiles, their similarity, average-linkage story ids."""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from functools import lru_cache
from typing import TYPE_CHECKING

import numpy as np

from cleaner.dedup.near import connected_components, runs
from cleaner.dedup.settings import DedupSettings
from cleaner.record import Article

if TYPE_CHECKING:
    from cleaner.dedup.fingerprints import Fingerprint, Profile

# Articles about one event share its names and the place where it happened, while wording
# differs and generic news vocabulary (leaders, talks, international) is shared by every story
# on the beat. So the story similarity of two canonical articles is the mean of two cosines,
# each over words weighted by their rarity in the language (wordfreq's Zipf scale: 'Vostochny'
# weighs 5, 'Russia' 1, 'meeting' 0.85):
#   - the names profile: capitalised words inside sentences (people, places, organisations);
#   - the event-place profile: capitalised words after 'in/at/to' in sentences that report a
#     meeting, visit or summit ('held a summit in Pyongyang').
# Canonical articles are clustered by average linkage; clusters whose mean similarity is at or
# above the story threshold (and not published too far apart) share one story_id. Measured on
# the sample corpus: benchmarks/thresholds.py.

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


def story_similarity(a: tuple[dict[str, float], dict[str, float]],
                     b: tuple[dict[str, float], dict[str, float]]) -> float:
    """Mean of the names cosine and the event-place cosine (0 for the latter when either has no event place)."""
    return (1 - _PLACE_WEIGHT) * _cosine(a[0], b[0]) + _PLACE_WEIGHT * _cosine(a[1], b[1])


def _weigh(counts: Counter[str], language: str, floor: float) -> dict[str, float]:
    return {t: (1 + math.log(n)) * max(floor, _COMMONEST_ZIPF - _zipf(t, language)) for t, n in counts.items()}


# wordfreq tokenises Japanese and Korean with MeCab and Chinese with jieba, optional native
# packages we do not depend on (importing MeCab failed a whole run). Their word lists need no
# tokeniser: a profile word is one token already, so it is looked up as it is.
_NATIVE_TOKENISERS = frozenset({"mecab", "jieba"})


@lru_cache(maxsize=65_536)
def _zipf(word: str, language: str) -> float:
    """The word's frequency in the language on wordfreq's Zipf scale (0 for an unknown word)."""
    # Imported here (once per new word; cached above): only story profiles need wordfreq, and
    # importing it costs 0.2 s to everything that imports dedup (the spool, tests of other stages).
    from wordfreq import freq_to_zipf, get_frequency_dict, zipf_frequency
    from wordfreq.language_info import get_language_info

    try:
        if get_language_info(language)["tokenizer"] in _NATIVE_TOKENISERS:
            freq = get_frequency_dict(language).get(word, 0.0)
            return round(freq_to_zipf(freq), 2) if freq else 0.0
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



def _profile_cosine(a: Profile, b: Profile) -> float:
    if not a.norm or not b.norm:
        return 0.0
    _common, ia, ib = np.intersect1d(a.terms, b.terms, assume_unique=True, return_indices=True)
    return float(a.weights[ia] @ b.weights[ib]) / (a.norm * b.norm)


def _fingerprint_similarity(a: Fingerprint, b: Fingerprint) -> float:
    """story_similarity on the compact profiles."""
    return (1 - _PLACE_WEIGHT) * _profile_cosine(a.names, b.names) + _PLACE_WEIGHT * _profile_cosine(a.places, b.places)


def story_ids(prints: Sequence[Fingerprint], heads: list[int], settings: DedupSettings) -> dict[int, str]:
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
        return {heads[0]: f"story-{prints[heads[0]].id}"}
    chosen = [prints[h] for h in heads]
    first, second, value = _similar_pairs(chosen, settings.story_window_days)
    strong = value >= settings.story_threshold
    components = connected_components(range(len(heads)),
                             list(zip(first[strong].tolist(), second[strong].tolist(), value[strong])))
    # Each component's linkage needs the similarity of its pairs only: a small dict per
    # component, never one entry per candidate pair of the corpus (~200 bytes each).
    label = np.empty(len(heads), dtype=np.int64)
    for number, component in enumerate(components):
        label[component] = number
    inside = label[first] == label[second]
    first, second, value, owner = first[inside], second[inside], value[inside], label[first[inside]]
    order = np.argsort(owner, kind="stable")
    first, second, value, owner = first[order], second[order], value[order], owner[order]
    bounds = np.searchsorted(owner, np.arange(len(components) + 1))
    story: dict[int, str] = {}
    for number, component in enumerate(components):
        lo, hi = bounds[number], bounds[number + 1]
        similarity = dict(zip(zip(first[lo:hi].tolist(), second[lo:hi].tolist()), value[lo:hi].tolist()))
        for group in _average_linkage(component, similarity, settings.story_threshold):
            name = f"story-{min(chosen[k].id for k in group)}"
            for k in group:
                story[heads[k]] = name
    return story


MAX_POSTING = 200
_PAIR_BUFFER = 1 << 22  # candidate pair codes collected before duplicates are merged away


def _similar_pairs(prints: Sequence[Fingerprint], window: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Story similarity (> 0) of every pair that shares a weighted word and is close in time,
    as three aligned arrays (first, second, similarity), first < second, sorted.

    The inverted index is a sort of (word, article) rows in NumPy and the candidate pairs are
    64-bit codes, so memory is ~16 bytes a pair instead of a Python set and dict of tuples.
    """
    n = len(prints)
    terms = [np.union1d(p.names.terms[p.names.weights > 0], p.places.terms[p.places.weights > 0]) for p in prints]
    owners = np.repeat(np.arange(n, dtype=np.int64), [t.size for t in terms])
    words = np.concatenate(terms) if terms else np.empty(0, dtype=np.uint64)
    del terms
    order = np.lexsort((owners, words))  # by word, then article: pairs come out as (smaller, larger)
    words, owners = words[order], owners[order]
    starts, sizes = runs(words)
    keep = (sizes > 1) & (sizes <= MAX_POSTING)
    codes = np.empty(0, dtype=np.int64)
    buffer: list[np.ndarray] = []
    held = 0
    for start, size in zip(starts[keep].tolist(), sizes[keep].tolist()):
        members = owners[start:start + size]
        a, b = _upper_pairs(size)
        buffer.append(members[a] * n + members[b])
        held += buffer[-1].size
        if held >= _PAIR_BUFFER:
            codes, buffer, held = np.union1d(codes, np.concatenate(buffer)), [], 0
    if buffer:
        codes = np.union1d(codes, np.concatenate(buffer))
    del words, owners, buffer
    first, second = codes // n, codes % n
    del codes
    days = np.array([p.day.toordinal() if p.day is not None else -1 for p in prints], dtype=np.int64)
    dated = (days[first] >= 0) & (days[second] >= 0)
    close = ~dated | (np.abs(days[first] - days[second]) <= window)
    first, second = first[close], second[close]
    value = np.fromiter((min(_fingerprint_similarity(prints[a], prints[b]), 1.0)
                         for a, b in zip(first.tolist(), second.tolist())), dtype=np.float64, count=first.size)
    positive = value > 0
    return first[positive], second[positive], value[positive]


@lru_cache(maxsize=MAX_POSTING + 1)
def _upper_pairs(size: int) -> tuple[np.ndarray, np.ndarray]:
    return np.triu_indices(size, 1)


def _average_linkage(members: list[int], similarity: dict[tuple[int, int], float], threshold: float) -> list[list[int]]:
    """Average-linkage clusters of one component at the story threshold."""
    if len(members) == 1:
        return [members]
    # Imported here: SciPy's clustering costs 0.6 s to import and only runs when some story
    # has two or more articles.
    from scipy.cluster.hierarchy import fcluster, linkage

    distances = [1.0 - similarity.get((a, b), 0.0) for i, a in enumerate(members) for b in members[i + 1:]]
    labels = fcluster(linkage(np.asarray(distances), method="average"), t=1.0 - threshold, criterion="distance")
    groups: dict[int, list[int]] = defaultdict(list)
    for k, label in zip(members, labels):
        groups[int(label)].append(k)
    return list(groups.values())
