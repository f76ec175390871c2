"""Where the story of a plain-text page dump is: its lines, its extent, where its comments begin.

The line models (cleaner.linefeatures and cleaner.lexical -> trees in models/text_lines*.json;
see TextModels) give each line the probability that it is story text, judged from the line,
its neighbours, its place on the page and its words; a line at or above the threshold is story.
The story's extent runs from the first such line to the last: what lies before it is the page's
head (menus, headline, byline), what lies after it its tail (related links, comments, footer).
A reader-comment thread is cut whole, from its first marker to the end of the page: its
comments read like prose line by line. Unless the thread is the page (a forum's thread, a Q&A
page): its posts, from the first to the last, are then the story (thread_page, forum_replies).
A page of short items rather than one story (a listing's teasers: the model doubts its story's
words and none is a long paragraph) keeps the items the model half believes (short_items).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from cleaner import lexical
from cleaner.headline import find_headline, load_headline_model
from cleaner.lexical import LexicalModel, load_lexical_model
from cleaner.linefeatures import FEATURES as SHAPE_FEATURES
from cleaner.linefeatures import comment_marks, features, page_language, rule_hits, sentence_ends, thread_heads
from cleaner.normalize import word_count
from cleaner.record import Block, BlockKind
from cleaner.rules import RuleSet
from cleaner.trees import TreeModel, load_model

MODEL_FILE = "text_lines.json"
SHAPE_MODEL_FILE = "text_lines_shape.json"  # the line model without lexical columns
# The line model's inputs: each line's shape and place (linefeatures), then its words' evidence
# (lexical: the lexical model's score of the line and of the lines around it).
FEATURES = SHAPE_FEATURES + lexical.FEATURES
# A comment thread starts only after the story: at least this many words of story lines, and
# this share of them, stand before its marker ('3 Comments' under a headline is not a thread).
THREAD_AFTER_WORDS = 50
THREAD_AFTER_SHARE = 0.5
_THREAD_HEADS = 3  # comment heads (author + date) within _THREAD_REACH lines that open a thread
_THREAD_REACH = 40
# A heading after the story's last line of text is story only when the model is this sure of it
# (_end_on_text).
SURE_HEADING = 0.6
# A thread is the page, not comments under a story, when its first head stands at most this many
# lines below the story's first line and the model takes at least this share of its posts' words
# (lines of 4 words or more, heads aside) for story. WCXB dev pages whose dump holds a thread
# (three heads within _THREAD_REACH lines): at 12 lines, 24 of 80 forum pages, 2 of 558 articles,
# 4 of 87 listings; the share then leaves out a news page's 'Also in the news' teasers, each
# under an author-and-date head (0.35; forum threads 0.47-0.99).
THREAD_PAGE_LINES = 12
THREAD_PAGE_STORY_SHARE = 0.4
# Within such a thread the story is each post's head and the line after it (the author and the
# date, which a forum's reference text keeps) and every line the model gives at least this, not
# the widgets between the posts. WCXB forum pages, `cleaner eval` text mode, every line of the
# thread against this: dev 0.682 -> 0.683, held-out 0.658 -> 0.660 (on the 18 dev threads, with
# rule cuts approximated, 0.709 -> 0.725; 0.732 at 0.2, where a listing's thread lost 0.09).
THREAD_PAGE_FLOOR = 0.1
# A forum's post controls and member facts, each a line of its own: what a forum prints around
# every post and a story's comment section seldom does ('Quote', 'Report', 'Joined: May 2019',
# '2.8k posts', '8.2k Reputation', 'Thread starter', '#12', '14 replies').
POST_CONTROL = re.compile(
    r"(?i)^(?:quote|\+ ?quote|multi-?quote|reply with quote|reply|report|report post|permalink|thread starter"
    r"|original poster|op|solution|solved|members?|joined:? [\w ,./-]{0,20}\d{2,4}|posts?:? ?[\d,.]+k?"
    r"|[\d,.]+k? posts|messages:? ?[\d,.]+k?|reputation:? ?[\d,.]+k?|[\d,.]+k? reputation|#\d+|post #?\d+|level \d+"
    r"|[\d,.]+k? (?:replies|views|likes|reactions))$")
# A thread that opens at a comments rule's line is a forum's replies to the post above it, not
# readers' comments under a story, when the lines after it (up to a related-links line) hold at
# least FORUM_REPLIES_RATIO times the story's words above it and FORUM_CONTROLS post controls.
# WCXB dev pages whose thread opens at a comments rule's line: 10 of 18 forum pages (the first
# post 140-940 words, the replies 1,200-4,200 with 11-115 controls) and 1 of 89 articles (a
# 237-word story under 2,334 words of comments whose reference keeps them); a story's comment
# section with 10 controls or more holds at most the story's words. Dev forums 0.683 -> 0.719,
# nothing else changed; held-out, no page (docs/quality.md, *A forum's replies*).
FORUM_CONTROLS = 10
FORUM_REPLIES_RATIO = 1.5
# A page of short items (a listing's teasers, a shop's products, a thread's short posts) rather
# than one story: the model doubts the words it takes for story (their mean P, weighted by words,
# under UNSURE_STORY_P) and none of its story lines is a paragraph of UNSURE_LONGEST_WORDS words
# or more. There the items the model half believes (P at UNSURE_SHARE of the threshold or more)
# are story too, from its first sure line down. Fitted on WCXB dev pages (docs/quality.md,
# *Pages of short items*).
UNSURE_STORY_P = 0.7
UNSURE_LONGEST_WORDS = 80
UNSURE_SHARE = 0.5


@dataclass(frozen=True)
class TextModels:
    """The trained models of text mode: story lines, the lines' words, the headline.

    Two line models come from one training run: `shape` reads each line's shape and place
    (linefeatures.FEATURES), `lines` its words' evidence too (FEATURES). A line is story when
    both take it for story: its P(story) is the lower of the two, and `lines.threshold` was
    chosen for that (out of fold on the dev pages, 4-shingle F1 / snippet keep / drop:
    0.910 / 0.937 / 0.869 against 0.909 / 0.955 / 0.862 for `lines` alone and 0.905 / 0.936 /
    0.824 for `shape` alone, one fold). A page in a language the lexical model did not learn is
    judged by `shape` alone, at its own threshold: its words would be unseen, and their score
    the intercept's, evidence of nothing."""

    lines: TreeModel
    shape: TreeModel
    lexical: LexicalModel
    headline: TreeModel | None

    @property
    def version(self) -> str:
        return self.lines.version

    def line_model(self, language: str) -> TreeModel:
        """The model whose version and threshold judge a page in `language`."""
        return self.lines if self.lexical.reads(language) else self.shape

    def probabilities(self, blocks: Sequence[Block], x: np.ndarray, language: str) -> tuple[np.ndarray, np.ndarray]:
        """P(story) of each line, from its shape features `x` (linefeatures.features) and, where
        the page's language is read, its words; and the shape model's alone (what the headline
        model reads)."""
        shape = self.shape.probability(x)
        if not self.lexical.reads(language):
            return shape, shape
        words = self.lines.probability(line_inputs(x, self.lexical.scores([b.text for b in blocks])))
        return np.minimum(shape, words), shape


def line_inputs(x: np.ndarray, scores: np.ndarray) -> np.ndarray:
    """The line model's input rows (FEATURES): the shape features, then the lexical columns."""
    return np.hstack([x, lexical.context(scores)])


@dataclass(frozen=True)
class Story:
    """What the line model found on one page."""

    probability: np.ndarray  # P(story) of each line
    story: tuple[bool, ...]  # the model's verdict on each line (False from the thread on)
    start: int | None  # first and last story line (None: no story line)
    end: int | None
    thread: int | None  # the line a reader-comment thread starts at, if any
    headline: int | None  # the page's headline line, if found
    language: str  # the page's language, as the features saw it
    model: str  # the version of the line model that judged it


def load_text_models() -> TextModels | None:
    """The shipped models, or None when a line model or the lexical model is missing (then the
    rules alone cut)."""
    lines, shape, words = load_model(MODEL_FILE, FEATURES), load_model(SHAPE_MODEL_FILE, SHAPE_FEATURES), \
        load_lexical_model()
    if lines is None or shape is None or words is None:
        return None
    return TextModels(lines, shape, words, load_headline_model())


def score_lines(
    blocks: Sequence[Block], rules: RuleSet, models: TextModels
) -> tuple[list[str], str, np.ndarray, np.ndarray, np.ndarray]:
    """Each line's rule category ('' for none), the page's language, the line features, the line
    models' P(story) of each line and the shape model's alone (TextModels.probabilities): one way
    for every reader of a page's lines (text mode here, html mode's second reading)."""
    hits = rule_hits(blocks, rules)
    language = page_language(blocks)
    x = features(blocks, hits, language)
    return hits, language, x, *models.probabilities(blocks, x, language)


def find_story(blocks: Sequence[Block], rules: RuleSet, models: TextModels) -> Story:
    """Score every line, find the story's lines and extent, its comment thread and its headline."""
    hits, language, x, probability, shape = score_lines(blocks, rules, models)
    model = models.line_model(language)
    likely = probability >= model.threshold  # the model's verdicts, before the cuts below
    words = [word_count(b.text) for b in blocks]
    if short_items(probability, likely, words):  # and on a page of short items, its items
        likely |= half_sure(probability, likely, model.threshold)
    story = likely.copy()
    texts = [b.text for b in blocks]
    head = thread_heads(texts, words, comment_marks(texts, words, hits)[3])
    thread = thread_start(texts, words, hits, story, head)
    replies = forum_replies(texts, words, hits, story, thread)
    if replies is not None:
        keep_replies(story, texts, words, replies)
        thread = None
    elif thread is not None:
        story[thread:] = False
    _end_on_text(blocks, story, probability)
    posts = thread_page(texts, words, hits, story, likely, head, thread)
    if posts is not None:
        keep_posts(story, probability, head, posts)
        thread = None
    kept = np.flatnonzero(story)
    start, end = (int(kept[0]), int(kept[-1])) if len(kept) else (None, None)
    # The headline model reads the shape model's verdicts (trained so: they move less between
    # retrains, and a headline's words are story words).
    headline = find_headline(blocks, x, shape, models.shape.threshold, models.headline, hits)
    return Story(probability, tuple(bool(s) for s in story), start, end, thread, headline, language, model.version)


def short_items(probability: np.ndarray, likely: np.ndarray, words: Sequence[int]) -> bool:
    """Whether a page is one of short items, not one story: the words of the lines the model
    takes for story (`likely`) have a mean P(story) under UNSURE_STORY_P, and none of those lines
    holds UNSURE_LONGEST_WORDS words."""
    n = np.asarray(words, dtype=float)[likely]
    if not n.sum():
        return False
    return float((probability[likely] * n).sum() / n.sum()) < UNSURE_STORY_P and n.max() < UNSURE_LONGEST_WORDS


def half_sure(probability: np.ndarray, likely: np.ndarray, threshold: float) -> np.ndarray:
    """The items of a page of short items (short_items): the lines whose P(story) reaches
    UNSURE_SHARE of the threshold, from the first line the model takes for story down. The lines
    above that one stay out: the menus, and the headline's place."""
    low = probability >= threshold * UNSURE_SHARE
    low[: int(np.flatnonzero(likely)[0])] = False
    return low


def _end_on_text(blocks: Sequence[Block], story: np.ndarray, probability: np.ndarray) -> None:
    """A story does not end on a heading: headings after its last line of text head no story
    text (a widget's or a teaser block's title under the story); those the model is unsure of
    (P below SURE_HEADING) are not story."""
    kept = np.flatnonzero(story)
    text = [i for i in kept if blocks[i].kind is not BlockKind.HEADING]
    if text:
        after = kept[kept > text[-1]]
        story[after[probability[after] < SURE_HEADING]] = False


def thread_start(texts: Sequence[str], words: Sequence[int], hits: Sequence[str], story: np.ndarray,
                 head: Sequence[bool] | None = None) -> int | None:
    """The first line of a reader-comment thread after the story, or None.

    A thread opens at a comments rule's line ('59 Comments on “…”', 'Leave a Reply') or at a
    comment head (linefeatures.thread_heads: a name with a date or a clock time, not a decimal)
    followed by two more within 40 lines, once at least THREAD_AFTER_WORDS words and
    THREAD_AFTER_SHARE of the page's story words stand before it. `head`: each line a comment
    head or not (linefeatures.thread_heads; found here when not given)."""
    if head is None:
        head = thread_heads(texts, words, comment_marks(texts, words, hits)[3])
    story_words = np.where(story, np.asarray(words, dtype=float), 0.0)
    total = story_words.sum()
    before = np.cumsum(story_words) - story_words
    heads_at = np.flatnonzero(head)
    for i in range(len(texts)):
        opens = hits[i] == "comments" or (head[i] and _opens_run(heads_at, i))
        if opens and before[i] >= THREAD_AFTER_WORDS and before[i] >= THREAD_AFTER_SHARE * total:
            return i
    return None


def _opens_run(heads: np.ndarray, i: int) -> bool:
    """Whether the comment head on line i is followed by _THREAD_HEADS - 1 more (`heads`: the
    heads' lines, ascending) within _THREAD_REACH lines."""
    return np.count_nonzero((heads > i) & (heads <= i + _THREAD_REACH)) >= _THREAD_HEADS - 1


def forum_replies(texts: Sequence[str], words: Sequence[int], hits: Sequence[str], story: np.ndarray,
                  thread: int | None) -> tuple[int, int] | None:
    """The story's first line and the end of a forum's replies (the line before a related-links
    line, or the page's last), when the thread `thread_start` found opens at a comments rule's line
    ('Reply', '47 comments') and is a forum's replies to the post above it (FORUM_CONTROLS,
    FORUM_REPLIES_RATIO); else None. `story`: the model's story lines, nothing cut yet."""
    if thread is None or hits[thread] != "comments":
        return None
    stop = _related_after(hits, thread)
    above = sum(w for w, s in zip(words[:thread], story[:thread]) if s)
    below = sum(words[thread:stop])
    if _controls(texts, thread, stop) < FORUM_CONTROLS or below < FORUM_REPLIES_RATIO * above:
        return None
    return int(np.flatnonzero(story)[0]), stop - 1


def _related_after(hits: Sequence[str], line: int) -> int:
    """The first related-links line after `line` (where a thread ends), or the number of lines."""
    return next((i for i in range(line + 1, len(hits)) if hits[i] == "related"), len(hits))


def _controls(texts: Sequence[str], first: int, stop: int) -> int:
    """How many of the lines from `first` up to `stop` are a forum's post controls (POST_CONTROL)."""
    return sum(1 for t in texts[first:stop] if POST_CONTROL.match(t.strip()))


def keep_replies(story: np.ndarray, texts: Sequence[str], words: Sequence[int], extent: tuple[int, int]) -> None:
    """Mark a forum's replies as story (forum_replies' `extent`): besides the model's story lines,
    every line of three words or more that ends a sentence; not the controls, names and dates
    between the posts (the model finds replies hard: it learnt on stories that comments are not
    story)."""
    first, last = extent
    for i in range(first, last + 1):
        story[i] |= words[i] >= 3 and sentence_ends(texts[i])


def keep_posts(story: np.ndarray, probability: np.ndarray, head: Sequence[bool], posts: tuple[int, int]) -> None:
    """Mark a thread page's posts as story (thread_page's extent `posts`): each head and the line
    after it (the author and the date), and every line the model gives THREAD_PAGE_FLOOR or more;
    not the widgets between the posts."""
    first, last = posts
    for i in range(first, last + 1):
        story[i] |= bool(probability[i] >= THREAD_PAGE_FLOOR or head[i] or (i > first and head[i - 1]))


def thread_page(texts: Sequence[str], words: Sequence[int], hits: Sequence[str], story: np.ndarray,
                likely: np.ndarray, head: Sequence[bool], thread: int | None = None) -> tuple[int, int] | None:
    """The first and last line of a thread that is the page itself (a forum's, a Q&A page's), or None.

    It opens at a comment head followed by two more within _THREAD_REACH lines, at most
    THREAD_PAGE_LINES below the story's first line (the first post is the story the model found),
    runs while heads follow each other within _THREAD_REACH lines, and ends with the last post:
    the lines after its head up to one that a rule other than a comments rule names (from the
    post's third line on), at most _THREAD_REACH of them; a related-links line below the story's
    first line ends it. The extent returned runs from the first head or the story's first line,
    whichever comes first, to the last post's end or the story's last line, whichever comes last.

    `story`: the model's story lines, the comment thread cut; `likely`: the lines the model takes
    for story, nothing cut: the posts' words on them are at least THREAD_PAGE_STORY_SHARE of the
    posts' words (a list of teasers under author heads is not a thread), unless the thread
    carries FORUM_CONTROLS post controls among `texts`, the lines (the model learnt that comments
    are not story, and doubts a forum's replies). `thread`: where
    thread_start says a comment thread opens; one that opens at a comments rule's line ('2
    Comments', 'Leave a Reply') is readers' comments under a story, never the page."""
    if thread is not None and hits[thread] == "comments":
        return None
    kept = np.flatnonzero(story)
    heads = np.flatnonzero(np.asarray(head, dtype=bool))
    if not len(kept) or len(heads) < _THREAD_HEADS:
        return None
    start = int(kept[0])
    # a related-links block ends the thread: 'Related topics' under a forum's posts, 'Articles
    # liés' with each teaser's author and date under a story that has a byline
    stop = _related_after(hits, start)
    heads = heads[heads < stop]
    opens = next((int(i) for i in heads if _opens_run(heads, i)), None)
    if opens is None or opens > start + THREAD_PAGE_LINES:
        return None
    last = opens
    for i in heads[heads > opens]:
        if i - last > _THREAD_REACH:
            break
        last = int(i)
    end = last + 1
    while end < stop and end - last <= _THREAD_REACH and not (hits[end] not in ("", "comments")
                                                               and end - last > 2):
        end += 1
    posts = [i for i in range(opens, end) if not head[i] and words[i] >= 4]
    total = sum(words[i] for i in posts)
    if not total:
        return None
    forum = _controls(texts, opens, end) >= FORUM_CONTROLS
    if not forum and sum(words[i] for i in posts if likely[i]) < THREAD_PAGE_STORY_SHARE * total:
        return None
    return min(opens, start), max(end - 1, int(kept[-1]))
