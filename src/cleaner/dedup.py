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

import hashlib
import math
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from functools import lru_cache
from itertools import combinations

import numpy as np

from cleaner.config import default
from cleaner.normalize import normalized_for_hash
from cleaner.record import Article

CANONICAL_RULE = (
    "the most complete copy wins: most words, then most metadata fields filled "
    "(title, author, published, site, url, section), then the earliest publication date, "
    "then the first source path in sort order"
)
_LSH_MARGIN = 0.8  # LSH bands for 0.8 x the near threshold
_MERSENNE = np.uint64((1 << 61) - 1)
_MAX_HASH = np.uint64((1 << 32) - 1)


@dataclass(frozen=True, slots=True)
class DedupSettings:
    near_threshold: float = default("near_duplicate_threshold")
    shingle_size: int = default("shingle_size")
    num_perm: int = default("num_perm")
    story_threshold: float = default("story_threshold")
    story_window_days: int = default("story_window_days")


@dataclass(frozen=True, slots=True)
class Profile:
    """A sparse word vector, compact: term hashes (sorted, unique), their weights, the norm."""
    terms: np.ndarray  # uint64
    weights: np.ndarray  # float64, aligned with terms
    norm: float


@dataclass(frozen=True, slots=True)
class Fingerprint:
    """What dedup needs of one article, about a kilobyte instead of the article.

    A run keeps one per article while the articles themselves wait on disk (streaming), so
    this is what memory grows with: the LSH band keys of the MinHash signature (8 bytes per
    band) and the two story profiles. The shingles themselves are not kept: the few articles
    in a candidate pair get theirs again from the text when the pair is checked (`decide`).
    The numbers live in one array (`packed`), not five: at 100,000 articles the headers of
    separate small arrays and profile objects cost more than their data (~65 MB).
    """
    id: str
    rank: tuple  # sorts the canonical member of a group first (CANONICAL_RULE)
    content_hash: str
    day: date | None
    packed: np.ndarray  # uint64: 3 sizes, band keys, then per profile its terms, weights and norm (float64 bits)

    @classmethod
    def pack(cls, id: str, rank: tuple, content_hash: str, day: date | None, bands: np.ndarray,
             names: Profile, places: Profile) -> Fingerprint:
        packed = np.concatenate([
            np.array([bands.size, names.terms.size, places.terms.size], dtype=np.uint64), bands.astype(np.uint64),
            names.terms, _bits(names.weights), _bits([names.norm]),
            places.terms, _bits(places.weights), _bits([places.norm]),
        ])
        return cls(id, rank, content_hash, day, packed)

    @property
    def bands(self) -> np.ndarray:
        return self.packed[3:3 + int(self.packed[0])]

    @property
    def names(self) -> Profile:
        return self._profile(3 + int(self.packed[0]), int(self.packed[1]))

    @property
    def places(self) -> Profile:
        names_end = 3 + int(self.packed[0]) + 2 * int(self.packed[1]) + 1
        return self._profile(names_end, int(self.packed[2]))

    def _profile(self, start: int, size: int) -> Profile:
        values = self.packed[start + size:start + 2 * size + 1].view(np.float64)
        return Profile(self.packed[start:start + size], values[:size], float(values[size]))


def _bits(values) -> np.ndarray:
    """float64 values as the uint64 words that hold them (stored beside the terms, read back with .view)."""
    return np.asarray(values, dtype=np.float64).view(np.uint64)


@dataclass(frozen=True, slots=True)
class Decision:
    """dedup's verdict on one article."""
    duplicate_of: str | None
    duplicate_kind: str | None
    similarity: float | None
    story_id: str


def fingerprint(article: Article, settings: DedupSettings) -> Fingerprint:
    """The article's dedup fingerprint (computed where the article was cleaned)."""
    m = article.meta
    filled = sum(bool(v) for v in (m.title, m.author, m.published, m.site, m.url, m.section))
    names, places = story_profiles(article)
    return Fingerprint.pack(
        id=article.id,
        rank=(-m.word_count, -filled, m.published or "9999-12-31", article.source, article.record or 0),
        content_hash=article.content_hash, day=_day(article),
        bands=band_keys(minhash(shingles_of(article, settings), settings.num_perm), settings),
        names=_profile(names), places=_profile(places),
    )


def shingles_of(article: Article, settings: DedupSettings) -> np.ndarray:
    return shingle_hashes(normalized_for_hash(article.body), settings.shingle_size)


ShingleSource = Callable[[Collection[int]], Mapping[int, np.ndarray]]
"""Given positions in the fingerprint list, the shingle hashes of those articles (`decide` asks
once, for the articles in candidate pairs; a run reads them back from its spool)."""


def dedup(articles: Sequence[Article], settings: DedupSettings) -> list[Article]:
    """Mark duplicates and story groups; returns the same articles in the same order."""
    items = list(articles)
    decisions = decide([fingerprint(a, settings) for a in items], settings,
                       lambda wanted: {i: shingles_of(items[i], settings) for i in wanted})
    return [apply_decision(a, d) for a, d in zip(items, decisions)]


def apply_decision(article: Article, decision: Decision) -> Article:
    return replace(article, duplicate_of=decision.duplicate_of, duplicate_kind=decision.duplicate_kind,
                   similarity=decision.similarity, story_id=decision.story_id)


def decide(prints: Sequence[Fingerprint], settings: DedupSettings, shingles: ShingleSource) -> list[Decision]:
    """One Decision per fingerprint, in the same order: duplicate of what, and which story."""
    if not prints:
        return []
    canonical = list(range(len(prints)))  # index of each article's canonical article

    by_hash: dict[str, list[int]] = defaultdict(list)
    for i, p in enumerate(prints):
        by_hash[p.content_hash].append(i)
    representatives = []
    for members in by_hash.values():
        head = _pick(prints, members)
        representatives.append(head)
        for i in members:
            canonical[i] = head

    candidates = _candidate_pairs(prints, sorted(representatives))
    similarity = _jaccards(candidates, shingles)
    pairs = [(i, j, s) for (i, j), s in similarity.items() if s >= settings.near_threshold]
    group_head = {}
    for members in _components(representatives, pairs):
        head = _pick(prints, members)
        group_head.update(dict.fromkeys(members, head))
    representative = canonical  # of each article's exact-copy group: same text, same shingles
    canonical = [group_head[c] for c in canonical]
    # A near copy's similarity to its canonical article: both are representatives in one
    # group, but not always a candidate pair themselves (groups are transitive).
    near = {_pair(representative[i], h) for i, h in enumerate(canonical)
            if h != i and prints[i].content_hash != prints[h].content_hash}
    similarity.update(_jaccards(sorted(near - similarity.keys()), shingles))

    heads = sorted(set(canonical))
    stories = _stories(prints, heads, settings)

    out: list[Decision] = []
    for i, p in enumerate(prints):
        head = canonical[i]
        story = stories[head]
        if head == i:
            out.append(Decision(None, None, None, story))
            continue
        exact = p.content_hash == prints[head].content_hash
        value = 1.0 if exact else similarity[_pair(representative[i], head)]
        out.append(Decision(prints[head].id, "exact" if exact else "near", round(value, 4), story))
    return out


SHINGLE_CHUNK = 8192  # articles whose shingles are held at once (~600 hashes of 4 bytes each)


def _jaccards(pairs: Sequence[tuple[int, int]], shingles: ShingleSource) -> dict[tuple[int, int], float]:
    """Jaccard similarity of each pair, asking `shingles` for at most SHINGLE_CHUNK articles at a time.

    Memory stays bounded however many articles are in candidate pairs (at 100,000 articles
    with a third of them copies, all their shingle sets at once were ~150 MB); an article in
    pairs of two chunks is read twice, which costs time only. Sorted pairs keep an article's
    pairs together, mostly in one chunk.
    """
    out: dict[tuple[int, int], float] = {}
    limit = max(SHINGLE_CHUNK, 2)
    start = 0
    while start < len(pairs):
        wanted: set[int] = set()
        end = start
        while end < len(pairs) and len(wanted) + sum(k not in wanted for k in pairs[end]) <= limit:
            wanted.update(pairs[end])
            end += 1
        sets = shingles(wanted)
        for i, j in pairs[start:end]:
            out[(i, j)] = jaccard(sets[i], sets[j])
        del sets
        start = end
    return out


def _pair(a: int, b: int) -> tuple[int, int]:
    return (a, b) if a < b else (b, a)


def _pick(prints: Sequence[Fingerprint], members: Sequence[int]) -> int:
    """The canonical member of a duplicate group, by CANONICAL_RULE."""
    return min(members, key=lambda i: prints[i].rank)


def shingle_hashes(text: str, size: int) -> np.ndarray:
    """Sorted unique 32-bit hashes of the word `size`-shingles of a normalised text.

    Each word is hashed once (blake2b, the same on every machine and process); a shingle's
    hash combines its words' hashes by position, in NumPy. Two different shingles share a
    hash with odds of 1 in 4 billion, so Jaccard on hashes equals Jaccard on the shingles.
    """
    tokens = text.split()
    if not tokens:
        return np.empty(0, dtype=np.uint32)
    words = np.fromiter((_word_hash(t) for t in tokens), dtype=np.uint64, count=len(tokens))
    size = min(size, len(tokens))
    count = len(tokens) - size + 1
    combined = np.zeros(count, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for k in range(size):
            combined = combined * np.uint64(0x100000001B3) + words[k:k + count]
    return np.unique((combined >> np.uint64(32)).astype(np.uint32))


@lru_cache(maxsize=65_536)
def _word_hash(token: str) -> int:
    return int.from_bytes(hashlib.blake2b(token.encode("utf-8"), digest_size=8).digest(), "little")


def jaccard(a: np.ndarray, b: np.ndarray) -> float:
    """Jaccard similarity of two sorted unique hash arrays."""
    if not a.size and not b.size:
        return 1.0
    common = np.intersect1d(a, b, assume_unique=True).size
    return common / (a.size + b.size - common)


@lru_cache(maxsize=8)
def _permutations(num_perm: int) -> tuple[np.ndarray, np.ndarray]:
    """datasketch's MinHash permutations for seed 1: a*x + b mod the Mersenne prime 2^61-1."""
    gen = np.random.RandomState(1)
    ab = np.array([(gen.randint(1, int(_MERSENNE), dtype=np.uint64), gen.randint(0, int(_MERSENNE), dtype=np.uint64))
                   for _ in range(num_perm)], dtype=np.uint64).T
    return ab[0], ab[1]


def minhash(shingles: np.ndarray, num_perm: int) -> np.ndarray:
    """MinHash signature (uint32) of a set of 32-bit shingle hashes: datasketch's "legacy" scheme, in NumPy."""
    if not shingles.size:
        return np.full(num_perm, int(_MAX_HASH), dtype=np.uint32)
    a, b = _permutations(num_perm)
    with np.errstate(over="ignore"):
        values = (np.outer(shingles.astype(np.uint64), a) + b) % _MERSENNE & _MAX_HASH
    return values.min(axis=0).astype(np.uint32)


def band_keys(signature: np.ndarray, settings: DedupSettings) -> np.ndarray:
    """The LSH band keys of a MinHash signature: b bands of r rows (datasketch's choice for the
    threshold), each reduced to one 64-bit key. Two articles whose keys are equal in any band
    are a candidate pair."""
    bands, rows = _banding(settings.near_threshold, settings.num_perm)
    with np.errstate(over="ignore"):
        rows_of = signature[:bands * rows].astype(np.uint64).reshape(bands, rows)
        return (rows_of * _band_multipliers(rows)).sum(axis=1)


@lru_cache(maxsize=8)
def _banding(near_threshold: float, num_perm: int) -> tuple[int, int]:
    # Imported here: datasketch brings SciPy's integrators and an async Redis client (1.4 s of
    # start-up), and a process needs it once, for this choice of bands and rows.
    from datasketch import MinHashLSH

    # LSH only proposes candidates; the exact Jaccard check decides. Banding for a lower
    # threshold than the decision one keeps LSH from missing pairs just above it.
    lsh = MinHashLSH(threshold=max(0.05, near_threshold * _LSH_MARGIN), num_perm=num_perm)
    return lsh.b, lsh.r


@lru_cache(maxsize=8)
def _band_multipliers(rows: int) -> np.ndarray:
    return (np.arange(rows, dtype=np.uint64) * np.uint64(2) + np.uint64(0x9E3779B97F4A7C15)) | np.uint64(1)


def _candidate_pairs(prints: Sequence[Fingerprint], keys: Sequence[int]) -> list[tuple[int, int]]:
    """Pairs whose band keys are equal in some band (sorted per band in NumPy; never all pairs)."""
    if len(keys) < 2:
        return []
    table = np.stack([prints[i].bands for i in keys])
    candidates: set[tuple[int, int]] = set()
    for band in range(table.shape[1]):
        column = table[:, band]
        order = np.argsort(column, kind="stable")
        starts, sizes = _runs(column[order])
        for start, size in zip(starts[sizes > 1], sizes[sizes > 1]):
            members = sorted(keys[k] for k in order[start:start + size])
            candidates.update(combinations(members, 2))
    return sorted(candidates)


def _runs(ordered: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(start, length) of each run of equal values in a sorted array."""
    if not ordered.size:
        return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64)
    starts = np.flatnonzero(np.r_[True, ordered[1:] != ordered[:-1]])
    return starts, np.diff(np.r_[starts, ordered.size])


def _components(nodes: Iterable[int], pairs: Sequence[tuple[int, int, float]]) -> list[list[int]]:
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
    for n in parent:
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


def _profile(weights: dict[str, float]) -> Profile:
    """A dict profile in compact form (term hashes sorted, weights aligned)."""
    if not weights:
        return _EMPTY_PROFILE
    terms = np.fromiter((_word_hash(t) for t in weights), dtype=np.uint64, count=len(weights))
    values = np.fromiter(weights.values(), dtype=np.float64, count=len(weights))
    order = np.argsort(terms)
    return Profile(terms[order], values[order], math.sqrt(sum(w * w for w in weights.values())))


_EMPTY_PROFILE = Profile(np.empty(0, dtype=np.uint64), np.empty(0, dtype=np.float64), 0.0)


def _profile_cosine(a: Profile, b: Profile) -> float:
    if not a.norm or not b.norm:
        return 0.0
    _common, ia, ib = np.intersect1d(a.terms, b.terms, assume_unique=True, return_indices=True)
    return float(a.weights[ia] @ b.weights[ib]) / (a.norm * b.norm)


def _fingerprint_similarity(a: Fingerprint, b: Fingerprint) -> float:
    """story_similarity on the compact profiles."""
    return (1 - _PLACE_WEIGHT) * _profile_cosine(a.names, b.names) + _PLACE_WEIGHT * _profile_cosine(a.places, b.places)


def _stories(prints: Sequence[Fingerprint], heads: list[int], settings: DedupSettings) -> dict[int, str]:
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
    components = _components(range(len(heads)),
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
    starts, sizes = _runs(words)
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


def _day(article: Article) -> date | None:
    try:
        return date.fromisoformat(article.meta.published[:10]) if article.meta.published else None
    except ValueError:
        return None
