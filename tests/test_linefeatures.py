"""Line features of a text dump: one column per name, the prose span, comment marks, windows."""

from __future__ import annotations

import numpy as np
import pytest

from cleaner.extract import split_text
from cleaner.linefeatures import FEATURES, comment_marks, features, prose_span, rule_hits, sentence_ends, stoplist
from cleaner.record import Block, BlockKind
from cleaner.rules import load_rules

STORY = [
    "The regional council approved a new budget for the harbour district on Tuesday evening, after a debate "
    "that lasted more than four hours and drew residents from all over the town to the packed hall.",
    "Members argued over the cost of repairing the old sea wall, which engineers say could fail in a major "
    "storm, and over how much of the money should come from the national government instead.",
    "What's Next?",
    "The plan now goes to the finance ministry, which has said it will respond before the end of the month.",
]
MENU = ["Home", "World", "Business", "Sport"]
COMMENTS = ["3 Comments", "Jane Doe", "May 5, 2024 at 4:47 pm", "Great piece, thanks for writing it.",
            "Tom Roe", "May 6, 2024 at 9:02 am", "I disagree with most of this."]


def blocks(*parts: list[str]) -> tuple[Block, ...]:
    return tuple(split_text("\n\n".join(line for part in parts for line in part)))


def column(x: np.ndarray, name: str) -> np.ndarray:
    return x[:, FEATURES.index(name)]


def test_one_column_per_name_deterministic_and_finite():
    page = blocks(MENU, STORY, COMMENTS)
    hits = rule_hits(page, load_rules())
    x = features(page, hits, "en")
    assert x.shape == (len(page), len(FEATURES)) and len(set(FEATURES)) == len(FEATURES)
    assert np.isfinite(x).all()
    assert np.array_equal(x, features(page, hits, "en"))
    assert features((), [], "en").shape == (0, len(FEATURES))


def test_prose_span_is_the_story_not_the_menu():
    page = blocks(MENU, STORY, ["Related", "Ferry timetable changes", "Bakery wins award"])
    words = [len(b.text.split()) for b in page]
    span = prose_span(words, [sentence_ends(b.text) for b in page])
    assert span == (4, 7)  # 'What's Next?' inside the story is carried by the paragraphs around it
    assert prose_span([2, 3], [False, False]) is None
    x = features(page, [""] * len(page), "en")
    assert column(x, "in_span").tolist() == [0, 0, 0, 0, 1, 1, 1, 1, 0, 0, 0]
    assert column(x, "before_span")[:4].tolist() == [1, 1, 1, 1]


@pytest.mark.parametrize(("text", "cue"), [
    ("Jane Doe says:", 1), ("Jane on September 12, 2018 at 4:47 pm said:", 1), ("Reply", 1), ("12 comments", 1),
    ("The minister said the plan would cost more than expected.", 0), ("Overview", 0),
])
def test_comment_cues(text: str, cue: int):
    cues, _, _, _ = comment_marks([text], [len(text.split())], [""])
    assert cues == [float(cue)]


def test_a_comment_head_is_an_author_with_a_date():
    texts = COMMENTS
    _cue, dated, name, head = comment_marks(texts, [len(t.split()) for t in texts], [""] * len(texts))
    assert head == [0, 1, 0, 0, 1, 0, 0]
    assert dated == [0, 0, 1, 0, 0, 1, 0] and name[1] == name[4] == 1.0


def test_rule_hits_name_the_category_wherever_the_line_stands():
    page = blocks(["We use cookies to improve your experience."], STORY[:1], ["Leave a comment"])
    assert rule_hits(page, load_rules()) == ["cookie", "", "comments"]


def test_window_means_leave_the_line_itself_out():
    page = blocks(MENU, STORY)
    x = features(page, [""] * len(page), "en")
    words = column(x, "log_words")
    i = 5
    window = [j for j in range(i - 2, i + 3) if j != i]
    assert column(x, "log_words_w2")[i] == pytest.approx(words[window].mean())


def test_scripts_without_spaces_count_each_letter_as_a_word():
    text = "这是一个关于城市预算的长篇新闻报道，议会在周二晚上通过了新的预算方案。"
    x = features((Block(BlockKind.PARAGRAPH, text),), [""], "zh")
    assert column(x, "log_words")[0] == pytest.approx(np.log1p(sum(ch.isalpha() for ch in text)))
    assert column(x, "sentence_end")[0] == 1.0


def test_stop_words_come_from_justext_or_are_neutral():
    assert "the" in stoplist("en") and stoplist("xx") is None
    x = features((Block(BlockKind.PARAGRAPH, "Lorem ipsum dolor"),), [""], "xx")
    assert column(x, "stopword_density")[0] == 0.3 and column(x, "has_stoplist")[0] == 0.0


def test_window_means_are_the_plain_loops_to_the_bit():
    """_window is NumPy over whole arrays; the loop it replaced, one line at a time, is the reference."""
    import random

    from cleaner.linefeatures import _window

    def one_at_a_time(values, width):
        n, total, out = len(values), np.concatenate([[0.0], np.cumsum(values)]), []
        for i in range(n):
            lo, hi = max(0, i - width), min(n, i + width + 1)
            out.append(float(total[hi] - total[lo] - values[i]) / (hi - lo - 1) if hi - lo - 1 else 0.0)
        return out

    rng = random.Random(7)
    for _ in range(500):
        values = [rng.choice((0.0, 1.0, rng.random() * 7)) for _ in range(rng.randint(0, 40))]
        for width in (1, 2, 5, 10):
            assert _window(values, width) == one_at_a_time(values, width)
