"""A deterministic benchmark corpus with ground truth for duplicates and stories.

    uv run --frozen python benchmarks/corpus.py /tmp/bench/raw-10000 -n 10000 [--seed 7] [--jobs 2]

Writes N documents under the folder (which must be absent or empty): about 45% HTML pages in a
dozen site templates (consent banners, donation/paywall boxes, related widgets, comments,
share bars, breadcrumbs, newsletter forms, author boxes, menus, footers), 35% plain-text page
dumps (the same chrome flattened to lines, like raw/00*.txt) and 20% JSON-lines records in
files of up to 1,000 records. Beside the corpus (never inside it, so the pipeline does not
read it) it writes FOLDER.truth.jsonl: one line per document,

    {"source": "html/0003/h0003417.html", "record": null, "id": "...", "format": "html",
     "story": "s3-0017", "text": "s3-0017-w1", "copy": "original" | "exact" | "rechrome" |
     "edited" | "truncated", "of": "<source[#record] of the original>" | null}

`id` is cleaner.discover.article_id(source, record). Two documents with the same `text` are
duplicates (exact when both bodies are identical, near otherwise); documents with the same
`story` report one event (same names, place and date window) in different words.

Every story is generated from a seeded grammar over invented names (people, places,
organisations built from syllables, so each event has its own rare proper nouns), real
topic vocabulary and varied sentence shapes; 300-900 words. The corpus is cut into chunks of
5,000 documents, each generated from (seed, chunk) alone, so --jobs does not change a byte.
Files stream to disk; memory stays flat. Speed: about 2,000 documents/s per core.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import sys
import time
from dataclasses import dataclass
from multiprocessing import Pool
from pathlib import Path

CHUNK = 5_000
JSONL_RECORDS = 1_000
PER_FOLDER = 1_000

# --- vocabulary ------------------------------------------------------------------------------

_ONSET = ("b br c ch cr d dr f fl g gr h j k kl l m n p pr qu r s sh st t th tr v w z "
          "b c d f g h k l m n p r s t v").split()
_VOWEL = "a e i o u a e i o ai ea ou ie".split()
_CODA = ("", "", "", "n", "r", "l", "s", "th", "nd", "rk", "m", "x", "st", "v", "sk")
FIRST = ("Amara Bruno Camila Dmitri Elena Farid Greta Hiroshi Ines Jonas Kavya Lars Mei Nadia Omar "
         "Priya Rafael Sofia Tomas Ulla Viktor Wen Yusuf Zara Aiden Beatriz Conor Dalia Emeka Freya "
         "Gustavo Hana Idris Julia Kenji Leila Marco Nia Oskar Paula Quentin Rosa Samir Tara Uma "
         "Valentina Walter Ximena Yara Zoltan Anika Bilal Clara Diego Esther Felix Gloria Hugo").split()
TITLES = ("Mayor", "Governor", "Minister", "Senator", "Chief Executive", "Police Chief", "Professor",
          "Judge", "Commissioner", "President", "Councillor", "Director")
ORG_KIND = ("Council", "Authority", "Institute", "Holdings", "Union", "Agency", "Foundation", "Party",
            "Bank", "University", "Energy", "Group", "Ministry of Transport", "Port Authority")
TOPICS = {
    "politics": ("election", "budget", "coalition", "referendum", "reform bill", "vote of confidence",
                 "tax plan", "housing policy", "campaign", "parliament session"),
    "business": ("merger", "takeover bid", "factory", "quarterly earnings", "investment", "strike",
                 "supply contract", "bond issue", "expansion", "layoffs"),
    "science": ("telescope", "vaccine trial", "research grant", "fossil discovery", "satellite launch",
                "climate study", "gene study", "drought survey", "reactor", "observatory"),
    "local": ("bridge repair", "school closure", "library", "flood defences", "bus route", "festival",
              "hospital wing", "water main", "road closure", "park renovation"),
    "sport": ("championship", "transfer", "stadium", "final", "coaching change", "marathon",
              "relegation battle", "cup tie", "injury", "record attempt"),
    "world": ("summit", "ceasefire", "trade agreement", "border dispute", "state visit", "aid package",
              "sanctions", "election monitoring", "peace talks", "embassy"),
}
EVENT_VERB = ("held talks", "met", "signed an agreement", "announced a plan", "opened", "visited",
              "gathered", "convened", "hosted a meeting")
ADJ = ("significant", "contentious", "long-awaited", "unexpected", "modest", "ambitious", "costly",
       "historic", "controversial", "widely criticised", "cautious", "sweeping", "fragile", "overdue",
       "bold", "narrow", "temporary", "lasting", "early", "final")
NOUN = ("officials", "residents", "analysts", "critics", "supporters", "investors", "engineers", "teachers",
        "farmers", "workers", "students", "doctors", "lawyers", "diplomats", "observers", "economists",
        "planners", "volunteers", "shop owners", "commuters", "negotiators", "auditors", "regulators")
VERB = ("warned", "argued", "said", "insisted", "suggested", "noted", "acknowledged", "claimed",
        "cautioned", "stressed", "predicted", "conceded", "maintained", "estimated", "reported")
CONCERN = ("the cost of the project", "the timetable", "the lack of consultation", "rising prices",
           "the environmental impact", "the legal basis", "the funding gap", "public safety",
           "the number of jobs at stake", "the effect on local businesses", "transparency",
           "the weather forecast", "the pace of construction", "staff shortages", "the interest rate",
           "the risk of delays", "the response from neighbouring regions", "data protection")
TIMEWORD = ("on Monday", "on Tuesday", "on Wednesday", "on Thursday", "on Friday", "late on Sunday",
            "earlier this week", "last month", "in the spring", "over the weekend", "this morning",
            "after weeks of negotiation", "before the deadline", "by the end of the year")
CONNECT = ("However,", "Meanwhile,", "At the same time,", "In response,", "Separately,", "Even so,",
           "According to the statement,", "By contrast,", "In a brief interview,", "Later,", "Still,")
QUOTE = ("We have waited long enough", "This is a turning point for the region", "Nobody expected it to be easy",
         "The numbers simply do not add up", "We will keep listening to people", "It is a fair compromise",
         "There is still a lot of work ahead", "The decision was not taken lightly", "We owe it to the next generation",
         "Details will follow in the coming weeks", "It changes nothing on the ground", "We are cautiously optimistic")
MONTHS = ("January February March April May June July August September October November December").split()


def coin(rng: random.Random, syllables: int) -> str:
    return "".join(rng.choice(_ONSET) + rng.choice(_VOWEL) + (rng.choice(_CODA) if k == syllables - 1 else "")
                   for k in range(syllables)).capitalize()


@dataclass(frozen=True)
class Event:
    key: str
    section: str
    topic: str
    people: tuple[tuple[str, str], ...]  # (title, full name)
    place: str
    region: str
    org: str
    year: int
    month: int
    day: int
    number: int


def make_event(seed: int, key: str) -> Event:
    rng = random.Random(f"event:{seed}:{key}")
    section = rng.choice(sorted(TOPICS))
    people = tuple((rng.choice(TITLES), f"{rng.choice(FIRST)} {coin(rng, rng.randint(2, 3))}") for _ in range(3))
    return Event(
        key=key, section=section, topic=rng.choice(TOPICS[section]), people=people,
        place=coin(rng, rng.randint(2, 3)), region=coin(rng, 2) + rng.choice(("ia", "land", " Province", " Valley")),
        org=f"{coin(rng, 2)} {rng.choice(ORG_KIND)}", year=rng.choice((2022, 2023, 2024)),
        month=rng.randint(1, 12), day=rng.randint(1, 28), number=rng.randint(3, 950),
    )


def _sentence(rng: random.Random, ev: Event) -> str:
    (_t1, p1), (t2, p2), (_t3, p3) = ev.people
    person = rng.choice((p1, p2, p3, p1.split()[1], p2.split()[1]))
    n = rng.randint(2, 98)
    shapes = (
        lambda: f"{rng.choice(NOUN).capitalize()} in {ev.place} {rng.choice(VERB)} that {rng.choice(CONCERN)} had been {rng.choice(ADJ)} from the start.",
        lambda: f"{person} {rng.choice(VERB)} {rng.choice(TIMEWORD)} that the {ev.topic} would be {rng.choice(ADJ)}, pointing to {rng.choice(CONCERN)}.",
        lambda: f"“{rng.choice(QUOTE)},” {person} told reporters {rng.choice(TIMEWORD)}.",
        lambda: f"{rng.choice(CONNECT)} the {ev.org} {rng.choice(VERB)} that about {n} percent of {rng.choice(NOUN)} backed the {ev.topic}.",
        lambda: f"The {rng.choice(ADJ)} {ev.topic} follows {rng.choice(('months', 'years', 'weeks'))} of debate over {rng.choice(CONCERN)} in {ev.region}.",
        lambda: f"{rng.choice(CONNECT)} {rng.choice(NOUN)} from {coin(rng, 2)} and {coin(rng, 2)} travelled to {ev.place} to follow the {ev.topic} {rng.choice(TIMEWORD)}.",
        lambda: f"Some {rng.choice(NOUN)} {rng.choice(VERB)} that {rng.choice(CONCERN)} and {rng.choice(CONCERN)} were {rng.choice(ADJ)} questions for {person}.",
        lambda: f"A spokesperson for the {ev.org} declined to comment on {rng.choice(CONCERN)}, but {rng.choice(VERB)} that a {rng.choice(ADJ)} review was under way.",
        lambda: f"Figures published {rng.choice(TIMEWORD)} put the cost at {n}.{rng.randint(0, 9)} million, {rng.choice(('well above', 'slightly below', 'roughly in line with', 'twice'))} earlier estimates.",
        lambda: f"{rng.choice(NOUN).capitalize()} and {rng.choice(NOUN)} gathered outside the {rng.choice(('town hall', 'court', 'station', 'ministry', 'stadium', 'harbour office'))} in {ev.place}, where {person} spoke briefly.",
        lambda: f"{rng.choice(CONNECT)} {person} {rng.choice(VERB)} that {rng.choice(NOUN)} would be consulted before any {rng.choice(ADJ)} decision on the {ev.topic}.",
        lambda: f"In {ev.region}, {rng.choice(NOUN)} have long {rng.choice(('complained about', 'welcomed', 'questioned', 'ignored', 'campaigned for'))} {rng.choice(CONCERN)}.",
        lambda: f"The {ev.topic} was first proposed in {rng.choice(MONTHS)} {ev.year - rng.randint(1, 6)} by {t2.lower()} {p2}, who {rng.choice(VERB)} at the time that it was {rng.choice(ADJ)}.",
        lambda: f"{rng.choice(('Roughly', 'Nearly', 'More than', 'Fewer than', 'About'))} {n * 10} people {rng.choice(('attended', 'signed a petition', 'wrote to the council', 'watched the broadcast'))}, {rng.choice(NOUN)} {rng.choice(VERB)}.",
    )
    return rng.choice(shapes)()


def story_paragraphs(seed: int, ev: Event, writer: str, words: int) -> tuple[str, list[str]]:
    """(headline, paragraphs) of one writer's account of an event."""
    rng = random.Random(f"text:{seed}:{ev.key}:{writer}")
    (t1, p1), (t2, p2), _ = ev.people
    verb = rng.choice(EVENT_VERB)
    title = rng.choice((
        f"{p1.split()[1]} and {p2.split()[1]} {verb.split()[0]} in {ev.place} over {ev.topic}",
        f"{ev.place} {ev.topic}: {rng.choice(ADJ)} day for the {ev.org}",
        f"{t1} {p1} backs {rng.choice(ADJ)} {ev.topic} in {ev.place}",
        f"What the {ev.topic} in {ev.place} means for {ev.region}",
    ))
    title = title[0].upper() + title[1:]
    lead = (f"{t1} {p1} and {t2.lower()} {p2} {verb} in {ev.place} {rng.choice(TIMEWORD)} as the "
            f"{rng.choice(ADJ)} {ev.topic} divided {rng.choice(NOUN)} across {ev.region}, "
            f"with the {ev.org} promising {ev.number} new {rng.choice(('jobs', 'homes', 'places', 'posts', 'contracts'))}.")
    paragraphs, count = [lead], len(lead.split())
    while count < words:
        para = " ".join(_sentence(rng, ev) for _ in range(rng.randint(2, 5)))
        paragraphs.append(para)
        count += len(para.split())
    return title, paragraphs


def edit(rng: random.Random, paragraphs: list[str]) -> list[str]:
    """A few small edits: changed words, a dropped sentence, a corrected figure."""
    out = [p.split(" ") for p in paragraphs]
    for _ in range(rng.randint(3, 8)):
        words = rng.choice(out)
        i = rng.randrange(len(words))
        op = rng.random()
        if op < 0.5:
            words[i] = rng.choice(ADJ + NOUN)
        elif op < 0.8 and len(words) > 8:
            del words[i]
        else:
            words.insert(i, rng.choice(("also", "reportedly", "now", "still", "again")))
    return [" ".join(w) for w in out]


# --- site templates --------------------------------------------------------------------------

@dataclass(frozen=True)
class Site:
    name: str
    domain: str
    cookie: str
    appeal: str
    related: str
    comments: str
    share: str
    crumbs: str
    newsletter: str
    author: str
    nav: str
    footer: str
    wrapper: str


SITES = (
    Site("The Daily Ledger", "dailyledger.com", "onetrust", "support-box", "related-posts", "comments-area",
         "share-bar", "breadcrumbs", "newsletter-box", "author-box", "main-navigation", "site-footer", "entry-content"),
    Site("Harbour Gazette", "harbourgazette.co.uk", "cookie-banner", "contributions-epic", "jp-relatedposts",
         "comment-list", "sharedaddy", "breadcrumb", "mc4wp-form", "author-bio", "navbar", "footer", "article-body"),
    Site("Northern Courier", "northerncourier.net", "cc-window", "donate-box", "td-related-row", "comments",
         "social-share", "yoast-breadcrumb", "newsletter-signup", "saboxplugin-wrap", "main-menu", "td-footer-wrapper", "td-post-content"),
    Site("Valley Post", "valleypost.org", "cookie-consent", "paywall-box", "related-articles", "reader-comments",
         "share-buttons", "breadcrumb-trail", "newsletter-form", "about-author", "nav-menu", "page-footer", "story-text"),
    Site("Metro Wire", "metrowire.io", "cmplz-cookiebanner", "membership-appeal", "more-stories", "comments-area",
         "post-share", "rank-math-breadcrumb", "email-signup", "author-card", "top-bar", "site-footer", "post-body"),
    Site("Coastline Times", "coastlinetimes.com", "gdpr-banner", "donation", "yarpp-related", "commentlist",
         "a2a_kit", "crumbs", "subscribe-box", "author-info", "menu", "footer", "content-body"),
    Site("The Observer Line", "observerline.news", "cookie-notice", "support-us", "recommended", "fb-comments",
         "article-share", "entry-crumbs", "newsletter", "author-details", "navbar", "page-footer", "article-content"),
    Site("Plains Record", "plainsrecord.com", "consent-banner", "contribution-appeal", "related-stories",
         "comment-respond", "share-tools", "breadcrumbs", "newsletter-widget", "post-author-box", "main-menu", "site-footer", "rich-text"),
    Site("Capital Brief", "capitalbrief.eu", "cookie-bar", "piano-offer", "most-read", "comments",
         "share-links", "breadcrumb", "signup-form", "author-profile", "nav-menu", "footer", "body-copy"),
    Site("Riverside Chronicle", "riversidechronicle.org", "cookies-banner", "member-cta", "you-may-like",
         "user-comments", "entry-share", "breadcrumbs", "mc_embed_signup", "entry-author", "navbar", "site-footer", "entry"),
    Site("Summit Dispatch", "summitdispatch.com", "cookie-banner", "donate", "read-more-links", "comments-area",
         "social-sharing", "breadcrumb", "newsletter-signup", "author-box", "menu", "footer", "article__body"),
    Site("Island Herald", "islandherald.net", "cc-banner", "paywall", "related-content", "comments",
         "share", "breadcrumb-trail", "newsletter-box", "author-bio", "main-menu", "page-footer", "story-body"),
)


def _date(ev: Event, offset: int) -> tuple[str, str]:
    d = min(28, ev.day + offset)
    iso = f"{ev.year}-{ev.month:02d}-{d:02d}"
    return iso, f"{MONTHS[ev.month - 1]} {d}, {ev.year}"


def _chrome_lines(rng: random.Random, site: Site, ev: Event, author: str, others: list[str]) -> dict[str, list[str]]:
    return {
        "cookie": [rng.choice((
            "We use cookies to improve your experience on our site. By continuing to browse you consent to our cookie policy. Accept all | Manage preferences",
            "This website uses cookies to personalise content and analyse traffic. Accept | Reject all",
            "This site uses cookies. Click Accept to consent or manage settings in Cookie settings."))],
        "appeal": [rng.choice((
            f"{site.name} is reader-funded. Please consider supporting independent journalism: donate now from as little as $2.",
            f"Support {site.name}’s journalism. Become a member today and keep local news strong.",
            "You have reached your free article limit. Subscribe to continue reading. Already a subscriber? Sign in."))],
        "related": ["Related stories"] + others,
        "comments": [f"{rng.randint(2, 90)} Comments", f"{coin(rng, 2)} says:",
                     rng.choice(("Great reporting, thank you.", "I disagree with the council on this one.", "Finally some good news.")),
                     "Leave a Reply", "Your email address will not be published. Required fields are marked *"],
        "share": ["Share this article", "Facebook | Twitter | WhatsApp | Email"],
        "crumbs": [f"Home » {ev.section.capitalize()} » {ev.place}"],
        "newsletter": [rng.choice((f"Get the {site.name} morning briefing delivered to your inbox.",
                                   "Sign up for our daily newsletter. Enter your email address.")), "Subscribe"],
        "author": [f"{author} is a senior correspondent covering {ev.section} and {ev.region}."],
        "nav": ["Home | World | Politics | Business | Science | Sport | Local | Opinion"],
        "footer": [f"© {ev.year} {site.name}. All rights reserved.", "Privacy policy | Terms of use | Contact us | Advertise"],
    }


def _esc(s: str) -> str:
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def render_html(rng: random.Random, site: Site, ev: Event, title: str, paragraphs: list[str], author: str,
                published: tuple[str, str], others: list[str]) -> str:
    c = _chrome_lines(rng, site, ev, author, others)
    url = f"https://www.{site.domain}/{ev.section}/{published[0].replace('-', '/')}/{ev.key}-{rng.randrange(10**6)}/"
    ld = json.dumps({"@context": "https://schema.org", "@type": "NewsArticle", "headline": title,
                     "datePublished": f"{published[0]}T{rng.randint(6, 21):02d}:{rng.randint(0, 59):02d}:00+00:00",
                     "author": {"@type": "Person", "name": author}, "articleSection": ev.section.capitalize(),
                     "publisher": {"@type": "Organization", "name": site.name}}, ensure_ascii=False)
    body = []
    for i, p in enumerate(paragraphs):
        body.append(f"<p>{_esc(p)}</p>")
        if i == 2:
            body.append(f'<div class="{site.appeal}"><p>{_esc(c["appeal"][0])}</p><a class="button" href="/support">Donate</a></div>')
        if i == 4 and rng.random() < 0.5:
            body.append('<div class="ad-slot" data-ad-slot="mid-article">Advertisement</div>')
    related = "".join(f'<li><a href="https://www.{site.domain}/{ev.section}/{k}">{_esc(t)}</a></li>' for k, t in enumerate(others))
    comments = "".join(f"<p>{_esc(x)}</p>" for x in c["comments"])
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>{_esc(title)} | {_esc(site.name)}</title>
<meta name="author" content="{_esc(author)}">
<meta property="og:title" content="{_esc(title)}"><meta property="og:site_name" content="{_esc(site.name)}">
<meta property="og:url" content="{url}"><link rel="canonical" href="{url}">
<meta property="article:published_time" content="{published[0]}T08:00:00+00:00">
<meta property="article:section" content="{ev.section.capitalize()}">
<script type="application/ld+json">{ld}</script>
<style>.{site.wrapper} p{{font-family:Georgia,serif;line-height:1.6}} .{site.appeal}{{border:1px solid #c00}}</style>
<script>window.dataLayer=window.dataLayer||[];function gtag(){{dataLayer.push(arguments)}}</script>
</head><body class="single post-{rng.randrange(10**5)}">
<div id="{site.cookie}" class="{site.cookie}"><p>{_esc(c["cookie"][0])}</p><button>Accept all</button><button>Reject all</button></div>
<header class="site-header"><p class="site-title"><a href="/">{_esc(site.name)}</a></p>
<nav class="{site.nav}"><ul>{"".join(f'<li><a href="/{s}/">{s.capitalize()}</a></li>' for s in ("world", "politics", "business", "science", "sport", "local", "opinion"))}</ul></nav></header>
<nav class="{site.crumbs}" aria-label="breadcrumb"><a href="/">Home</a> » <a href="/{ev.section}/">{ev.section.capitalize()}</a> » <span>{_esc(ev.place)}</span></nav>
<main><article class="post">
<h1 class="entry-title">{_esc(title)}</h1>
<div class="byline">By <a rel="author" href="/author/{rng.randrange(999)}">{_esc(author)}</a> · <time datetime="{published[0]}">{published[1]}</time></div>
<div class="{site.share}"><a href="#">Facebook</a> <a href="#">Twitter</a> <a href="#">WhatsApp</a> <a href="#">Email</a></div>
<div class="{site.wrapper}">
{chr(10).join(body)}
</div>
<div class="{site.author}"><h4>About the author</h4><p>{_esc(c["author"][0])}</p></div>
<section class="{site.newsletter}"><h3>{_esc(c["newsletter"][0])}</h3><form><input type="email" placeholder="Email address"><button>Subscribe</button></form></section>
<section class="{site.related}"><h3>Related stories</h3><ul>{related}</ul></section>
<section id="comments" class="{site.comments}"><h3>{_esc(c["comments"][0])}</h3>{comments}</section>
</article></main>
<aside class="sidebar"><h3>Most read</h3><ul><li><a href="/a">{_esc(coin(rng, 3))} wins again</a></li><li><a href="/b">Weather warning for {_esc(coin(rng, 2))}</a></li></ul></aside>
<footer class="{site.footer}"><p>{_esc(c["footer"][0])}</p><p><a href="/privacy">Privacy policy</a> | <a href="/terms">Terms of use</a> | <a href="/contact">Contact us</a></p></footer>
</body></html>
"""


def render_text(rng: random.Random, site: Site, ev: Event, title: str, paragraphs: list[str], author: str,
                published: tuple[str, str], others: list[str]) -> str:
    """A flattened page dump: menus, crumbs, banner lines around the story, like raw/00*.txt."""
    c = _chrome_lines(rng, site, ev, author, others)
    head = [site.name, c["nav"][0], c["crumbs"][0], "", title, f"By {author}", published[1], ""]
    if rng.random() < 0.6:
        head = c["cookie"] + [""] + head
    body = []
    for i, p in enumerate(paragraphs):
        body += [p, ""]
        if i == 2 and rng.random() < 0.7:
            body += c["appeal"] + [""]
    tail = c["share"] + [""] + c["author"] + [""] + c["newsletter"] + [""] + c["related"] + [""] + c["comments"] + [""] + c["footer"]
    rng_cut = rng.random()
    if rng_cut < 0.3:  # some dumps lose part of the chrome
        tail = tail[: len(tail) // 2]
    return "\n".join(head + body + tail) + "\n"


# --- plan ------------------------------------------------------------------------------------

def _digest(name: str) -> str:
    return hashlib.sha256(name.encode("utf-8")).hexdigest()[:16]


def _pick_format(rng: random.Random) -> str:
    r = rng.random()
    return "html" if r < 0.45 else "text" if r < 0.80 else "jsonl"


def generate_chunk(args: tuple[Path, int, int, int]) -> tuple[int, list[dict]]:
    """Write chunk `c` (documents c*CHUNK .. min(n, (c+1)*CHUNK)); returns (documents, truth rows)."""
    root, seed, c, n = args
    start, stop = c * CHUNK, min(n, (c + 1) * CHUNK)
    rng = random.Random(f"chunk:{seed}:{c}")
    truth: list[dict] = []
    jsonl_handle = None
    jsonl_records = 0
    jsonl_files = 0
    index = start
    k = 0

    def place(fmt: str, body_html: str | None, body_text: str | None, meta: dict) -> tuple[str, int | None]:
        nonlocal jsonl_handle, jsonl_records, jsonl_files, index
        i = index
        index += 1
        folder = f"{i // PER_FOLDER:04d}"
        if fmt == "jsonl":
            if jsonl_handle is None or jsonl_records >= JSONL_RECORDS:
                if jsonl_handle is not None:
                    jsonl_handle.close()
                name = f"jsonl/crawl_c{c:03d}_{jsonl_files:03d}.jsonl"
                (root / "jsonl").mkdir(parents=True, exist_ok=True)
                jsonl_handle = open(root / name, "w", encoding="utf-8")
                jsonl_handle.name_rel = name  # type: ignore[attr-defined]
                jsonl_files += 1
                jsonl_records = 0
            jsonl_records += 1
            record = dict(meta)
            if body_html is not None:
                record["html"] = body_html
            else:
                record["text"] = body_text
            jsonl_handle.write(json.dumps(record, ensure_ascii=False) + "\n")
            return jsonl_handle.name_rel, jsonl_records  # type: ignore[attr-defined]
        sub = "html" if fmt == "html" else "text"
        suffix = ".html" if fmt == "html" else ".txt"
        rel = f"{sub}/{folder}/{sub[0]}{i:07d}{suffix}"
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(body_html if fmt == "html" else body_text, encoding="utf-8")
        if rng.random() < 0.3:
            path.with_name(path.name + ".meta.json").write_text(json.dumps(meta), encoding="utf-8")
        return rel, None

    while index < stop:
        ev = make_event(seed, f"s{c}-{k:04d}")
        k += 1
        # One event: 1 writer (70%), else 2-4 writers (same story in other words).
        writers = 1 if rng.random() < 0.7 else rng.randint(2, 4)
        for w in range(writers):
            if index >= stop:
                break
            text_key = f"{ev.key}-w{w}"
            words = rng.randint(300, 900)
            title, paras = story_paragraphs(seed, ev, f"w{w}", words)
            author = f"{rng.choice(FIRST)} {coin(rng, 2)}"
            others = [story_paragraphs(seed, make_event(seed, f"x{c}-{k}-{j}"), "w0", 0)[0] for j in range(3)]
            # Copies of this text: none (75%), else 1-3 of kinds exact / rechrome / edited / truncated.
            copies = [] if rng.random() < 0.75 else [rng.choice(("exact", "rechrome", "edited", "truncated"))
                                                     for _ in range(rng.randint(1, 3))]
            first_source = first_site = None
            for copy in ["original"] + copies:
                if index >= stop:
                    break
                site = rng.choice(SITES)
                body = paras
                t_title, t_author, offset = title, author, rng.randint(0, 3)
                if copy == "edited":
                    body = edit(rng, paras)
                elif copy == "truncated":
                    keep = max(2, round(len(paras) * rng.uniform(0.8, 0.92)))
                    body = paras[:keep]
                fmt = _pick_format(rng)
                published = _date(ev, offset)
                if copy == "exact":  # the same page again (mirrored), maybe in another format
                    site = first_site
                elif copy == "original":
                    first_site = site
                meta = {"url": f"https://www.{site.domain}/{ev.section}/{ev.key}-{w}-{index}", "site": site.name,
                        "fetched_at": f"{ev.year}-{ev.month:02d}-28T0{rng.randint(0, 9)}:00:00Z"}
                page_rng = random.Random(f"page:{seed}:{index}")
                if fmt == "html" or (fmt == "jsonl" and rng.random() < 0.6):
                    html = render_html(page_rng, site, ev, t_title, body, t_author, published, others)
                    source, record = place(fmt, html, None, meta)
                else:
                    text = render_text(page_rng, site, ev, t_title, body, t_author, published, others)
                    if fmt == "jsonl":
                        meta = dict(meta, title=t_title)
                    source, record = place(fmt, None, text, meta)
                ref = source if record is None else f"{source}#{record}"
                truth.append({"source": source, "record": record,
                              "id": _digest(ref),
                              "format": fmt, "story": ev.key, "text": text_key, "copy": copy,
                              "of": first_source, "words": sum(len(p.split()) for p in body)})
                if first_source is None:
                    first_source = ref
    if jsonl_handle is not None:
        jsonl_handle.close()
    return index - start, truth


def generate(root: Path, n: int, seed: int = 7, jobs: int = 1) -> Path:
    root = Path(root)
    if root.exists() and any(root.iterdir()):
        raise SystemExit(f"{root} is not empty")
    root.mkdir(parents=True, exist_ok=True)
    truth_path = root.with_name(root.name + ".truth.jsonl")
    chunks = [(root, seed, c, n) for c in range((n + CHUNK - 1) // CHUNK)]
    with open(truth_path, "w", encoding="utf-8") as out:
        if jobs > 1:
            with Pool(jobs) as pool:
                results = pool.imap(generate_chunk, chunks)
                for _count, rows in results:
                    out.writelines(json.dumps(r) + "\n" for r in rows)
        else:
            for chunk in chunks:
                _count, rows = generate_chunk(chunk)
                out.writelines(json.dumps(r) + "\n" for r in rows)
    return truth_path


def load_truth(path: Path | str) -> list[dict]:
    with open(path, encoding="utf-8") as handle:
        return [json.loads(line) for line in handle]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", type=Path, help="where to write the corpus (absent or empty)")
    parser.add_argument("-n", type=int, default=1000, help="documents (1,000 to 1,000,000)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--jobs", type=int, default=1, help="processes (output is the same for any value)")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    truth = generate(args.folder, args.n, args.seed, args.jobs)
    took = time.perf_counter() - started
    print(f"{args.n} documents in {args.folder}, truth in {truth} ({took:.1f} s, {args.n / took:,.0f} docs/s)", file=sys.stderr)


if __name__ == "__main__":
    main()
