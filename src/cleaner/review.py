"""Cleaned articles -> one self-contained HTML page that shows every cut in place (clean/review.html).

Editors judge a cleaner by looking, not by reading removals.jsonl. Each article (published
or duplicate, as removals.jsonl lists them) is a <section>: its title, site, id and source,
then its text as first extracted, kept blocks
plain and cut blocks in place, struck through, coloured by category and labelled with the
rule that cut them. Cuts with no place in that text (HTML elements and text the extractor
left out: Removal.index is -1) follow, under their own heading. Select boxes filter by site,
category and rule; the page reads and writes its filter in the URL's fragment
(review.html#category=donation&rule=donation.appeal&site=...&kept=0), so a filtered view can be
linked to.

One file: inline CSS and script, no external asset, no network (a Content-Security-Policy
allows only the page's own style and script, by hash). All page text is escaped. The page is
deterministic: the same articles give the same bytes. Large runs: the page holds the first
`limit` articles (publishing order) and says how many more there are;
removals.jsonl has every cut. Sections are laid out lazily by the browser
(content-visibility), so a page of a thousand articles stays responsive.
"""

from __future__ import annotations

import hashlib
import html
import re
from base64 import b64encode
from collections import Counter
from collections.abc import Iterable
from urllib.parse import urlsplit

from cleaner.record import Article, Block, Removal

REVIEW_FILE = "review.html"
LIMIT = 500  # articles on the page by default (CleanConfig.review_articles): ~10 KB each
ALL = "*"  # the select boxes' value for "any"

# Stable colours for the known categories, so that a category looks the same run after run;
# any other category gets a hue from its name.
COLOURS = {
    "cookie": "#b45309", "donation": "#be123c", "related": "#1d4ed8", "comments": "#7c3aed",
    "breadcrumb": "#0f766e", "navigation": "#4d7c0f", "share": "#ea580c", "newsletter": "#c026d3",
    "author_bio": "#0284c7", "advertising": "#854d0e", "legal": "#57534e", "byline": "#16a34a",
    "repeated_title": "#db2777", "hidden": "#334155", "unclassified": "#6b7280", "block_shape": "#0891b2",
    "outside_story": "#4338ca", "site_repeated": "#65a30d", "repeated_text": "#9d174d",
    "leftover": "#a21caf",
}
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")


def in_page_order(article: Article) -> tuple[list[Block | Removal], list[Removal]]:
    """(the article's text as first extracted: kept blocks and the cut ones in their places,
    the cuts that have no place in it). Kept blocks stand at article.block_positions(), cut
    ones at their Removal.index; the two never share a position."""
    placed = [r for r in article.removals if r.index >= 0]
    around = [r for r in article.removals if r.index < 0]
    items: list[tuple[int, int, Block | Removal]] = [(r.index, 0, r) for r in placed]
    items += [(p, 1, b) for p, b in zip(article.block_positions(), article.blocks)]
    items.sort(key=lambda item: (item[0], item[1]))
    return [item for _, _, item in items], around


def site_label(article: Article) -> str:
    """The site an editor filters by: the site's name, else the url's host without 'www.'; '' when unknown."""
    if article.meta.site:
        return article.meta.site
    return (urlsplit(article.meta.url).hostname or "").removeprefix("www.") if article.meta.url else ""


class ReviewPage:
    """The page built one article at a time (publish streams the articles once): sections for
    the first `limit` articles, a count of the rest."""

    def __init__(self, limit: int = LIMIT) -> None:
        self.limit = max(limit, 0)
        self.sections: list[str] = []
        self.total = 0
        self.duplicates = 0
        self.sites: set[str] = set()
        self.categories: Counter[str] = Counter()
        self.rules: Counter[str] = Counter()

    def add(self, article: Article) -> None:
        """One article, published or a duplicate (its duplicate_of set), in publishing order."""
        self.total += 1
        self.duplicates += article.duplicate_of is not None
        if len(self.sections) >= self.limit:
            return
        site = site_label(article)
        self.sites.add(site)
        for removal in article.removals:
            self.categories[removal.category] += 1
            self.rules[removal.rule_id] += 1
        self.sections.append(_section(article, site))

    def html(self) -> str:
        shown = len(self.sections)
        cuts = sum(self.categories.values())
        counted = (f"{self.total:,} articles ({self.total - self.duplicates:,} published, "
                   f"{self.duplicates:,} duplicates, marked as such)")
        if shown < self.total:
            note = f"Showing the first {shown:,} of {counted} (setting review_articles); removals.jsonl has every cut."
        else:
            note = f"{counted}."
        head = [
            "<header class=\"top\">",
            "<h1>What the cleaner cut</h1>",
            f"<p class=\"note\">{_esc(note)} {cuts:,} cuts, each struck through where it stood in the text, "
            "coloured by category and labelled with its rule.</p>",
            "<form class=\"filters\" id=\"filters\">",
            _select("site", "Site", [(s, s or "(no site)") for s in sorted(self.sites)]),
            _select("category", "Category", [(c, f"{c} ({n})") for c, n in sorted(self.categories.items())]),
            _select("rule", "Rule", [(r, f"{r} ({n})") for r, n in sorted(self.rules.items())]),
            "<label><input type=\"checkbox\" id=\"f-kept\" checked> kept text</label>",
            "<output id=\"shown\"></output>",
            "</form>",
            "<ul class=\"legend\">",
            *(f"<li class=\"cat-{_slug(c)}\"><span class=\"swatch\"></span>{_esc(c)}</li>"
              for c in sorted(self.categories)),
            "</ul>",
            "</header>",
        ]
        style = _STYLE + "".join(f".cat-{_slug(c)}{{--c:{_colour(c)}}}" for c in sorted(self.categories))
        policy = (f"default-src 'none'; style-src '{_hash(style)}'; script-src '{_hash(_SCRIPT)}'; "
                  "img-src 'none'; form-action 'none'; base-uri 'none'")
        return "\n".join([
            "<!DOCTYPE html>",
            "<html lang=\"en\">",
            "<head>",
            "<meta charset=\"utf-8\">",
            f"<meta http-equiv=\"Content-Security-Policy\" content=\"{policy}\">",
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">",
            "<meta name=\"referrer\" content=\"no-referrer\">",
            "<title>cleaner: what was cut</title>",
            f"<style>{style}</style>",
            "</head>",
            "<body>",
            *head,
            "<main>",
            *self.sections,
            "</main>",
            f"<script>{_SCRIPT}</script>",
            "</body>",
            "</html>",
            "",
        ])


def render(articles: Iterable[Article], limit: int = LIMIT) -> str:
    """The review page of these articles (in publishing order, duplicates too): the first `limit`."""
    page = ReviewPage(limit)
    for article in articles:
        page.add(article)
    return page.html()


def _section(article: Article, site: str) -> str:
    blocks, around = in_page_order(article)
    title = article.meta.title or "(no title)"
    chars = sum(len(r.text) for r in article.removals)
    copy = ""
    if article.duplicate_of is not None:
        copy = (f" · <span class=\"copy\">{_esc(article.duplicate_kind or '')} duplicate of "
                f"<a href=\"#a-{_esc(article.duplicate_of)}\">{_esc(article.duplicate_of)}</a></span>")
    parts = [
        f"<section class=\"article\" id=\"a-{_esc(article.id)}\" data-site=\"{_esc(site)}\">",
        f"<h2>{_esc(title)}</h2>",
        f"<p class=\"meta\"><span class=\"site\">{_esc(site or '(no site)')}</span> · "
        f"<code class=\"id\">{_esc(article.id)}</code> · <span class=\"source\">{_esc(_name(article))}</span> · "
        f"{len(article.removals)} cuts, {chars:,} characters{copy}</p>",
        "<div class=\"text\">",
        *(_cut(item) if isinstance(item, Removal) else _kept(item) for item in blocks),
        "</div>",
    ]
    if around:
        parts += ["<div class=\"around\">",
                  "<h3>Cut from the page around the extracted text (no place in it)</h3>",
                  *(_cut(r) for r in around), "</div>"]
    parts.append("</section>")
    return "\n".join(parts)


def _kept(block: Block) -> str:
    return f"<p class=\"kept kind-{block.kind.value}\">{_esc(block.text)}</p>"


def _cut(removal: Removal) -> str:
    facts = "".join(f"; {k}={v}" for k, v in removal.facts)
    tip = f"{removal.category} · {removal.rule_id}{facts}"
    return (f"<div class=\"cut cat-{_slug(removal.category)}\" data-category=\"{_esc(removal.category)}\" "
            f"data-rule=\"{_esc(removal.rule_id)}\" title=\"{_esc(tip)}\">"
            f"<span class=\"rule\">{_esc(removal.category)} · {_esc(removal.rule_id)}</span>"
            f"<del>{_esc(removal.text)}</del></div>")


def _select(name: str, label: str, options: list[tuple[str, str]]) -> str:
    items = "".join(f"<option value=\"{_esc(value)}\">{_esc(text)}</option>" for value, text in options)
    return (f"<label>{label} <select id=\"f-{name}\" data-filter=\"{name}\">"
            f"<option value=\"{ALL}\">all</option>{items}</select></label>")


def _name(article: Article) -> str:
    return article.source if article.record is None else f"{article.source}#{article.record}"


def _esc(text: str) -> str:
    """Text safe in an element or a quoted attribute; control characters shown as their symbols."""
    return html.escape(_CONTROL.sub(_control_picture, text), quote=True)


def _control_picture(match: re.Match) -> str:
    """U+2400 ... U+241F for C0 controls ('␀', '␛'), U+2421 for DEL, U+FFFD for a lone surrogate."""
    code = ord(match.group())
    if code >= 0xD800:
        return "\ufffd"
    return chr(0x2421 if code == 0x7F else 0x2400 + code)


def _slug(category: str) -> str:
    """A class name for a category: rule categories are snake_case already; anything else is
    made safe and told apart by a short hash."""
    if re.fullmatch(r"[a-z0-9_]+", category):
        return category
    digest = hashlib.sha256(category.encode("utf-8", "surrogatepass")).hexdigest()[:8]
    return re.sub(r"[^a-z0-9_]", "_", category.lower())[:40] + "-" + digest


def _colour(category: str) -> str:
    if category in COLOURS:
        return COLOURS[category]
    hue = int(hashlib.sha256(category.encode("utf-8", "surrogatepass")).hexdigest()[:4], 16) % 360
    return f"hsl({hue} 55% 38%)"


def _hash(source: str) -> str:
    return "sha256-" + b64encode(hashlib.sha256(source.encode()).digest()).decode()


_STYLE = """
:root{font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1f2328;background:#f6f8fa}
body{margin:0}
[hidden]{display:none!important}
.top{position:sticky;top:0;z-index:1;background:#fff;border-bottom:1px solid #d0d7de;padding:.6rem 1.5rem}
h1{font-size:1.3rem;margin:0 0 .2rem}
.note{margin:0 0 .4rem;color:#57606a;font-size:.9rem}
.filters{display:flex;flex-wrap:wrap;gap:.4rem 1.2rem;align-items:center;font-size:.9rem}
.filters select{max-width:22rem}
#shown{color:#57606a}
.legend{display:flex;flex-wrap:wrap;gap:.2rem .9rem;list-style:none;margin:.4rem 0 0;padding:0;font-size:.8rem}
.swatch{display:inline-block;width:.8rem;height:.8rem;border-radius:2px;background:var(--c);margin-right:.3rem;vertical-align:-.1rem}
main{max-width:60rem;margin:0 auto;padding:1rem 1.5rem}
.article{background:#fff;border:1px solid #d0d7de;border-radius:6px;padding:.8rem 1.2rem;margin:0 0 1.2rem;
content-visibility:auto;contain-intrinsic-size:auto 40rem}
h2{font-size:1.15rem;margin:0}
h3{font-size:.9rem;color:#57606a;margin:1rem 0 .3rem}
.meta{color:#57606a;font-size:.85rem;margin:.1rem 0 .6rem}
.copy{color:#9a6700;font-weight:600}
.kept,.cut{margin:.35rem 0;white-space:pre-wrap;overflow-wrap:anywhere;unicode-bidi:plaintext}
.kind-title{font-weight:700;font-size:1.05rem}
.kind-heading{font-weight:600}
.kind-list_item{padding-left:1.2rem;text-indent:-.8rem}
.kind-list_item::before{content:"• "}
.kind-quote{border-left:3px solid #d0d7de;padding-left:.7rem;color:#424a53}
.cut{--c:#6b7280;border-left:4px solid var(--c);background:color-mix(in srgb,var(--c) 10%,#fff);padding:.15rem .5rem;
color:color-mix(in srgb,var(--c) 70%,#000)}
.cut del{text-decoration:line-through;text-decoration-color:var(--c);text-decoration-thickness:2px}
.rule{display:inline-block;font:600 .7rem/1.4 ui-monospace,SFMono-Regular,Menlo,monospace;color:#fff;background:var(--c);
border-radius:3px;padding:0 .35rem;margin-right:.45rem;vertical-align:.1rem;white-space:nowrap;unicode-bidi:isolate}
.no-kept .kept{display:none}
"""  # noqa: E501 (review.html's stylesheet, byte for byte: a wrap would change the page)

_SCRIPT = """
(function () {
  "use strict";
  var names = ["site", "category", "rule"];
  var boxes = {};
  names.forEach(function (n) { boxes[n] = document.getElementById("f-" + n); });
  var kept = document.getElementById("f-kept");
  var shown = document.getElementById("shown");
  var sections = Array.prototype.slice.call(document.querySelectorAll("section.article"));

  function fromFragment() {
    var wanted = new URLSearchParams(location.hash.slice(1));
    names.forEach(function (n) {
      var value = wanted.has(n) ? wanted.get(n) : "*";
      var known = Array.prototype.some.call(boxes[n].options, function (o) { return o.value === value; });
      boxes[n].value = known ? value : "*";
    });
    kept.checked = wanted.get("kept") !== "0";
  }

  function toFragment() {
    var state = new URLSearchParams();
    names.forEach(function (n) { if (boxes[n].value !== "*") { state.set(n, boxes[n].value); } });
    if (!kept.checked) { state.set("kept", "0"); }
    var fragment = state.toString();
    try {
      history.replaceState(null, "", fragment ? "#" + fragment : location.pathname + location.search);
    } catch (e) { /* a browser that refuses it for file: pages keeps the filter, not the link */ }
  }

  function apply() {
    var site = boxes.site.value, category = boxes.category.value, rule = boxes.rule.value;
    var cutFilter = category !== "*" || rule !== "*";
    var articles = 0, cuts = 0;
    sections.forEach(function (section) {
      var visible = 0;
      Array.prototype.forEach.call(section.querySelectorAll(".cut"), function (cut) {
        var match = (category === "*" || cut.dataset.category === category) &&
                    (rule === "*" || cut.dataset.rule === rule);
        cut.hidden = !match;
        if (match) { visible += 1; }
      });
      var around = section.querySelector(".around");
      if (around) { around.hidden = !around.querySelector(".cut:not([hidden])"); }
      var show = (site === "*" || section.dataset.site === site) && (!cutFilter || visible > 0);
      section.hidden = !show;
      if (show) { articles += 1; cuts += visible; }
    });
    document.body.classList.toggle("no-kept", !kept.checked);
    shown.textContent = articles + " of " + sections.length + " articles, " + cuts + " cuts shown";
  }

  function changed() { apply(); toFragment(); }
  names.forEach(function (n) { boxes[n].addEventListener("change", changed); });
  kept.addEventListener("change", changed);
  window.addEventListener("hashchange", function () { fromFragment(); apply(); });
  fromFragment();
  apply();
})();
"""
