"""Site-learned boilerplate: blocks that repeat across stories of one site are chrome, not story.

No rule names "Listen to our podcast every Friday" or a site's own motto, but a block that
stands word for word in articles about several different stories of the same site is the
site's template, not its reporting. This stage learns such blocks over a whole run, and
over what was published before (the dataset's site_boilerplate.json), and cuts them with
the category `site_repeated`:

1. Observe (per article, where the batch is cleaned): the site (the url's host without
   "www.", else the site name) and a 64-bit key of each block that could be boilerplate.
   Story-like blocks are protected and never observed: a block of PROTECT_WORDS words or
   more that ends a sentence, and a heading directly followed by one (an article's own
   "What happens next?" heading).
2. Learn (after dedup, on the keys alone): a block seen in `min_stories` different stories
   of a site (dedup's story_id: copies and follow-ups of one story share their paragraphs
   and count once) is the site's boilerplate.
3. Cut (only the articles that hold learned blocks, read back from the spool): the learned
   blocks go, each recorded as a Removal, unless they are more than MAX_SHARE of the
   article's words or would leave fewer than min_words: then the article keeps them. Exact
   copies (one content hash) are cut alike (`plan`), so they keep equal hashes.

Counts are of distinct story ids (story-<smallest member id>, stable across runs), so
running twice over the same input learns the same blocks: what was published before adds
only the stories this run does not hold, under their name or renamed (an earlier story named
after an article of this run is that article's story now). The registry keeps the blocks seen in two or more
stories (with up to `min_stories` story ids each), not every block ever seen, so it stays
small; a block met in one story per run is never learned.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Collection, Hashable, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import cached_property
from urllib.parse import urlsplit

import numpy as np

from cleaner.normalize import STORY_WORDS, key, story_like, word_count
from cleaner.record import Article, BlockKind, Removal

SITE_REPEATED = "site_repeated"  # the removal category
RULE_ID = "site_repeated.cross_article"
REGISTRY_VERSION = 1
PROTECT_WORDS = STORY_WORDS  # a block this long that ends a sentence is story text, however often it repeats
MAX_SHARE = 0.5  # learned blocks holding more of an article's words than this: a copy, not chrome
_EMPTY = np.zeros(0, dtype=np.uint64)


@dataclass(frozen=True, slots=True)
class SiteBlocks:
    """What learning needs of one article: its site and the keys of its eligible blocks.

    A run holds one per article until it publishes, so the keys are held as bytes (one object),
    not as an array (an array and its base object each, once unpickled from a worker or the
    spool: ~300 bytes an article)."""
    site: str
    key_bytes: bytes = b""  # uint64 keys, one per eligible block (page order)

    @classmethod
    def of(cls, site: str, keys: np.ndarray) -> SiteBlocks:
        return cls(site, np.asarray(keys, dtype=np.uint64).tobytes())

    @property
    def keys(self) -> np.ndarray:
        return np.frombuffer(self.key_bytes, dtype=np.uint64)


def site_of(article: Article) -> str:
    """The url's host without 'www.' (lower case), else the site's name; '' when unknown."""
    url = article.meta.url or article.hints.url or article.page.url
    host = (urlsplit(url).hostname or "") if url else ""
    if host:
        return host.removeprefix("www.")
    return " ".join((article.meta.site or article.hints.site or article.page.site).lower().split())


def block_key(text: str) -> int:
    """64-bit key of a block's normalised text (case, punctuation and spacing ignored)."""
    return int.from_bytes(hashlib.blake2b(key(text).encode("utf-8"), digest_size=8).digest(), "little")


def eligible(article: Article) -> list[int]:
    """Indexes (into article.blocks) of the blocks that may be site boilerplate."""
    blocks = article.blocks
    story = [story_like(b.text) for b in blocks]
    found = []
    for i, block in enumerate(blocks):
        if block.kind is BlockKind.TITLE or story[i] or not key(block.text):
            continue
        if block.kind is BlockKind.HEADING and i + 1 < len(blocks) and story[i + 1]:
            continue
        found.append(i)
    return found


def observe(article: Article) -> SiteBlocks:
    site = site_of(article)
    if not site:
        return SiteBlocks("")
    indexes = eligible(article)
    return SiteBlocks.of(site, np.fromiter((block_key(article.blocks[i].text) for i in indexes),
                                        dtype=np.uint64, count=len(indexes)))


@dataclass(frozen=True, slots=True)
class Learned:
    """One block a site repeats: its key, (up to min_stories of) the stories holding it, a sample text."""
    key: int
    stories: tuple[str, ...]
    text: str = ""


@dataclass(frozen=True)
class Registry:
    """The blocks seen in two or more stories of a site; those in `min_stories` or more are boilerplate."""
    min_stories: int
    sites: Mapping[str, Mapping[int, Learned]]

    def boilerplate(self, site: str) -> frozenset[int]:
        """Keys of the site's blocks seen in `min_stories` stories or more."""
        return self._boilerplate.get(site, frozenset())

    @cached_property
    def _boilerplate(self) -> dict[str, frozenset[int]]:
        return {site: frozenset(k for k, b in blocks.items() if len(b.stories) >= self.min_stories)
                for site, blocks in self.sites.items()}

    def with_texts(self, texts: Mapping[tuple[str, int], str]) -> Registry:
        """The same registry with sample texts filled in where it had none."""
        return Registry(self.min_stories, {
            site: {k: b if b.text or (site, k) not in texts else replace(b, text=texts[site, k])
                   for k, b in blocks.items()}
            for site, blocks in self.sites.items()
        })

    def to_json(self) -> bytes:
        """Deterministic JSON: sites and blocks sorted; boilerplate first within a site."""
        sites = {}
        for site in sorted(self.sites):
            blocks = sorted(self.sites[site].values(),
                            key=lambda b: (len(b.stories) < self.min_stories, b.text, b.key))
            sites[site] = [{"key": f"{b.key:016x}", "boilerplate": len(b.stories) >= self.min_stories,
                            "stories": list(b.stories), "text": b.text} for b in blocks]
        document = {"version": REGISTRY_VERSION, "min_stories": self.min_stories, "sites": sites}
        return (json.dumps(document, indent=1, ensure_ascii=False) + "\n").encode("utf-8")


EMPTY = Registry(0, {})


def read_registry(data: bytes | None) -> Registry:
    """A registry from a published site_boilerplate.json; an empty one for None or another version."""
    if not data:
        return EMPTY
    document = json.loads(data)
    if document.get("version") != REGISTRY_VERSION:
        return EMPTY
    return Registry(int(document.get("min_stories", 0)), {
        site: {int(b["key"], 16): Learned(int(b["key"], 16), tuple(b["stories"]), b.get("text", ""))
               for b in blocks}
        for site, blocks in document.get("sites", {}).items()
    })


def learn(stories: Sequence[str], observed: Sequence[SiteBlocks], min_stories: int,
          previous: Registry = EMPTY, own_names: Collection[str] = ()) -> Registry:
    """The site registry of this run: `observed[i]` belongs to an article of the story `stories[i]`.

    `own_names`: the story id each of this run's articles would give a story it led (dedup's
    story_name of its id). An earlier story of that name is this run's story of that article,
    which may have been renamed since (a new article with a smaller id joined it): it is not
    counted again as an earlier story.

    Arrays all the way: one row per (article, eligible block), so a run of 100,000
    articles learns from a few megabytes of keys.
    """
    if min_stories < 2:
        return Registry(min_stories, {})
    here = set(stories)
    seen = here | set(own_names)  # earlier story names this run holds, under their name or renamed
    site_names = sorted({o.site for o in observed if o.site} | set(previous.sites))
    site_index = {s: n for n, s in enumerate(site_names)}
    story_names = sorted(here)
    story_index = {s: n for n, s in enumerate(story_names)}
    rows = [(story_index[stories[p]], site_index[o.site], o.keys)
            for p, o in enumerate(observed) if o.site and len(o.keys)]
    story = np.concatenate([np.full(len(k), u, dtype=np.int64) for u, _, k in rows] or [np.zeros(0, dtype=np.int64)])
    site = np.concatenate([np.full(len(k), s, dtype=np.int64) for _, s, k in rows] or [np.zeros(0, dtype=np.int64)])
    keys = np.concatenate([k for _, _, k in rows] or [_EMPTY])

    # Earlier stories (not in this run) holding each (site, key).
    earlier: dict[tuple[int, int], list[str]] = {}
    for name, blocks in previous.sites.items():
        for k, b in blocks.items():
            others = [a for a in b.stories if a not in seen]
            if others:
                earlier[site_index[name], k] = others

    # One row per distinct (site, key, story): copies and reports of one story count once.
    order = np.lexsort((story, keys, site))
    story, site, keys = story[order], site[order], keys[order]
    distinct = np.r_[True, (site[1:] != site[:-1]) | (keys[1:] != keys[:-1]) | (story[1:] != story[:-1])][:len(keys)]
    story, site, keys = story[distinct], site[distinct], keys[distinct]
    starts = np.flatnonzero(np.r_[True, (site[1:] != site[:-1]) | (keys[1:] != keys[:-1])][:len(keys)])
    ends = np.r_[starts[1:], len(keys)][:len(starts)].astype(np.int64)
    holders = ends - starts
    if earlier:
        holders += np.fromiter((len(earlier.get((int(site[s]), int(keys[s])), ())) for s in starts),
                               dtype=np.int64, count=len(starts))

    cap = max(min_stories, 2)
    sites: dict[str, dict[int, Learned]] = {}
    for g in np.flatnonzero(holders >= 2):
        s, e = int(starts[g]), int(ends[g])
        site_key = (int(site[s]), int(keys[s]))
        names = sorted({story_names[u] for u in story[s:e]} | set(earlier.get(site_key, ())))
        sites.setdefault(site_names[site_key[0]], {})[site_key[1]] = Learned(site_key[1], tuple(names[:cap]))
    # What only earlier runs saw stays known (the next run may confirm it).
    for (s, k), others in earlier.items():
        blocks = sites.setdefault(site_names[s], {})
        if k not in blocks and len(others) >= 2:
            blocks[k] = Learned(k, tuple(sorted(others)[:cap]))
    for name, blocks in sites.items():  # keep the sample texts earlier runs recorded
        for k, b in list(blocks.items()):
            old = previous.sites.get(name, {}).get(k)
            if old is not None and old.text:
                blocks[k] = replace(b, text=old.text)
    return Registry(min_stories, {name: blocks for name, blocks in sites.items() if blocks})


def affected(observed: Sequence[SiteBlocks], registry: Registry) -> list[int]:
    """Positions of the articles holding at least one learned block of their site."""
    learned = {site: np.fromiter(registry.boilerplate(site), dtype=np.uint64) for site in registry.sites}
    return [p for p, o in enumerate(observed)
            if o.site in learned and len(o.keys) and np.isin(o.keys, learned[o.site]).any()]


def plan(observed: Sequence[SiteBlocks], hashes: Sequence[Hashable], registry: Registry) -> dict[int, dict[int, str]]:
    """Position -> {key: the site that learned it} of the blocks to cut from that article.

    Exact copies (the same content hash, `hashes[i]` for `observed[i]`) are cut alike: a
    block learned by any copy's site goes from every copy, so their hashes stay equal (a copy
    on another host, or with no url, would otherwise keep it).
    """
    by_copy: dict[str, dict[int, str]] = {}
    for p in affected(observed, registry):
        site = observed[p].site
        learned = registry.boilerplate(site)
        wanted = by_copy.setdefault(hashes[p], {})
        for k in map(int, observed[p].keys):
            if k in learned:
                wanted.setdefault(k, site)
    return {p: by_copy[h] for p, h in enumerate(hashes) if h in by_copy}


def cut(article: Article, registry: Registry, min_words: int = 0, learned: Mapping[int, str] | None = None) -> Article:
    """The article without its site's learned blocks (recorded as removals); unchanged when
    they would be more than MAX_SHARE of its words (a copy) or leave fewer than `min_words`.
    `learned` ({key: site that learned it}, from `plan`) replaces the article's own site's blocks."""
    if learned is None:
        site = site_of(article)
        learned = dict.fromkeys(registry.boilerplate(site), site) if site else {}
    if not learned:
        return article
    keys = {i: block_key(article.blocks[i].text) for i in eligible(article)}
    doomed = {i: k for i, k in keys.items() if k in learned}
    if not doomed:
        return article
    total = article.meta.word_count or word_count(article.body)
    gone = sum(word_count(article.blocks[i].text) for i in doomed)
    if gone > MAX_SHARE * max(total, 1) or total - gone < min_words:
        return article
    at = article.block_positions()  # each cut records where it stood, for the review page
    removals = tuple(
        Removal(SITE_REPEATED, RULE_ID, article.blocks[i].text,
                (("site_key", learned[k]), ("stories", str(len(registry.sites[learned[k]][k].stories)))), at[i])
        for i, k in doomed.items()
    )
    drop = set(doomed)
    return replace(article, blocks=tuple(b for i, b in enumerate(article.blocks) if i not in drop),
                   removals=article.removals + removals)


def texts(article: Article) -> dict[tuple[str, int], str]:
    """(site, key) -> the text of each learned block that `cut` removed from this article."""
    return {(dict(r.facts).get("site_key", ""), block_key(r.text)): r.text
            for r in article.removals if r.rule_id == RULE_ID}
