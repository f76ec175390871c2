"""The packed fingerprint (dedup/_packed.py) holds what its plain reference, PlainFingerprint, holds.

A Fingerprint keeps its band keys, bottom-k sketch, shingle count and both story profiles in one
uint64 array; packed and read
back, every field is the plain fingerprint's own, bit for bit, and dedup decides the same on
either.
"""

from __future__ import annotations

import json
import random
from dataclasses import fields, replace
from datetime import date, timedelta

import numpy as np
import pytest

from cleaner.dedup import DedupSettings, Fingerprint, PlainFingerprint, Profile, decide, fingerprint, shingles_of
from cleaner.dedup.fingerprints import plain_fingerprint
from cleaner.extract import split_text
from cleaner.normalize import content_hash
from cleaner.record import Article, Block, BlockKind, Format, Meta
from tests.conftest import RAW

SETTINGS = DedupSettings(near_threshold=0.7, story_threshold=0.3)


def assert_same_fields(packed: Fingerprint, plain: PlainFingerprint) -> None:
    """Every field of the packed fingerprint as it reads back equals the plain one's: same values,
    dtypes and shapes for the arrays (float weights compared by their bits)."""
    for field in fields(PlainFingerprint):
        ours, reference = getattr(packed, field.name), getattr(plain, field.name)
        if isinstance(reference, np.ndarray):
            assert_same_array(ours, reference)
        elif isinstance(reference, Profile):
            assert isinstance(ours, Profile)
            assert_same_array(ours.terms, reference.terms)
            assert_same_array(ours.weights, reference.weights)
            assert np.float64(ours.norm).tobytes() == np.float64(reference.norm).tobytes()
            assert type(ours.norm) is float
        else:
            assert ours == reference, field.name


def assert_same_array(ours: np.ndarray, reference: np.ndarray) -> None:
    assert ours.dtype == reference.dtype and ours.shape == reference.shape
    assert ours.tobytes() == reference.tobytes()


def _random_profile(rng: random.Random, size: int) -> Profile:
    terms = np.array(sorted(rng.sample(range(1, 1 << 63), size)), dtype=np.uint64)
    weights = np.array([rng.uniform(0.0, 12.0) for _ in range(size)], dtype=np.float64)
    return Profile(terms, weights, float(np.sqrt((weights ** 2).sum())) if size else 0.0)


def test_a_packed_fingerprint_reads_back_its_plain_fields():
    rng = random.Random(5)
    sizes = [0, 1, 2, 7, 40]
    for n in range(200):
        plain = PlainFingerprint(
            id=f"a{n}", rank=(-rng.randrange(2000), -rng.randrange(7), "2024-06-19", f"{n}.txt", 0),
            content_hash=f"{n:064x}", day=None if n % 3 else date(2024, 6, 19) + timedelta(days=n),
            bands=np.array([rng.randrange(1 << 64) for _ in range(rng.choice([0, 1, 9, 25]))], dtype=np.uint64),
            sketch=np.array(sorted(rng.sample(range(1 << 32), rng.choice([0, 1, 2, 7, 32]))), dtype=np.uint32),
            shingle_count=rng.choice([0, 1, 49, 50, 12_000]),
            names=_random_profile(rng, rng.choice(sizes)), places=_random_profile(rng, rng.choice(sizes)))
        packed = Fingerprint.pack(plain)
        assert_same_fields(packed, plain)
        assert_same_fields(packed, packed.plain())
        assert packed.packed.dtype == np.uint64 and packed.packed.ndim == 1
        assert packed.digest == plain.digest == bytes.fromhex(plain.content_hash)


_CHROME = tuple(Block(BlockKind.PARAGRAPH, line) for line in (
    "Home News Sport Business Culture Opinion Weather Sign in Subscribe Menu",
    "Share this article on Facebook Twitter LinkedIn WhatsApp or copy the link",
    *(f"Related story {k}: " + " ".join(random.Random(k).choices("most read latest video podcast opinion "
                                                               "weather markets travel recipes".split(), k=14))
      for k in range(16)),
    "Sign up for the morning briefing, the news you need delivered to your inbox before eight",
    "Cookie settings Privacy policy Terms of use Contact us Careers Advertise with us",
))


def _seed_articles() -> list[Article]:
    """The text seeds and the crawl records of raw/, split as text (with a copy of each, edited,
    and one that kept some chrome, found by containment)."""
    texts = {p.stem: p.read_text(encoding="utf-8") for p in sorted(RAW.glob("*.txt"))}
    for path in sorted(RAW.glob("*.jsonl")):
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines()):
            record = json.loads(line)
            if isinstance(record.get("text"), str):
                texts[f"{path.stem}#{n + 1}"] = record["text"]
    articles = []
    for name, text in texts.items():
        blocks = tuple(split_text(text))
        article = Article(id=name, source=name, format=Format.TEXT, input_format="text", blocks=blocks)
        body = article.body
        meta = Meta(title=blocks[0].text, word_count=len(body.split()), language="en", published="2024-06-19")
        articles.append(replace(article, meta=meta, content_hash=content_hash(body)))
        edited = blocks[:-1] if len(blocks) > 2 else blocks
        copy = replace(article, id=f"{name}-copy", source=f"{name}-copy", blocks=edited)
        articles.append(replace(copy, meta=replace(meta, word_count=len(copy.body.split())),
                                content_hash=content_hash(copy.body)))
        dump = replace(article, id=f"{name}-dump", source=f"{name}-dump", blocks=_CHROME[:2] + blocks + _CHROME[2:])
        articles.append(replace(dump, meta=replace(meta, word_count=len(dump.body.split())),
                                content_hash=content_hash(dump.body)))
    return articles


@pytest.fixture(scope="module")
def seeds() -> list[Article]:
    return _seed_articles()


def test_the_fingerprint_of_an_article_is_its_plain_fingerprint_packed(seeds):
    assert len(seeds) >= 10
    for article in seeds:
        assert_same_fields(fingerprint(article, SETTINGS), plain_fingerprint(article, SETTINGS))


def test_dedup_decides_alike_on_packed_and_plain_fingerprints(seeds):
    def shingles(wanted):
        return {i: shingles_of(seeds[i], SETTINGS) for i in wanted}

    packed = decide([fingerprint(a, SETTINGS) for a in seeds], SETTINGS, shingles)
    plain = decide([plain_fingerprint(a, SETTINGS) for a in seeds], SETTINGS, shingles)
    assert packed == plain
    assert sum(d.duplicate_of is not None for d in packed) >= 5  # the copies were found
    assert len({d.story_id for d in packed}) < len(seeds)
    contained = [d for d in packed if d.duplicate_kind == "near" and d.similarity < SETTINGS.near_threshold]
    assert len(contained) >= 3  # copies found by containment alone decide alike too
