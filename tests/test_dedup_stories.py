"""dedup's stories: articles about one event share a story_id, other events (same cast or not) do not."""

from __future__ import annotations

import json
import random
import shutil
from collections import Counter
from pathlib import Path

import pytest

from cleaner.config import CleanConfig
from cleaner.dedup import DedupSettings, dedup, fingerprint, story_profiles
from cleaner.discover import discover
from cleaner.pipeline import dedup_settings, process_batch
from cleaner.record import Article
from tests.conftest import RAW
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


def test_no_story_spans_more_than_the_window_through_an_article_between():
    # day 0, day 10, day 20: each neighbour pair is within 14 days and alike, the ends are not
    # within the window; average linkage alone had joined all three (mean similarity of day 20
    # to the other two: (0 + high) / 2, above the threshold).
    text = ("Officials said Varokan met delegates in Tselimbo to discuss plans. "
            "Varokan and Mirelda held talks in Tselimbo on the bridge and the harbour.")
    dates = {"d00": "2024-03-01", "d10": "2024-03-11", "d20": "2024-03-21"}
    out = by_id(dedup([art(k, [text, " ".join(story(60 + n)[:3])], published=v)
                       for n, (k, v) in enumerate(dates.items())],
                      DedupSettings(near_threshold=0.95, story_threshold=0.25, story_window_days=14)))
    assert out["d00"].story_id != out["d20"].story_id
    assert out["d10"].story_id in {out["d00"].story_id, out["d20"].story_id}


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
            distances.append(1e9 if far else 1.0 - min(story_similarity(profiles[i], profiles[j]), 1.0))
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


# --- Stories are events, not cast lists (issue 14) -----------------------------------------------
# The names that every article of a run shares (Putin, Kim, Russia, North Korea) must not carry a
# story; the event's place, its date and rare names must. tests/data/story_pairs.json: five casts,
# each at two events, each event told twice in other words, without publication dates.

PAIRS = json.loads((Path(__file__).parent / "data" / "story_pairs.json").read_text(encoding="utf-8"))["articles"]
CASTS = sorted({p["cast"] for p in PAIRS})
EVENTS = sorted({p["event"] for p in PAIRS})
RUN = DedupSettings()  # the story threshold and window of a run


def event_articles(cast: str | None = None) -> list[Article]:
    """The articles of story_pairs.json (of one cast, or all), with ids '<event>-0' and '<event>-1'."""
    seen: Counter[str] = Counter()
    out = []
    for p in PAIRS:
        if cast in (None, p["cast"]):
            number = seen[p["event"]]
            seen[p["event"]] += 1
            out.append(art(f"{p['event']}-{number}", p["text"].split("\n\n"), title=p["title"], language="en"))
    return out


def events_by_story(articles: list[Article]) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for a in articles:
        out.setdefault(a.story_id, set()).add(a.id.rsplit("-", 1)[0])
    return out


@pytest.fixture(scope="module")
def seeds_alone(tmp_path_factory) -> list[Article]:
    """The five text seeds cleaned and deduplicated in a run of their own, as `cleaner run --raw-dir`
    on a folder that holds only them (and their sidecars)."""
    folder = tmp_path_factory.mktemp("seeds")
    for path in sorted(RAW.glob("00[0-4]_*")):
        shutil.copy(path, folder / path.name)
    config = CleanConfig(raw_dir=str(folder))
    return dedup(process_batch(discover(config.raw_dir).articles, config).kept, dedup_settings(config))


def test_the_five_seeds_alone_are_two_stories(seeds_alone):
    """000, 002 and 004 report the 2023 summit in Russia, 001 and 003 the 2024 visit to Pyongyang.
    Without the dated HTML copies of raw/ beside them only their text can part them."""
    story = {a.source[:3]: a.story_id for a in seeds_alone}
    assert sorted(story) == ["000", "001", "002", "003", "004"]
    assert story["000"] == story["002"] == story["004"]
    assert story["001"] == story["003"]
    assert story["000"] != story["001"]


@pytest.mark.parametrize("cast", [*CASTS, "all casts"])
def test_one_cast_at_two_events_is_two_stories(cast):
    """A run of one cast's four articles (or of all casts' articles): no story holds two events."""
    out = dedup(event_articles(None if cast == "all casts" else cast), RUN)
    assert all(len(events) == 1 for events in events_by_story(out).values())


# Known misses, left out of the test below and measured by benchmarks/thresholds.py instead
# (an expected failure would be a bug kept quiet; these are the open part of issue 14's item 4).
# Same-event pairs whose two reports stay apart (similarity of the two alone; main's in brackets,
# before rarity in the run). Their cast is in all four articles of their run and now weighs
# less, and what is left in common is too little: football reports name no meeting, visit or
# summit, so they have no event profile and score at most half the names cosine; the other two
# name their place where the event profile does not look ('near Chennai', 'the northeastern
# Chinese city of Harbin').
MISSED = {
    "kyiv_2018": "a match report has no event profile: 0.241 alone (main 0.255); the threshold is 0.25",
    "paris_2022": "a match report has no event profile: 0.209 alone (main 0.224, split there too)",
    "mamallapuram_2019": "no event place in common: 0.243 alone (main 0.260)",
    "beijing_2024": "no event place in common: 0.239 alone (main 0.254)",
}


@pytest.mark.parametrize("event", [e for e in EVENTS if e not in MISSED])
def test_one_event_in_other_words_is_one_story(event):
    """The two reports of one event share a story, in a run of their cast's four articles and alone."""
    cast = next(p["cast"] for p in PAIRS if p["event"] == event)
    articles = event_articles(cast)
    for run in (articles, [a for a in articles if a.id.startswith(f"{event}-")]):
        out = by_id(dedup(run, RUN))
        assert out[f"{event}-0"].story_id == out[f"{event}-1"].story_id


def test_a_name_in_most_of_the_run_keeps_little_of_its_weight():
    """in_run: 1 - share**2, share = (df - 1) / (n - 1 + 3)."""
    from cleaner.dedup import in_run

    five = in_run([({"putin": 2.0, f"own{i}": 1.0} | ({"vostochny": 5.0} if i < 2 else {}), {"russia": 1.0})
                   for i in range(5)])
    assert five[0][0]["putin"] == pytest.approx(2.0 * (1 - (4 / 7) ** 2))  # in all five: 0.67
    assert five[0][0]["vostochny"] == pytest.approx(5.0 * (1 - (1 / 7) ** 2))  # in two: 0.98
    assert five[0][0]["own0"] == 1.0 and five[0][1]["russia"] == pytest.approx(1 - (4 / 7) ** 2)
    two = in_run([({"putin": 2.0}, {}), ({"putin": 2.0}, {})])
    assert two[0][0]["putin"] == pytest.approx(2.0 * 0.9375)  # a run of two cannot tell its cast


def test_the_event_profile_takes_places_and_dates_of_event_sentences():
    article = art("e", ["The talks in Hanoi broke down on February 28, 2019, and the leaders met again in June 2019.",
                        "The treaty dates from 12 July 1961 in Moscow."])
    _names, event = story_profiles(article)
    assert {"hanoi", "february 28", "2019"} <= set(event)
    assert "june" not in event and "february" not in event  # a month is a date, not a place
    assert not {"july 12", "1961", "moscow"} & set(event)  # not a sentence that reports an event


def test_a_year_alone_is_no_event():
    """Three unrelated posts that each mention an event of 2025 (a dev page triple once made one
    story so): a year says when, not which event; with a place or a day it counts."""
    nutrition = art("n", ["The nutrition meeting hosted by the society showed new trends in diets for 2025."])
    cameras = art("c", ["Everyone who will travel this summer wants one of the cameras on this 2025 list."])
    assert story_profiles(nutrition)[1] == {} == story_profiles(cameras)[1]
    out = by_id(dedup([nutrition, cameras], SETTINGS))
    assert out["n"].story_id != out["c"].story_id
    placed = art("p", ["The nutrition meeting was hosted in Orlando in 2025."])
    assert {"orlando", "2025"} <= set(story_profiles(placed)[1])
    dated = art("d", ["The nutrition meeting was hosted on June 4, 2025."])
    assert {"june 4", "2025"} <= set(story_profiles(dated)[1])


def test_fingerprints_give_the_story_similarity_of_the_profiles_in_the_run():
    """The compact path (_InRun on packed profiles, pairs from the inverted index) computes what
    story_similarity computes on in_run's dict profiles, pair for pair."""
    from cleaner.dedup import in_run, stories, story_similarity

    articles = event_articles() + [art(f"w{n}", story(n)[:4]) for n in range(4)]
    prints = [fingerprint(a, RUN) for a in articles]
    run = (stories._InRun.of(prints, "names"), stories._InRun.of(prints, "places"))
    first, second, value = stories._similar_pairs(prints, run, stories._days(prints), RUN.story_window_days)
    profiles = in_run([story_profiles(a) for a in articles])
    assert len(value) > 40
    for i, j, v in zip(first.tolist(), second.tolist(), value.tolist()):
        assert v == pytest.approx(min(story_similarity(profiles[i], profiles[j]), 1.0), abs=1e-12)
