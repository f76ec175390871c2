"""dedup's stories: articles about one event share a story_id, other events (same cast or not) do not."""

from __future__ import annotations

import random

import pytest

from cleaner.dedup import DedupSettings, dedup, fingerprint, story_profiles
from tests.test_dedup import SETTINGS, art, by_id, story


def test_same_story_in_other_words_shares_a_story_id():
    summit = ("Putin and Kim met at the Vostochny cosmodrome spaceport in Russia's far east, where the North Korean "
              "leader toured the rocket launch site and Russia promised help building satellites.")
    summit2 = ("At the Vostochny spaceport in the Russian far east, Kim Jong Un inspected rockets and satellite "
               "facilities while Putin offered assistance with North Korea's satellite programme.")
    bakery = ("The bakery on Main Street won the regional bread prize for its sourdough, beating forty other bakers "
              "from across the county in a blind tasting held at the town hall on Saturday.")
    out = by_id(dedup([art("s1", [summit]), art("s2", [summit2]), art("b", [bakery])], SETTINGS))
    assert out["s1"].story_id == out["s2"].story_id
    assert out["b"].story_id != out["s1"].story_id
    assert all(a.duplicate_of is None for a in out.values())


def test_dates_far_apart_are_never_one_story():
    text = story(10)
    out = by_id(dedup([art("a", text[:5] + story(11)[:5], published="2023-09-13"),
                       art("b", text[:5] + story(12)[:5], published="2024-06-19")],
                      DedupSettings(near_threshold=0.95, story_threshold=0.1, story_window_days=14)))
    assert out["a"].story_id != out["b"].story_id


def _all_pairs_stories(articles, settings):
    """The reference: average linkage over the full matrix of every pair (what dedup avoids)."""
    from datetime import date

    import numpy as np
    from scipy.cluster.hierarchy import fcluster, linkage

    from cleaner.dedup import in_run, story_profiles, story_similarity

    profiles = in_run([story_profiles(a) for a in articles])
    days = [date.fromisoformat(a.meta.published) if a.meta.published else None for a in articles]
    distances = []
    for i in range(len(articles)):
        for j in range(i + 1, len(articles)):
            far = days[i] and days[j] and abs((days[i] - days[j]).days) > settings.story_window_days
            distances.append(1.0 - (0.0 if far else min(story_similarity(profiles[i], profiles[j]), 1.0)))
    labels = fcluster(linkage(np.asarray(distances), method="average"), t=1.0 - settings.story_threshold,
                      criterion="distance")
    return {frozenset(a.id for a, label in zip(articles, labels) if label == wanted) for wanted in set(labels)}


def test_story_clusters_equal_the_all_pairs_linkage():
    """Clustering inside components of strong pairs, with pairs from an inverted index, gives
    the same stories as average linkage over every pair: 63 articles about 8 events that share
    everyday names (Russia, Berlin), with dates, some far apart, and bridges between events."""
    rng = random.Random(7)
    def word() -> str:  # an invented name: letters only, rare in every language
        return "".join(rng.choice("bcdfghklmnprstvz") + rng.choice("aeiou") for _ in range(4)).capitalize()

    events = [[word() for _ in range(6)] for _ in range(8)]
    towns = [word() for _ in range(8)]
    common = ["Russia", "Berlin", "Europe", "Washington", "Monday"]
    articles = []
    for n in range(60):
        event = rng.randrange(8)
        names = rng.sample(events[event], 3) + rng.sample(common, 2) + ([rng.choice(events[rng.randrange(8)])]
                                                                          if rng.random() < 0.3 else [])
        town = towns[event]
        text = " ".join(f"Officials said {name} met delegates in {town} to discuss plans." for name in names)
        articles.append(art(f"a{n:02d}", [text, " ".join(story(n)[:3])],
                            published=f"2024-0{1 + event % 3}-{1 + rng.randrange(25):02d}"))
    # Bridges: an article about event 0 that also names event 3 (same month), as seed 001's
    # visit recalls the earlier summit. Strong to both, it puts both events in one component,
    # where average linkage must still keep the two stories apart.
    for n in range(3):
        names = rng.sample(events[0], 4) + rng.sample(events[3], 2)
        text = " ".join(f"Officials said {name} met delegates in {towns[0 if k < 4 else 3]} to discuss plans."
                        for k, name in enumerate(names))
        articles.append(art(f"b{n}", [text, " ".join(story(100 + n)[:3])], published="2024-01-10"))
    settings = DedupSettings(near_threshold=0.95, story_threshold=0.25, story_window_days=14)
    out = dedup(articles, settings)
    ours = {}
    for a in out:
        ours.setdefault(a.story_id, set()).add(a.id)
    expected = _all_pairs_stories([a for a in out if a.duplicate_of is None], settings)
    canonical = {a.id for a in out if a.duplicate_of is None}
    assert {frozenset(g & canonical) for g in ours.values() if g & canonical} == expected
    assert 6 <= len(expected) < 60  # the corpus really has multi-article stories and splits


@pytest.mark.parametrize(("language", "text"), [
    ("ko", "서울 시의회는 목요일 Hanbit Engineering과 계약을 맺었다. 설계는 Seoul Design Foundation이 맡는다."),
    ("ja", "東京の市議会は木曜日、Hanbit Engineeringと契約した。設計はTokyo Design Centerが担当する。"),
    ("zh", "北京市政府周四与Hanbit Engineering签约。设计由Beijing Design Institute负责。"),
], ids=["ko", "ja", "zh"])
def test_story_profiles_need_no_native_tokeniser(language, text):
    """wordfreq tokenises Korean and Japanese with MeCab and Chinese with jieba, optional
    packages that are not installed: a page in those languages must still get its profiles."""
    article = art("k", [text], language=language)
    names, _places = story_profiles(article)
    assert any(name.startswith("engineering") for name in names)  # Korean: 'Engineering과'
    assert fingerprint(article, SETTINGS).id == "k"
