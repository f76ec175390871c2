"""Same story: rarity-weighted name and event profiles, their similarity, average-linkage story ids."""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

import numpy as np

from cleaner.dedup.near import concatenated, connected_components, runs, upper_pairs
from cleaner.dedup.settings import DedupSettings
from cleaner.record import Article

if TYPE_CHECKING:
    from cleaner.dedup.fingerprints import Fingerprint, Profile

# Articles about one event share its names and the place and date where it happened, while
# wording differs and generic news vocabulary (leaders, talks, international) is shared by every
# story on the beat. So the story similarity of two canonical articles is the mean of two
# cosines, each over words weighted by their rarity in the language (wordfreq's Zipf scale:
# 'Vostochny' weighs 5, 'Russia' 1, 'meeting' 0.85):
#   - the names profile: capitalised words inside sentences (people, places, organisations);
#   - the event profile, where and when: capitalised words after 'in/at/to' and the dates
#     ('June 12', '2018') in sentences that report a meeting, visit or summit ('held a summit in
#     Pyongyang on June 19, 2024'). English month names only; a year is a year in any language,
#     but a year alone (no place, no day) says when, not which event, and is left out.
# Both profiles are also weighted by rarity in the run (in_run): the cast of a beat (Putin, Kim,
# Russia, North Korea in a run about their two summits) stands in most of the run's articles,
# so it tells their events apart no better than 'the' does and must not carry a story; the
# event's place, date and rare names must. Likewise a year that most articles state (this
# week's news: '2024') is the run's, not an event's. So an article's story depends on the
# run's other articles twice, through this weight and through the clustering, but never on
# their order, batches or workers: both are computed once over the set of canonical articles.
# The limit: among many other beats (a run of all the day's news) a beat's cast is rare in the
# run again and carries its events together, unless their publication dates part them.
# Canonical articles are clustered by average linkage; clusters whose mean similarity is at or
# above the story threshold (and not published too far apart) share one story_id. Measured on
# the sample corpus: benchmarks/thresholds.py.

# Sentences that report an event, and the capitalised place phrase after in/at/to.
_EVENT = re.compile(
    r"(?i)\b(?:meet\w*|met|summit\w*|visit\w*|talks|held|hold\w*|arriv\w*|conven\w*|trip|travel\w*|"
    r"took place|taking place|gather\w*|attend\w*|host\w*)\b"
)
_PLACE = re.compile(r"\b(?:in|at|to)\s+(?:the\s+)?((?:[A-ZÀ-Ý][\w’'-]*\s?){1,3})")
_MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
           "november", "december")
_MONTH = r"(January|February|March|April|May|June|July|August|September|October|November|December)"
# 'June 12', 'June 12, 2018', '12 June 2018', and a year on its own ('in 2019').
_DATE = re.compile(rf"\b{_MONTH}\s+(\d{{1,2}})(?:st|nd|rd|th)?\b|\b(\d{{1,2}})\s+{_MONTH}\b|\b((?:19|20)\d\d)\b")
_SENTENCE = re.compile(r"(?<=[.!?])\s+|\n+")
_TOKEN = re.compile(r"[^\W\d_]+(?:[’'][^\W\d_]+)*")
_POSSESSIVE = re.compile(r"[’']s$")
_PLACE_WEIGHT = 0.5  # share of the event profile in the story similarity
_COMMONEST_ZIPF = 6.0  # words this frequent ('the', 'and') weigh nothing
_MIN_WEIGHT = 0.5  # ... but a place is never weightless
_DATE_WEIGHT = 2.0  # a stated day ('june 12') or year ('2018'): as rare as a name of Zipf 4 ('Putin')
# Rarity in the run: a word in df of the run's n canonical articles weighs 1 - share**2 of its
# weight, share = (df - 1) / (n - 1 + _UNSEEN). Squared, so a word shared by a few articles keeps
# nearly all its weight and one shared by nearly all keeps little (the five seeds: 0.67 for the
# cast in all five, 0.98 for 'Vostochny' in two). _UNSEEN articles that lack the word are
# assumed besides the run's own: a run of two or three articles about one event cannot tell its
# cast from its story (every word they share is in all of them), so its words keep most of
# their weight (two articles: 0.94). Of 1, 2, 3 and 5, 3 parts the five seeds alone widest
# (merge similarities 0.293 within the 2023 summit, 0.202 across the two events; threshold 0.25).
_UNSEEN = 3

StoryProfiles = tuple[dict[str, float], dict[str, float]]  # (names, event), as story_profiles gives them


def story_profiles(article: Article) -> StoryProfiles:
    """(names profile, event profile) of an article: word vectors weighted by rarity in the language."""
    text = f"{article.meta.title}. {article.body}" if article.meta.title else article.body
    language = article.meta.language or "en"
    names: Counter[str] = Counter()
    places: Counter[str] = Counter()
    dates: Counter[str] = Counter()
    for sentence in _SENTENCE.split(text):
        for i, token in enumerate(_TOKEN.findall(sentence)):
            token = _POSSESSIVE.sub("", token)
            if i > 0 and token[:1].isupper() and len(token) > 2:
                names[token.casefold()] += 1
        if _EVENT.search(sentence):
            for match in _PLACE.finditer(sentence):
                for token in _TOKEN.findall(match.group(1)):
                    token = _POSSESSIVE.sub("", token)
                    if token[:1].isupper() and len(token) > 2 and token.casefold() not in _MONTHS:
                        places[token.casefold()] += 1
            dates.update(_dates(sentence))
    if not places and all(d.isdigit() for d in dates):
        dates.clear()  # a year alone says when, not which event: three unrelated 2025 posts are not one story
    event = _weigh(places, language, _MIN_WEIGHT)
    event.update({d: (1 + math.log(n)) * _DATE_WEIGHT for d, n in dates.items()})
    return _weigh(names, language, 0.0), event


def _dates(sentence: str) -> list[str]:
    """The days ('june 12') and years ('2018') a sentence states."""
    out = []
    for m in _DATE.finditer(sentence):
        month, day = (m.group(1), m.group(2)) if m.group(1) else (m.group(4), m.group(3))
        out.append(f"{month.lower()} {int(day)}" if month else m.group(5))
    return out


def story_similarity(a: StoryProfiles, b: StoryProfiles) -> float:
    """Mean of the names cosine and the event cosine (0 for the latter when either has no event place or date).

    On profiles as the run weighs them (in_run), or as story_profiles gives them."""
    return (1 - _PLACE_WEIGHT) * _cosine(a[0], b[0]) + _PLACE_WEIGHT * _cosine(a[1], b[1])


def run_rarity(df, n: int):
    """The factor on the weight of a word that df of the run's n canonical articles have (see _UNSEEN)."""
    share = (df - 1) / (n - 1 + _UNSEEN)
    return 1 - share * share


def in_run(profiles: Sequence[StoryProfiles]) -> list[StoryProfiles]:
    """The story profiles of a run's canonical articles, their words weighted by rarity in the run as well."""
    n = len(profiles)
    names = Counter(term for profile in profiles for term in profile[0])
    events = Counter(term for profile in profiles for term in profile[1])
    return [(_times(a, names, n), _times(b, events, n)) for a, b in profiles]


def _times(profile: dict[str, float], df: Counter[str], n: int) -> dict[str, float]:
    return {t: w * run_rarity(df[t], n) for t, w in profile.items()}


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


@dataclass(frozen=True, slots=True)
class _InRun:
    """in_run on one kind of compact profile: the run's words with their run_rarity, and each
    canonical article's norm under it (the profiles themselves stay as they are, packed)."""
    terms: np.ndarray  # uint64, sorted: every word of the run's canonical articles' profiles
    factors: np.ndarray  # float64, aligned with terms
    norms: np.ndarray  # float64, one per canonical article

    @classmethod
    def of(cls, prints: Sequence[Fingerprint], kind: str) -> _InRun:
        """Over the `kind` profiles ("names" or "places") of these fingerprints.

        Memory: the run's terms are gathered once, sorted in place and counted; the norms are
        summed _NORM_CHUNK articles at a time (all at once, the terms, their owners, weights and
        positions were ~67 MiB at 100,000 documents)."""
        total = sum(getattr(p, kind).terms.size for p in prints)
        every = concatenated((getattr(p, kind).terms for p in prints), np.uint64, total)[0]
        every.sort()
        starts, df = runs(every)  # a profile's terms are unique: df counts articles
        terms = every[starts]
        del every, starts
        factors = run_rarity(df.astype(np.float64), len(prints))
        del df
        norms = np.empty(len(prints), dtype=np.float64)
        for lo in range(0, len(prints), _NORM_CHUNK):
            chunk = [getattr(p, kind) for p in prints[lo:lo + _NORM_CHUNK]]
            own, sizes = concatenated((profile.terms for profile in chunk), np.uint64)
            weights = concatenated((profile.weights for profile in chunk), np.float64)[0]
            weights *= factors[np.searchsorted(terms, own)]
            owners = np.repeat(np.arange(len(chunk)), sizes)
            norms[lo:lo + len(chunk)] = np.sqrt(np.bincount(owners, weights=weights * weights, minlength=len(chunk)))
        return cls(terms, factors, norms)

    def cosine(self, a: Profile, b: Profile, norm_a: float, norm_b: float) -> float:
        if not norm_a or not norm_b:
            return 0.0
        common, ia, ib = np.intersect1d(a.terms, b.terms, assume_unique=True, return_indices=True)
        factors = self.factors[np.searchsorted(self.terms, common)]
        return float((a.weights[ia] * factors) @ (b.weights[ib] * factors)) / (norm_a * norm_b)


def story_ids(prints: Sequence[Fingerprint], heads: list[int], settings: DedupSettings) -> dict[int, str]:
    """story_id for each canonical article: average-linkage clusters of story similarity.

    Average linkage (UPGMA), not single linkage: one article that mentions two events (a
    visit 'following their summit in Russia') must not chain the two stories together.
    Clusters merge while their mean similarity is at or above the story threshold.
    Articles dated further apart than the window get similarity 0. Words weigh as in_run
    weighs them, by their rarity among these canonical articles too (_InRun).

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
        return {heads[0]: story_name(prints[heads[0]].id)}
    chosen = [prints[h] for h in heads]
    run = (_InRun.of(chosen, "names"), _InRun.of(chosen, "places"))
    days = _days(chosen)  # read once: the pairs and the linkage both part articles dated too far apart
    first, second, value = _similar_pairs(chosen, run, days, settings.story_window_days)
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
        for group in _average_linkage(component, similarity, settings.story_threshold, days,
                                      settings.story_window_days):
            name = story_name(min(chosen[k].id for k in group))
            for k in group:
                story[heads[k]] = name
    return story


def story_name(article_id: str) -> str:
    """A story's id: named after its smallest member's id, so stable while its members are."""
    return f"story-{article_id}"


MAX_POSTING = 200
_NORM_CHUNK = 8192  # canonical articles whose profile norms are summed at once (_InRun.of)
_PAIR_BUFFER = 1 << 18  # pair codes collected before duplicates are merged away (~5 times 8 bytes each while merged)


def _similar_pairs(prints: Sequence[Fingerprint], run: tuple[_InRun, _InRun], days: np.ndarray,
                   window: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Story similarity (> 0) of every pair that shares a weighted word and is close in time
    (`days`: `_days(prints)`), as three aligned arrays (first, second, similarity), first < second, sorted.

    The inverted index is a sort of (word, article) rows in NumPy and the candidate pairs are
    64-bit codes, so memory is ~16 bytes a pair instead of a Python set and dict of tuples.
    """
    n = len(prints)
    words, sizes = concatenated((_weighted_terms(p) for p in prints), np.uint64)
    # By word, then article (a stable sort: owners ascend already), so pairs come out as (smaller, larger).
    # Memory: each array goes as soon as the next is made; owners are 32-bit.
    order = np.argsort(words, kind="stable")
    words = words[order]
    owners = np.repeat(np.arange(n, dtype=np.int32), sizes)[order]
    del order
    starts, sizes = runs(words)
    del words
    keep = (sizes > 1) & (sizes <= MAX_POSTING)
    starts, sizes = starts[keep], sizes[keep]
    codes = np.empty(0, dtype=np.int64)
    buffer: list[np.ndarray] = []
    held = 0
    # The postings of one size at once, about _PAIR_BUFFER codes at a time (one small array per
    # posting was ~100 bytes of array beside each posting's one or few codes).
    for size in np.unique(sizes).tolist():
        a, b = upper_pairs(size)
        at = starts[sizes == size]
        step = max(1, _PAIR_BUFFER // a.size)
        for lo in range(0, at.size, step):
            members = owners[at[lo:lo + step, None] + np.arange(size)].astype(np.int64)
            buffer.append((members[:, a] * n + members[:, b]).ravel())
            held += buffer[-1].size
            if held >= _PAIR_BUFFER:
                codes, buffer, held = np.union1d(codes, np.concatenate(buffer)), [], 0
    if buffer:
        codes = np.union1d(codes, np.concatenate(buffer))
    del owners, buffer
    first, second = codes // n, codes % n
    del codes
    dated = (days[first] >= 0) & (days[second] >= 0)
    close = ~dated | (np.abs(days[first] - days[second]) <= window)
    first, second = first[close], second[close]
    value = np.fromiter((min(_similarity(prints[a], prints[b], run, a, b), 1.0) for a, b in _each(first, second)),
                        dtype=np.float64, count=first.size)
    positive = value > 0
    return first[positive], second[positive], value[positive]


def _days(prints: Sequence[Fingerprint]) -> np.ndarray:
    """Each article's publication day as an ordinal, -1 where it has none."""
    return np.array([p.day.toordinal() if p.day is not None else -1 for p in prints], dtype=np.int64)


def _each(first: np.ndarray, second: np.ndarray, chunk: int = 1 << 16) -> Iterator[tuple[int, int]]:
    """zip(first.tolist(), second.tolist()), a chunk at a time: a million pairs as Python ints
    at once are ~70 MB."""
    for start in range(0, first.size, chunk):
        yield from zip(first[start:start + chunk].tolist(), second[start:start + chunk].tolist())


def _weighted_terms(p: Fingerprint) -> np.ndarray:
    names, places = p.names, p.places
    return np.union1d(names.terms[names.weights > 0], places.terms[places.weights > 0])


def _similarity(a: Fingerprint, b: Fingerprint, run: tuple[_InRun, _InRun], i: int, j: int) -> float:
    """story_similarity of canonical articles i and j as the run weighs them, on the compact profiles."""
    names, events = run
    return ((1 - _PLACE_WEIGHT) * names.cosine(a.names, b.names, names.norms[i], names.norms[j])
            + _PLACE_WEIGHT * events.cosine(a.places, b.places, events.norms[i], events.norms[j]))


def _average_linkage(members: list[int], similarity: dict[tuple[int, int], float], threshold: float,
                     days: np.ndarray, window: int) -> list[list[int]]:
    """Average-linkage clusters of one component at the story threshold, none holding two
    articles dated further apart than the window.

    A pair further apart has no similarity, but the mean over two clusters can still reach the
    threshold through their other pairs (day 0 and day 20 joined by day 10). So such a pair's
    distance is made larger than any mean can absorb: over |X| * |Y| <= m * m / 4 pairs, a
    distance of m * m + 1 keeps the mean above 1 - threshold (a cannot-link). Clusters without
    such a pair merge exactly as before.
    """
    if len(members) == 1:
        return [members]
    # Imported here: SciPy's clustering costs 0.6 s to import and only runs when some story
    # has two or more articles.
    from scipy.cluster.hierarchy import fcluster, linkage

    apart = float(len(members) ** 2 + 1)
    day = days[members].tolist()
    distances = [apart if day[i] >= 0 and day[j] >= 0 and abs(day[i] - day[j]) > window
                 else 1.0 - similarity.get((a, b), 0.0)
                 for i, a in enumerate(members) for j, b in enumerate(members[i + 1:], start=i + 1)]
    labels = fcluster(linkage(np.asarray(distances), method="average"), t=1.0 - threshold, criterion="distance")
    groups: dict[int, list[int]] = defaultdict(list)
    for k, label in zip(members, labels):
        groups[int(label)].append(k)
    return list(groups.values())
