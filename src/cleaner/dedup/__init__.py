"""Articles -> the same articles with duplicate_of, duplicate_kind, similarity and story_id set."""

# On the cleaned text, so two copies of one story in different site chrome are caught:
# 1. Exact: the same content_hash (sha256 of the text in lower case without punctuation).
# 2. Near: MinHash signatures of word shingles, candidates from LSH (never all pairs), each
#    candidate pair confirmed on the exact shingle sets (near.py): Jaccard similarity, or the
#    shorter nearly all inside a longer copy of comparable length (containment: a copy that kept
#    some chrome). `similarity` is the Jaccard either way.
# 3. One canonical article per group (CANONICAL_RULE); the others point at it, never dropped.
# 4. Same story: average-linkage clusters of a names and event (place, date) similarity, names
#    weighted by their rarity in the language and in the run (stories.py).
# What a run keeps of each article meanwhile is its Fingerprint (fingerprints.py, packed by
# _packed.py).

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, replace

import numpy as np

from cleaner._memory import detached, release_free_memory
from cleaner.dedup.fingerprints import Fingerprint, PlainFingerprint, Profile, fingerprint
from cleaner.dedup.near import (
    Overlap,
    band_keys,
    candidate_pairs,
    connected_components,
    is_near_copy,
    jaccard,
    minhash,
    overlap,
    shingle_hashes,
    shingles_of,
)
from cleaner.dedup.settings import DedupSettings
from cleaner.dedup.stories import MAX_POSTING, in_run, story_ids, story_name, story_profiles, story_similarity
from cleaner.record import Article

__all__ = [
    "CANONICAL_RULE", "MAX_POSTING", "SHINGLE_CHUNK", "Decision", "DedupSettings", "Fingerprint", "Overlap",
    "PlainFingerprint", "Profile", "ShingleSource", "apply_decision", "band_keys", "decide", "dedup", "fingerprint",
    "in_run", "is_near_copy", "jaccard", "minhash", "overlap", "shingle_hashes", "shingles_of", "story_name",
    "story_profiles", "story_similarity",
]

CANONICAL_RULE = (
    "the most complete copy wins: most words, then most metadata fields filled "
    "(title, author, published, site, url, section), then the earliest publication date, "
    "then the first source path in sort order"
)


@dataclass(frozen=True, slots=True)
class Decision:
    """dedup's verdict on one article."""
    duplicate_of: str | None
    duplicate_kind: str | None
    similarity: float | None
    story_id: str


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

    digests = [p.digest for p in prints]  # exact copies: equal content hashes
    by_hash: dict[bytes, list[int]] = defaultdict(list)
    for i, digest in enumerate(digests):
        by_hash[digest].append(i)
    representatives = []
    for members in by_hash.values():
        head = _pick(prints, members)
        representatives.append(head)
        for i in members:
            canonical[i] = head

    candidates = candidate_pairs(prints, sorted(representatives), settings)
    # Only the near copies' overlaps are kept: most candidates are not copies (memory).
    overlaps = _overlaps(candidates, shingles, lambda o: is_near_copy(o, settings))
    del candidates
    group_head = _near_groups(prints, representatives, overlaps, shingles, settings)
    representative = canonical  # of each article's exact-copy group: same text, same shingles
    canonical = [group_head[c] for c in canonical]

    heads = sorted(set(canonical))
    release_free_memory()  # what finding and checking the pairs held, before the story pass needs its own
    stories = story_ids(prints, heads, settings)

    out: list[Decision] = []
    originals: dict[int, str] = {}  # heads' ids, detached: a run lets the fingerprints go before it publishes
    for i in range(len(prints)):
        head = canonical[i]
        story = stories[head]
        if head == i:
            out.append(Decision(None, None, None, story))
            continue
        if head not in originals:
            originals[head] = detached(prints[head].id)
        exact = digests[i] == digests[head]
        value = 1.0 if exact else overlaps[_pair(representative[i], head)].jaccard
        out.append(Decision(originals[head], "exact" if exact else "near", round(value, 4), story))
    return out


def _near_groups(prints: Sequence[Fingerprint], representatives: Sequence[int],
                 overlaps: dict[tuple[int, int], Overlap], shingles: ShingleSource,
                 settings: DedupSettings) -> dict[int, int]:
    """Each representative's canonical article: itself, or a head it is a near copy of.

    Near pairs chain: a brief inside a longer copy inside the full story, each pair of comparable
    length, while the brief and the story are not (the length ratio keeps a brief apart from the
    story it quotes), or Jaccard 0.7 twice over and 0.5 end to end. So a connected group's head
    (CANONICAL_RULE) takes only the members that are near copies of it; the others are grouped
    again by the near pairs among themselves, until every member is its head's near copy. Adds
    the overlap of each member with its head to `overlaps` (its similarity).
    """
    near_pairs = list(overlaps)
    pending = connected_components(representatives, [(i, j, 0.0) for i, j in near_pairs])
    group_head: dict[int, int] = {}
    while pending:
        heads = {tuple(members): _pick(prints, members) for members in pending}
        wanted = sorted({_pair(m, h) for members, h in heads.items() for m in members if m != h})
        overlaps.update(_overlaps([p for p in wanted if p not in overlaps], shingles))
        apart: list[int] = []
        for members, head in heads.items():
            for m in members:
                if m == head or is_near_copy(overlaps[_pair(m, head)], settings):
                    group_head[m] = head
                else:
                    apart.append(m)
        if not apart:
            break
        left = set(apart)
        pending = connected_components(apart, [(i, j, 0.0) for i, j in near_pairs if i in left and j in left])
    return group_head


SHINGLE_CHUNK = 8192  # articles whose shingles are held at once (~600 hashes of 4 bytes each)


def _overlaps(pairs: Sequence[tuple[int, int]], shingles: ShingleSource,
              keep: Callable[[Overlap], bool] | None = None) -> dict[tuple[int, int], Overlap]:
    """The shingle Overlap of each pair (of those `keep` accepts), asking `shingles` for at most
    SHINGLE_CHUNK articles at a time.

    Memory stays bounded however many articles are in candidate pairs (at 100,000 articles
    with a third of them copies, all their shingle sets at once were ~150 MB); an article in
    pairs of two chunks is read twice, which costs time only. Sorted pairs keep an article's
    pairs together, mostly in one chunk.
    """
    out: dict[tuple[int, int], Overlap] = {}
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
            found = overlap(sets[i], sets[j])
            if keep is None or keep(found):
                out[(i, j)] = found
        del sets
        start = end
    return out


def _pair(a: int, b: int) -> tuple[int, int]:
    return (a, b) if a < b else (b, a)


def _pick(prints: Sequence[Fingerprint], members: Sequence[int]) -> int:
    """The canonical member of a duplicate group, by CANONICAL_RULE."""
    return min(members, key=lambda i: prints[i].rank)
