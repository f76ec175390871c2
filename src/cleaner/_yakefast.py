"""YAKE's keywords without YAKE's objects: the same phrases and scores, about twice as fast.

A speed trick beside the plain version, `yake.KeywordExtractor.extract_keywords` (yake 0.7.3),
which `tests/test_yakefast.py` holds equal to this on raw/'s texts and WCXB dev references.
yake keeps an object per term, one per n-gram occurrence (merged by phrase) and a networkx graph
of which term follows which, and reads them back through properties; here the same counts live
in plain lists and dicts. The text is split exactly as yake splits it (its own pre_filter,
tokenize_sentences and get_tag, imported), the scores are computed with the same operations in
the same order (so the same floats), candidates are ranked by a stable sort in the order yake
first meets them, and near-duplicates are left out by the extractor's own similarity.

Only the configuration tag.py uses is covered (window 1 or more, the default features, no
lemmatising); anything else goes to the extractor itself.
"""

from __future__ import annotations

import math
import string

import numpy as np
from yake.data.utils import get_tag, pre_filter, tokenize_sentences

_EXCLUDE = frozenset(string.punctuation)  # yake's DataCore default
_DISCARD = frozenset({"u", "d"})  # tags of numbers and unusual tokens: no co-occurrence counted
_BARE = str.maketrans("", "", string.punctuation)  # a term less its punctuation (DataCore.get_term)


class _Text:
    """The counts yake's DataCore gathers over a text, term by term and phrase by phrase."""

    def __init__(self, stopwords: set[str]) -> None:
        self.stopwords = stopwords
        self.index: dict[str, int] = {}  # a term's unique form -> id
        self.stop: list[bool] = []
        self.tf: list[float] = []
        self.tf_a: list[float] = []  # occurrences written in capitals
        self.tf_n: list[float] = []  # occurrences capitalised inside a sentence
        self.sentences: list[list[int]] = []  # the sentences a term occurs in, ascending
        self.edges: dict[tuple[int, int], float] = {}  # (term, term right after it) -> count
        self.out_terms: list[int] = []  # distinct terms right after it, and their count
        self.out_tf: list[float] = []
        self.in_terms: list[int] = []  # distinct terms right before it, and their count
        self.in_tf: list[float] = []
        # a phrase's lower-cased words -> [its first occurrence's words, its tag strings, count]
        self.phrases: dict[tuple[str, ...], list] = {}

    def term(self, lower: str) -> int:
        """DataCore.get_term of a word, given lower-cased: that form less a plural 's'; a stop word
        when the word or that form is one, or when it has under 3 characters besides punctuation."""
        unique = lower
        stop = unique in self.stopwords
        if unique.endswith("s") and len(unique) > 3:
            unique = unique[:-1]
        found = self.index.get(unique)
        if found is None:
            found = self.index[unique] = len(self.stop)
            self.stop.append(stop or unique in self.stopwords or len(unique.translate(_BARE)) < 3)
            for counts in (self.tf, self.tf_a, self.tf_n, self.out_tf, self.in_tf):
                counts.append(0.0)
            self.out_terms.append(0)
            self.in_terms.append(0)
            self.sentences.append([])
        return found

    def follow(self, left: int, right: int) -> None:
        """DataCore.add_cooccur: `right` stands right after `left` once more."""
        key = (left, right)
        if key not in self.edges:
            self.edges[key] = 0.0
            self.out_terms[left] += 1
            self.in_terms[right] += 1
        self.edges[key] += 1.0
        self.out_tf[left] += 1.0
        self.in_tf[right] += 1.0


def _read(sentences: list[list[str]], stopwords: set[str], n: int, window: int) -> _Text:
    """DataCore._build over yake's sentences: each word's term, tag and place, the terms that
    follow each other within a block (a run of words between punctuation), and every phrase of up
    to `n` words in a block, counted (DataCore.add_or_update_composedword). A phrase is known by
    its lower-cased words (yake: by the lower-cased phrase; tokens hold no space, so the same) and
    keeps its first occurrence's words and every tag string it was seen with."""
    text = _Text(stopwords)
    phrases = text.phrases
    known: dict[str, tuple[str, int] | None] = {}  # a word -> (lower-cased, term); None: punctuation
    tagged: dict[tuple[str, bool], str] = {}  # get_tag reads the position only as 'first or not'
    for sentence_id, sentence in enumerate(sentences):
        block: list[tuple[str, str, int, str]] = []
        for position, word in enumerate(sentence):
            if word in known:
                facts = known[word]
            else:
                lower = word.lower()
                facts = known[word] = None if all(c in _EXCLUDE for c in word) else (lower, text.term(lower))
            if facts is None:
                block = []
                continue
            lower, term = facts
            tag = tagged.get((word, position > 0))
            if tag is None:
                tag = tagged[(word, position > 0)] = get_tag(word, position, _EXCLUDE)
            seen = text.sentences[term]
            if not seen or seen[-1] != sentence_id:
                seen.append(sentence_id)
            text.tf[term] += 1.0
            if tag == "a":
                text.tf_a[term] += 1.0
            if tag == "n":
                text.tf_n[term] += 1.0
            if tag not in _DISCARD:
                for before in block[max(0, len(block) - window):]:
                    if before[0] not in _DISCARD:
                        text.follow(before[2], term)
            entry = (tag, word, term, lower)
            # the word alone, then with the one word before it, the two before it, ...
            key: tuple[str, ...] = (lower,)
            tags = tag
            words = [entry]
            for k in range(min(n - 1, len(block)) + 1):
                if k:
                    before = block[-k]
                    key = (before[3], *key)
                    tags = before[0] + tags
                    words = [before, *words]
                found = phrases.get(key)
                if found is None:
                    phrases[key] = [words, {tags}, 1.0]
                else:
                    found[1].add(tags)
                    found[2] += 1.0
            block.append(entry)
    return text


def _term_scores(text: _Text, sentence_count: int) -> list[float]:
    """SingleWord.update_h of every term (0.0 for all when every term is a stop word)."""
    valid = np.array([tf for tf, stop in zip(text.tf, text.stop) if not stop])
    if not valid.size:
        return [0.0] * len(text.tf)
    spread_tf = float(valid.mean()) + float(valid.std())
    max_tf = max(text.tf)
    scores = []
    for term, tf in enumerate(text.tf):
        in_tf, out_tf = text.in_tf[term], text.out_tf[term]
        pwl = 0 if in_tf == 0 else text.in_terms[term] / in_tf
        pwr = 0 if out_tf == 0 else text.out_terms[term] / out_tf
        wrel = (0.5 + (pwl * (tf / max_tf))) + (0.5 + (pwr * (tf / max_tf)))
        wfreq = tf / spread_tf
        seen = text.sentences[term]
        wspread = len(seen) / sentence_count
        wcase = max(text.tf_a[term], text.tf_n[term]) / (1.0 + math.log(tf))
        middle = len(seen) // 2
        median = float(seen[middle]) if len(seen) % 2 else (seen[middle - 1] + seen[middle]) / 2
        wpos = math.log(math.log(3.0 + median))
        scores.append((wpos * wrel) / (wcase + (wfreq / wrel) + (wspread / wrel)))
    return scores


def _phrase_score(text: _Text, terms: tuple[int, ...], scores: list[float], tf: float) -> float:
    """ComposedWord.update_h: a stop word inside a phrase weighs by how surely it joins its
    neighbours (yake's 'bi' weighting); divided by the phrase's count."""
    sum_h, prod_h = 0.0, 1.0
    last = len(terms) - 1
    for t, term in enumerate(terms):
        if not text.stop[term]:
            sum_h += scores[term]
            prod_h *= scores[term]
            continue
        prob_t1 = 0.0
        if t > 0 and (terms[t - 1], term) in text.edges:
            prob_t1 = text.edges[(terms[t - 1], term)] / text.tf[terms[t - 1]]
        prob_t2 = 0.0
        if t < last and (term, terms[t + 1]) in text.edges:
            prob_t2 = text.edges[(term, terms[t + 1])] / text.tf[terms[t + 1]]
        prob = prob_t1 * prob_t2
        prod_h *= 1 + (1 - prob)
        sum_h -= 1 - prob
    below = (sum_h + 1) * tf
    if not below:  # yake divides NumPy floats here: inf or nan, not an error
        with np.errstate(divide="ignore", invalid="ignore"):
            return float(np.float64(prod_h) / np.float64(below))
    return prod_h / below


def covered(extractor) -> bool:
    """Whether this module computes what `extractor` (a yake.KeywordExtractor) would."""
    config = extractor.config
    return (config["features"] is None and not extractor.lemmatize and config["window_size"] >= 1
            and config["n"] >= 1)


def extract_keywords(extractor, text: str | None) -> list[tuple[str, float]]:
    """extractor.extract_keywords(text): (phrase as first written, score) pairs, best (lowest) first."""
    if not covered(extractor):
        return extractor.extract_keywords(text)
    if not text:
        return []
    try:
        return _extract(extractor, text)
    except Exception:  # yake's own answer where this fails (yake answers [] to any error of its own)
        return extractor.extract_keywords(text)


def _extract(extractor, text: str) -> list[tuple[str, float]]:
    config = extractor.config
    sentences = tokenize_sentences(pre_filter(text.replace("\n", " ")))
    read = _read(sentences, extractor.stopword_set, config["n"], config["window_size"])
    scores = _term_scores(read, len(sentences))
    ranked = []
    for words, tags, tf in read.phrases.values():
        if read.stop[words[0][2]] or read.stop[words[-1][2]]:
            continue
        if not any("u" not in tag and "d" not in tag for tag in tags):
            continue
        written = " ".join(w[1] for w in words)
        terms = tuple(w[2] for w in words)
        ranked.append((_phrase_score(read, terms, scores, tf), written.lower(), written))
    ranked.sort(key=lambda phrase: phrase[0])  # stable: ties in the order yake first met them
    top, limit = config["top"], config["dedup_lim"]
    if limit >= 1.0:
        return [(key, h) for h, key, _ in ranked[:top]]
    similar = extractor.dedup_function
    chosen: list[tuple[float, str, str]] = []
    for phrase in ranked:
        if not any(similar(phrase[1], kept[1]) > limit for kept in chosen):
            chosen.append(phrase)
        if len(chosen) == top:
            break
    return [(written, h) for h, _, written in chosen]
