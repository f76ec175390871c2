"""review.html (cleaner.review): every cut shown in place, escaped, filterable; checked in a real browser."""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
import shutil
import subprocess
from dataclasses import replace
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from cleaner.config import CleanConfig
from cleaner.discover import discover
from cleaner.pipeline import run_document, stages
from cleaner.publish import PublishReport
from cleaner.record import Article, Block, BlockKind, Format, Meta, Removal
from cleaner.report import review_line, summary_markdown
from cleaner.review import REVIEW_FILE, ReviewPage, in_page_order, render
from cleaner.rules import load_rules
from cleaner.run import run
from cleaner.sites import cut as site_cut
from cleaner.sites import learn, observe
from cleaner.strip import strip
from tests.conftest import RAW, ROOT, blocks_of
from tests.hostile import FORMULA
from tests.test_sites import PODCAST, TOPICS
from tests.test_sites import story as site_story
from tests.test_strip import STORY

SEEDS = ("000_", "001_", "002_", "003_", "004_")
DOCS_SCREENSHOT = ROOT / "docs" / "review-page.png"
P, H, L, T = BlockKind.PARAGRAPH, BlockKind.HEADING, BlockKind.LIST_ITEM, BlockKind.TITLE


def article(id: str, blocks: list[tuple[BlockKind, str]], removals: list[Removal], **meta) -> Article:
    return Article(id=id, source=f"{id}.txt", format=Format.TEXT, input_format="text",
                   blocks=tuple(Block(k, t) for k, t in blocks), removals=tuple(removals), meta=Meta(**meta))


def soup(page: str) -> BeautifulSoup:
    return BeautifulSoup(page, "html.parser")


# --- where each cut stood ---------------------------------------------------------------------

def test_kept_blocks_fill_the_positions_no_cut_holds():
    a = article("a", [(T, "Title"), (P, "one"), (P, "two")],
                [Removal("cookie", "cookie.x", "We use cookies", index=1),
                 Removal("share", "share.bar", "Share", index=4),
                 Removal("unclassified", "unclassified.not_main_text", "left out")])
    assert a.block_positions() == (0, 2, 3)
    text, around = in_page_order(a)
    assert [x.text for x in text] == ["Title", "We use cookies", "one", "two", "Share"]
    assert [type(x).__name__ for x in text] == ["Block", "Removal", "Block", "Block", "Removal"]
    assert [r.text for r in around] == ["left out"]


def test_strip_records_where_each_cut_stood(rules):
    dump = "\n\n".join(["Council Passes Budget", "Home » News » Local news » Council Passes Budget",
                        "We use cookies to personalise content and ads and to analyse our traffic.",
                        *STORY[:2], "Advertisement", *STORY[2:], "Leave a Comment", "Facebook Twitter WhatsApp Email"])
    extracted = blocks_of(dump, rules)
    stripped = strip(extracted, rules, 0)
    assert isinstance(stripped, Article)
    assert len(stripped.removals) >= 4 and all(r.index >= 0 for r in stripped.removals)
    assert "Advertisement" in {r.text for r in stripped.removals}  # a cut between kept blocks
    text, around = in_page_order(stripped)
    assert [x.text for x in text] == [b.text for b in extracted.blocks]
    assert around == []
    assert [x.text for x in text if isinstance(x, Block)] == [b.text for b in stripped.blocks]


def test_site_cuts_after_strip_keep_the_original_order():
    articles = [site_story(t, PODCAST, f"Our reporter on {t}.") for t in TOPICS[:3]]  # the last block kept
    registry = learn([f"story-{a.id}" for a in articles], [observe(a) for a in articles], 3)
    # As strip leaves it: a cookie line that stood second in the text as extracted is gone.
    first = replace(articles[0], removals=(Removal("cookie", "cookie.x", "We use cookies.", index=1),))
    result = site_cut(first, registry)
    (site,) = [r for r in result.removals if r.category == "site_repeated"]
    assert (site.text, site.index) == (PODCAST, 5)  # title, cookie, 3 paragraphs, then the podcast line
    text, _ = in_page_order(result)
    blocks = [b.text for b in articles[0].blocks]
    assert [x.text for x in text] == [blocks[0], "We use cookies.", *blocks[1:]]


@pytest.fixture(scope="module")
def extracted_and_stripped():
    """Every input of raw/ as first extracted, and as strip left it (the per-article stages, no tag)."""
    config = CleanConfig(raw_dir=str(RAW))
    chain = stages(config, load_rules())
    names = [name for name, _ in chain]
    upto_extract, upto_strip = chain[:names.index("extract") + 1], chain[:names.index("strip") + 1]
    pairs = []
    for source in discover(RAW).articles:
        first = run_document(source, upto_extract, strict=True)
        last = run_document(source, upto_strip, strict=True)
        if isinstance(first, Article) and isinstance(last, Article):
            pairs.append((first, last))
    return pairs


def test_every_raw_input_reads_back_as_first_extracted(extracted_and_stripped):
    """HTML pages, text dumps and crawler records: kept and cut blocks in page order are the
    text as first extracted, whatever extract and strip cut."""
    assert len(extracted_and_stripped) >= 20
    placed = 0
    for first, last in extracted_and_stripped:
        text, around = in_page_order(last)
        assert [x.text for x in text] == [x.text for x in in_page_order(first)[0]], last.source
        assert all(r.index < 0 for r in around)
        placed += sum(isinstance(x, Removal) for x in text)
    assert placed > 100


# --- the page ------------------------------------------------------------------------------------

def sample() -> list[Article]:
    return [
        article("a1", [(T, "Council passes budget"), (P, "The council voted."), (L, "Roads"), (P, "More later.")],
                [Removal("cookie", "cookie.site_uses_cookies", "We use cookies.", index=1),
                 Removal("related", "related.marker", "Read more", index=4),
                 Removal("related", "related.marker", "Another teaser", index=5),
                 Removal("unclassified", "unclassified.not_main_text", "Footer text")],
                title="Council passes budget", site="The Ledger"),
        article("a2", [(P, "Floods in the south."), (H, "What next")],
                [Removal("donation", "donation.support_us", "Support us!", (("site", "Gazette"),), index=0)],
                title="Floods", url="https://www.gazette.example/floods"),
        article("a3", [(P, "No cuts at all here.")], []),
    ]


def test_every_cut_is_on_the_page_with_its_rule_and_category():
    page = soup(render(sample()))
    cuts = page.select("div.cut")
    removals = [r for a in sample() for r in a.removals]
    assert len(cuts) == len(removals)
    for removal in removals:
        found = [c for c in cuts if c.find("del") and c.find("del").get_text() == removal.text]
        assert len(found) == 1, removal
        (cut,) = found
        assert f"cat-{removal.category}" in cut["class"]
        assert (cut["data-category"], cut["data-rule"]) == (removal.category, removal.rule_id)
        assert removal.rule_id in cut.select_one(".rule").get_text()
        assert removal.rule_id in cut["title"]
    assert "site=Gazette" in page.select_one('[data-rule="donation.support_us"]')["title"]


def test_cuts_stand_in_place_and_kept_text_is_not_struck_through():
    page = soup(render(sample()))
    first = page.select_one("section#a-a1 .text")
    sequence = [(x.name, x.get_text()) for x in first.find_all(["p", "div"], recursive=False)]
    assert sequence == [("p", "Council passes budget"), ("div", "cookie · cookie.site_uses_cookiesWe use cookies."),
                        ("p", "The council voted."), ("p", "Roads"), ("div", "related · related.markerRead more"),
                        ("div", "related · related.markerAnother teaser"), ("p", "More later.")]
    assert [d.find("del").get_text() for d in page.select("section#a-a1 .around .cut")] == ["Footer text"]
    kept = page.select("p.kept")
    assert [p.get_text() for p in kept] == [b.text for a in sample() for b in a.blocks]
    for p in kept:
        assert p.find(["del", "s", "strike"]) is None and p.find_parent(["del", "s", "strike"]) is None
        assert p.find_parent(class_="cut") is None
    assert "kind-list_item" in page.find("p", string="Roads")["class"]


def test_each_article_is_a_section_with_title_site_and_ids():
    page = soup(render(sample()))
    sections = page.select("main > section.article")
    assert [s["id"] for s in sections] == ["a-a1", "a-a2", "a-a3"]
    assert [s["data-site"] for s in sections] == ["The Ledger", "gazette.example", ""]  # the url's host when no name
    assert [s.h2.get_text() for s in sections] == ["Council passes budget", "Floods", "(no title)"]
    assert "a1.txt" in sections[0].select_one(".meta").get_text()
    assert sections[0].select_one(".meta code").get_text() == "a1"


def test_filters_offer_exactly_what_is_on_the_page():
    page = soup(render(sample()))

    def options(name: str) -> list[str]:
        return [o["value"] for o in page.select(f"select#f-{name} option")]

    assert options("site") == ["*", "", "The Ledger", "gazette.example"]
    assert options("category") == ["*", "cookie", "donation", "related", "unclassified"]
    assert options("rule") == ["*", "cookie.site_uses_cookies", "donation.support_us", "related.marker",
                               "unclassified.not_main_text"]
    assert page.select_one('select#f-rule option[value="related.marker"]').get_text() == "related.marker (2)"
    assert [li.get_text() for li in page.select(".legend li")] == ["cookie", "donation", "related", "unclassified"]


HOSTILE = [
    "<script>alert(1)</script>", '"><img src=x onerror=alert(1)>', "</section></main><h1>forged</h1>",
    "<!-- unclosed comment", "]]></style></script><style>*{display:none}</style>", "&amp; &lt; &#0; &#x27;",
    "javascript:alert(document.cookie)", "\u202eRTL override\u202c", "NUL\x00 BEL\x07 ESC\x1b DEL\x7f",
    "lone surrogate \ud800 here", "emoji 🎉 and 中文", FORMULA,
]


def test_hostile_text_stays_text():
    evil = HOSTILE
    a = Article(
        id=evil[1], source=evil[2], format=Format.TEXT, input_format="text",
        blocks=tuple(Block(P, t) for t in evil),
        removals=tuple(Removal(t, t, t, ((t, t),), index=len(evil) + n) for n, t in enumerate(evil)),
        meta=Meta(title=evil[0], site=evil[3]), duplicate_of=evil[4], duplicate_kind=evil[5],
    )
    page = render([a])
    parsed = soup(page)
    allowed = {"html", "head", "meta", "title", "style", "body", "header", "h1", "p", "form", "label", "select",
               "option", "input", "output", "ul", "li", "span", "main", "section", "h2", "h3", "code", "div", "del",
               "a", "script"}
    assert {t.name for t in parsed.find_all(True)} <= allowed
    assert len(parsed.find_all("script")) == 1 and len(parsed.find_all("style")) == 1
    assert not parsed.find_all("img") and "<!-- unclosed" not in page
    assert all(not k.startswith("on") for t in parsed.find_all(True) for k in t.attrs)
    shown = [p.get_text() for p in parsed.select("p.kept")]
    assert shown[:8] == evil[:8]  # markup, entities and bidi controls come back as the same text
    assert shown[8] == "NUL␀ BEL␇ ESC␛ DEL␡"  # control characters are shown as their symbols
    assert shown[9] == "lone surrogate \ufffd here" and shown[10:] == evil[10:]
    assert [d.get_text() for d in parsed.select("div.cut del")] == shown
    assert parsed.select_one("section")["data-site"] == evil[3] and parsed.h2.get_text() == evil[0]
    page.encode("utf-8")  # writable as UTF-8: no lone surrogate left


def test_the_page_is_self_contained_deterministic_and_its_policy_allows_only_its_own_code():
    page = render(sample())
    assert page == render(sample())
    assert not re.search(r"""(?:src|href)\s*=\s*["']?(?!#)""", page)  # no external asset; links only to #a-...
    assert "http://" not in page and "https://" not in page.replace("https://www.gazette.example", "")
    parsed = soup(page)
    policy = parsed.find("meta", attrs={"http-equiv": "Content-Security-Policy"})["content"]
    assert policy.startswith("default-src 'none'")
    for tag in ("script", "style"):
        digest = base64.b64encode(hashlib.sha256(parsed.find(tag).string.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in policy


def test_a_large_run_shows_the_first_articles_and_says_how_many_more():
    many = [replace(sample()[0], id=f"id{n:03d}", source=f"{n:03d}.txt") for n in range(30)]
    page = soup(render(many, limit=10))
    assert [s["id"] for s in page.select("section.article")] == [f"a-id{n:03d}" for n in range(10)]
    assert "Showing the first 10 of 30 articles" in page.select_one(".note").get_text()
    streamed = ReviewPage(10)
    for a in many:
        streamed.add(a)
    assert streamed.html() == render(many, limit=10)
    assert len(soup(render(many, limit=0)).select("section")) == 0


def test_a_duplicate_is_marked_and_links_to_its_canonical():
    copy = replace(sample()[1], id="c1", duplicate_of="a2", duplicate_kind="near")
    section = soup(render([*sample(), copy])).select_one("section#a-c1")
    assert "near duplicate of a2" in section.select_one(".meta").get_text()
    assert section.select_one(".meta a")["href"] == "#a-a2"


def test_the_run_summary_links_to_the_review_page(tmp_path):
    counts = {"inputs": 0, "files": 0, "published": 0, "duplicates": 0, "rejects": 0}
    summary = summary_markdown(PublishReport(str(tmp_path / "clean"), "run", counts, {}), [])
    line = review_line(str(tmp_path / "clean"))
    assert line in summary.splitlines()
    assert f"({(tmp_path / 'clean' / REVIEW_FILE).as_uri()})" in line
    assert str(tmp_path / "clean" / REVIEW_FILE) in line
    assert "s3://bucket/clean/manifest.json" in review_line("s3://bucket/clean/")


# --- in a real browser ---------------------------------------------------------------------------

@pytest.fixture(scope="module")
def seed_run(tmp_path_factory):
    """The five seed articles through the library's run: clean/review.html and clean/removals.jsonl."""
    root = tmp_path_factory.mktemp("review")
    raw = root / "raw"
    raw.mkdir()
    for path in RAW.iterdir():
        if path.name.startswith(SEEDS):
            shutil.copy(path, raw / path.name)
    result = run(CleanConfig(raw_dir=str(raw), out_dir=str(root / "clean")), strict=True, run_id="review")
    assert result.report.counts["inputs"] == 5
    return root


def browser(tmp: Path):
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        pytest.skip("Debian's chromium is not installed here (.ci/run installs it)")

    def browse(url: str, *action: str, size: str = "1400,2000") -> str:
        return subprocess.run(
            [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
             "--disable-component-update", "--disable-sync", "--no-first-run", f"--user-data-dir={tmp / 'profile'}",
             f"--window-size={size}", *action, url],
            check=True, capture_output=True, text=True, timeout=120,
        ).stdout

    return browse


def visible_cuts(dom: BeautifulSoup) -> list:
    return [c for c in dom.select("div.cut") if not c.find_parent(hidden=True) and not c.has_attr("hidden")]


@pytest.mark.slow  # headless Chromium
def test_the_review_page_shows_the_seeds_removals_in_a_headless_browser(seed_run, tmp_path):
    browse = browser(tmp_path)
    page = seed_run / "clean" / REVIEW_FILE
    removals = [json.loads(line) for line in (seed_run / "clean" / "removals.jsonl").read_text().splitlines()]
    assert len(removals) >= 10

    # The DOM after the page's script ran: every removal of removals.jsonl is there, visible,
    # struck through, with its rule id and category.
    dom_text = browse(page.as_uri(), "--dump-dom")
    (tmp_path / "dom.html").write_text(dom_text, encoding="utf-8")
    dom = soup(dom_text)
    shown = visible_cuts(dom)
    assert sorted((c["data-category"], c["data-rule"], c.find("del").get_text()) for c in shown) == \
        sorted((r["category"], r["rule_id"], r["text"]) for r in removals), f"see {tmp_path / 'dom.html'}"
    assert all(c.select_one(".rule").get_text() == f"{c['data-category']} · {c['data-rule']}" for c in shown)
    assert len(dom.select("section.article:not([hidden])")) == 5
    assert dom.select_one("#shown").get_text() == f"5 of 5 articles, {len(removals)} cuts shown"

    # A filter in the URL: only donation cuts, only the articles that have one.
    filtered = soup(browse(page.as_uri() + "#category=donation", "--dump-dom"))
    donations = [r for r in removals if r["category"] == "donation"]
    assert donations and {c["data-category"] for c in visible_cuts(filtered)} == {"donation"}
    assert len(visible_cuts(filtered)) == len(donations)
    assert [s["id"] for s in filtered.select("section.article:not([hidden])")] == \
        sorted({f"a-{r['article_id']}" for r in donations})
    assert "1 of 5 articles" in filtered.select_one("#shown").get_text()

    # A site and a rule together, kept text hidden.
    both = soup(browse(page.as_uri() + "#site=Newslex%20Point&rule=related.marker&kept=0", "--dump-dom"))
    wanted = [r for r in removals if r["rule_id"] == "related.marker" and r["source"].startswith("003_")]
    assert len(wanted) >= 2 and len(visible_cuts(both)) == len(wanted)
    assert {c.find_parent("section")["data-site"] for c in visible_cuts(both)} == {"Newslex Point"}
    assert "no-kept" in both.body["class"]

    shot = tmp_path / "review.png"
    browse(page.as_uri(), f"--screenshot={shot}")
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert shot.stat().st_size > 30_000  # a rendered page, not a blank one
    if os.environ.get("CLEANER_UPDATE_DOCS_SCREENSHOT"):
        # The docs show the seed with the most cuts (003, Newslex Point), made small by pngquant.
        docs = tmp_path / "docs.png"
        browse(page.as_uri() + "#site=Newslex%20Point", f"--screenshot={docs}")
        if shutil.which("pngquant"):
            subprocess.run(["pngquant", "--quality=70-95", "--speed=1", "--force", "--output", str(DOCS_SCREENSHOT),
                            str(docs)], check=True)
        else:
            shutil.copy(docs, DOCS_SCREENSHOT)
