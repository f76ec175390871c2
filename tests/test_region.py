"""The story region of a text dump: the line model's verdicts, the extent, the comment thread."""

from __future__ import annotations

import numpy as np
import pytest

from cleaner.extract import split_text
from cleaner.linefeatures import comment_marks, features, rule_hits, thread_heads
from cleaner.region import (
    FORUM_CONTROLS,
    POST_CONTROL,
    UNSURE_LONGEST_WORDS,
    UNSURE_SHARE,
    UNSURE_STORY_P,
    find_story,
    forum_replies,
    half_sure,
    keep_posts,
    keep_replies,
    line_inputs,
    load_text_models,
    score_lines,
    short_items,
    thread_page,
    thread_start,
)
from cleaner.rules import load_rules

STORY = [
    "The regional council approved a new budget for the harbour district on Tuesday evening, after a debate "
    "that lasted more than four hours and drew residents from all over the town to the packed hall.",
    "Members argued over the cost of repairing the old sea wall, which engineers say could fail in a major "
    "storm, and over how much of the money should come from the national government instead.",
    "What's Next?",
    "The plan now goes to the finance ministry, which has said it will respond before the end of the month, "
    "and the council expects the first repairs to start in the spring if the money arrives in time.",
]
MENU = ["Home", "World", "Business", "Sport", "Culture", "Opinion"]
HEAD = ["Council approves harbour budget", "By Jane Doe", "June 4, 2024"]
COMMENTS = ["2 Comments", "Tom Roe", "June 4, 2024 at 4:47 pm",
            "I have lived by the harbour for thirty years and the wall has been crumbling for all of them, so it "
            "is about time the council found the money to repair it properly instead of patching it every winter.",
            "Ann Lee", "June 5, 2024 at 9:02 am",
            "The ministry will never pay for this, mark my words, and the town will end up raising taxes again "
            "to cover the repairs that should have been done a decade ago by the people who now claim credit."]
FOOTER = ["About us", "Contact", "Privacy", "© 2024 Harbour Herald"]


def lines(*parts: list[str]) -> tuple:
    return tuple(split_text("\n\n".join(line for part in parts for line in part)))


def story_mask(blocks, kept: range) -> np.ndarray:
    return np.array([i in kept for i in range(len(blocks))])


def test_a_thread_after_the_story_starts_at_its_marker():
    blocks = lines(HEAD, STORY, COMMENTS, FOOTER)
    texts = [b.text for b in blocks]
    words = [len(t.split()) for t in texts]
    story = story_mask(blocks, range(3, 7))
    assert thread_start(texts, words, rule_hits(blocks, load_rules()), story) == 7


def test_a_comment_count_under_the_headline_is_not_a_thread():
    blocks = lines(HEAD[:1], ["12 Comments"], STORY, FOOTER)
    texts = [b.text for b in blocks]
    story = story_mask(blocks, range(2, 6))
    assert thread_start(texts, [len(t.split()) for t in texts], rule_hits(blocks, load_rules()), story) is None


def test_comment_heads_open_a_thread_without_a_marker():
    blocks = lines(STORY, COMMENTS[1:] + COMMENTS[1:3], FOOTER)
    texts = [b.text for b in blocks]
    story = story_mask(blocks, range(4))
    assert thread_start(texts, [len(t.split()) for t in texts], [""] * len(texts), story) == 4


def test_names_over_decimals_or_months_over_dates_are_no_thread():
    """A ranking (a company, then 'Market share: 12.89%' or a rating '4.85') and an events list
    ('June', then a date) after the story look like comment heads to the line features; they
    open no thread (WCXB dev: three guides had lost their second half to the cut)."""
    ranking = [line for name, share in (("State Farm Group", "12.89"), ("Progressive Group", "6.15"),
                                        ("Berkshire Hathaway Group", "4.37"), ("Allstate", "3.92"))
               for line in (name, f"Market share: {share}%", STORY[0])]
    events = [line for month, day in (("June", 9), ("October", 14), ("January", 6))
              for line in (month, f"Tech Summit: {month} {day}, 2026 | Las Vegas, NV", STORY[1])]
    for tail in (ranking, events):
        blocks = lines(STORY, tail, FOOTER)
        texts = [b.text for b in blocks]
        story = story_mask(blocks, range(len(blocks) - len(FOOTER)))
        assert thread_start(texts, [len(t.split()) for t in texts], [""] * len(texts), story) is None
    # the same names over a comment's date and time still open one
    blocks = lines(STORY, [line for name in ("Tom Roe", "Ann Lee", "Jo Park")
                           for line in (name, "June 4, 2024 at 4:47 pm", STORY[0])], FOOTER)
    texts = [b.text for b in blocks]
    story = story_mask(blocks, range(4))
    assert thread_start(texts, [len(t.split()) for t in texts], [""] * len(texts), story) == 4


def test_the_shipped_model_finds_the_story_between_menu_and_footer():
    blocks = lines(MENU, HEAD, STORY, COMMENTS, FOOTER)
    story = find_story(blocks, load_rules(), load_text_models())
    first = len(MENU) + len(HEAD)
    assert [i for i, s in enumerate(story.story) if s] == list(range(first, first + len(STORY)))
    assert (story.start, story.end) == (first, first + len(STORY) - 1)
    assert story.thread == first + len(STORY)
    assert story.headline == len(MENU)


def test_a_page_that_is_all_story_stays_all_story():
    blocks = lines(STORY)
    story = find_story(blocks, load_rules(), load_text_models())
    assert all(story.story) and story.headline is None


def test_a_page_in_a_language_the_lexical_model_does_not_read_is_judged_by_shape():
    """Korean words are unseen by the lexical model (no Korean training pages): its scores would
    be evidence of nothing, so the line model without lexical columns judges the page."""
    models = load_text_models()
    korean = lines(["홈", "뉴스", "정치"], [
        "시의회는 화요일 저녁 네 시간이 넘는 토론 끝에 항구 지역의 새 예산안을 승인했으며 "
        "많은 주민들이 회의장을 가득 메웠다.",
        "의원들은 큰 폭풍에 무너질 수 있다고 기술자들이 말하는 오래된 방파제의 수리 비용을 두고 논쟁을 벌였다.",
    ], ["회사 소개", "개인정보처리방침"])
    english = lines(MENU, STORY, FOOTER)
    assert not models.lexical.reads("ko") and models.lexical.reads("en")
    judged = find_story(korean, load_rules(), models)
    assert (judged.language, judged.model) == ("ko", models.shape.version)
    x = features(korean, rule_hits(korean, load_rules()), "ko")
    assert np.array_equal(judged.probability, models.shape.probability(x))
    read = find_story(english, load_rules(), models)
    assert read.model == models.lines.version != models.shape.version


def test_a_line_is_story_when_both_line_models_take_it_for_story():
    """With words and without: the lower of the two probabilities, at the line model's threshold."""
    models = load_text_models()
    blocks = lines(MENU, HEAD, STORY, FOOTER)
    x = features(blocks, rule_hits(blocks, load_rules()), "en")
    with_words = models.lines.probability(line_inputs(x, models.lexical.scores([b.text for b in blocks])))
    both = np.minimum(models.shape.probability(x), with_words)
    story = find_story(blocks, load_rules(), models)
    assert np.array_equal(story.probability, both)
    assert story.story == tuple(both >= models.lines.threshold)


POSTS = [
    "Has anyone here worked in a nursery? I am thinking about retraining after twelve years in an office and "
    "would love to hear what the job is really like, the hours, the pay and the training.",
    "I did it for five years and loved the children, but the pay was poor and the paperwork followed me home "
    "every evening, so in the end I left for a job in a shop with fixed hours.",
    "My sister runs a preschool and says the first year is the hardest, because the qualifications take "
    "time and the ratios are strict, but she would never go back to her old career in banking.",
]
FORUM = ["Would you work in childcare?", "Sharon M", "28/11/2025 at 7:07 pm", POSTS[0], "Reply",
         "Judith C", "28/11/2025 at 7:16 pm", POSTS[1], "Reply",
         "Otterlie B", "28/11/2025 at 7:22 pm", POSTS[2], "Reply"]


def _page_parts(blocks):
    texts = [b.text for b in blocks]
    words = [len(t.split()) for t in texts]
    hits = rule_hits(blocks, load_rules())
    head = thread_heads(texts, words, comment_marks(texts, words, hits)[3])
    return texts, words, hits, head


def test_a_thread_that_is_the_page_is_its_story():
    """A forum's thread: the model finds the first post (the question); every post is the story,
    from the first head to the last post, not the question alone with the rest cut as comments."""
    blocks = lines(MENU, FORUM, FOOTER)
    texts, words, hits, head = _page_parts(blocks)
    first_post = len(MENU) + 3
    story = story_mask(blocks, range(first_post, first_post + 1))
    likely = np.array([t in POSTS for t in texts])
    first, last = thread_page(texts, words, hits, story, likely, head)
    assert first == len(MENU) + 1  # the first post's head
    assert all(first <= texts.index(post) <= last for post in POSTS)
    assert last < texts.index(FOOTER[-1])


def test_comments_under_a_story_are_not_a_thread_page():
    """Readers' comments after a story whose thread opens at a comments marker ('2 Comments'),
    and teasers under author-and-date heads the model does not take for story, stay outside."""
    comments = COMMENTS + ["Jo Park", "June 5, 2024 at 11:15 am", COMMENTS[3]]
    blocks = lines(HEAD, STORY[:2], comments, FOOTER)
    texts, words, hits, head = _page_parts(blocks)
    story = story_mask(blocks, range(3, 5))
    thread = thread_start(texts, words, hits, story, head)
    assert thread == 5 and hits[thread] == "comments"
    assert thread_page(texts, words, hits, story, story | np.array([t in comments for t in texts]), head,
                       thread) is None
    # teasers: each a headline, an author and a date, an excerpt the model does not keep (the
    # byline over the story is a head too: its two lines are the only posts it takes for story)
    teasers = [line for title in ("Salvation Army hampers", "Clerk recalled", "Festival launched")
               for line in (title, "Webmaster", "December 19, 2025",
                            f"THE {title.upper()} story goes on in a paragraph of about forty words or so, "
                            "as a news site's excerpt of another story does under its headline, its author and "
                            "its date, so that the reader can follow it on the next page of the site.")]
    blocks = lines(HEAD, STORY[:2], teasers, FOOTER)
    texts, words, hits, head = _page_parts(blocks)
    story = story_mask(blocks, range(3, 5))
    assert sum(head) >= 3
    assert thread_page(texts, words, hits, story, story, head) is None
    # a story under its byline, then related teasers each under its author and date: the
    # related-links line ends any thread before the teasers' heads
    teasers = (("Tom Roe", "Schools protest"), ("Ann Lee", "Rail strike"), ("Jo Park", "Bus fares rise"))
    related = ["Related articles"] + [line for name, title in teasers
                                      for line in (title, f"By {name}", "January 29, 2020", COMMENTS[3])]
    blocks = lines(HEAD, STORY, related, FOOTER)
    texts, words, hits, head = _page_parts(blocks)
    story = story_mask(blocks, range(3, 7))
    assert hits[7] == "related" and sum(head) >= 3
    assert thread_page(texts, words, hits, story, np.array([len(t.split()) >= 4 for t in texts]), head) is None


def test_a_thread_pages_story_is_its_posts_heads_and_dates_not_its_widgets():
    blocks = lines(MENU, FORUM, FOOTER)
    texts, _, _, head = _page_parts(blocks)
    probability = np.array([0.9 if t in POSTS else 0.02 for t in texts])
    story = probability >= 0.5
    keep_posts(story, probability, head, (len(MENU) + 1, len(MENU) + len(FORUM) - 1))
    kept = [t for t, s in zip(texts, story) if s]
    assert kept == [line for line in FORUM[1:] if line != "Reply"]


@pytest.mark.parametrize(("line", "control"), [
    ("Quote", True), ("+ Quote", True), ("Report", True), ("Reply", True), ("Joined: May 2019", True),
    ("2.8k posts", True), ("Posts: 1,204", True), ("8.2k Reputation", True), ("Thread starter", True),
    ("Original Poster", True), ("#12", True), ("Post #3", True), ("14 replies", True), ("Members", True),
    # a story's lines that start or end like a control
    ("Quote of the day: be kind to one another.", False), ("Members of parliament voted on Tuesday", False),
    ("Reply to the consultation by May 5", False), ("He posts every day", False), ("#1 in the charts", False),
    ("Report finds rising sea levels", False), ("Joined by her sister, she walked on", False),
    ("Reputation matters more than money", False), ("Joined Mar 2015", True), ("Reputation: 512", True),
])
def test_post_controls(line, control):
    assert bool(POST_CONTROL.match(line)) is control


def _replies(n: int, controls: list[str]) -> list[str]:
    """n replies, each a member's name and facts, the post, then its controls."""
    return [line for i in range(n)
            for line in (f"Member{i}", "Joined: May 2019", f"{i + 2}.1k posts", POSTS[1 + i % 2], *controls)]


def test_a_forums_replies_under_the_first_post_are_its_story():
    """A forum's first post, its 'Reply' button, then the replies, each with the member's facts and
    the post's controls: the replies are the story, not readers' comments cut from the marker on."""
    question = [POSTS[0], "My children are at school all day now, so the hours would suit us, but I worry that "
                "the work is more tiring than it looks and that I am too old to start again from the bottom."]
    blocks = lines(MENU, ["Would you work in childcare?", *question, "Reply"], _replies(6, ["Quote", "Report"]),
                   FOOTER)
    texts, words, hits, _ = _page_parts(blocks)
    marker = texts.index("Reply")
    assert hits[marker] == "comments"
    story = story_mask(blocks, range(len(MENU) + 1, len(MENU) + 3))  # the model finds the first post only
    assert thread_start(texts, words, hits, story) == marker
    extent = forum_replies(texts, words, hits, story, marker)
    assert extent == (len(MENU) + 1, len(texts) - 1)
    keep_replies(story, texts, words, extent)
    kept = [t for t, s in zip(texts, story) if s]
    assert kept == question + [POSTS[1 + i % 2] for i in range(6)]  # no names, facts or controls


def test_comments_under_a_story_are_not_a_forums_replies():
    """Readers' comments under a story: few post controls, or fewer words than the story above."""
    story_lines = STORY * 3
    # a long story, then comments as long as a forum's, with their controls: shorter than 1.5 stories
    blocks = lines(HEAD, story_lines, ["Reply"], _replies(6, ["Quote", "Report"]), FOOTER)
    texts, words, hits, _ = _page_parts(blocks)
    story = story_mask(blocks, range(len(HEAD), len(HEAD) + len(story_lines)))
    marker = texts.index("Reply")
    assert forum_replies(texts, words, hits, story, marker) is None
    # a short story under long comments without a forum's controls
    comments = [line for i in range(6) for line in (f"Reader {i}", "June 5, 2024 at 9:02 am", POSTS[1 + i % 2])]
    blocks = lines(HEAD, STORY[:2], ["6 Comments"], comments, FOOTER)
    texts, words, hits, _ = _page_parts(blocks)
    story = story_mask(blocks, range(len(HEAD), len(HEAD) + 2))
    marker = texts.index("6 Comments")
    assert hits[marker] == "comments"
    assert sum(words[marker:]) > 1.5 * sum(words[len(HEAD):marker])
    assert forum_replies(texts, words, hits, story, marker) is None
    # no thread, or one that opens at comment heads rather than at a comments rule's line
    assert forum_replies(texts, words, hits, story, None) is None
    assert forum_replies(texts, words, hits, story, marker + 1) is None


def test_a_thread_with_a_forums_controls_is_the_page_though_the_model_doubts_its_posts():
    """The model takes few of a forum's posts for story (it learnt that comments are not); a
    thread that carries FORUM_CONTROLS post controls is a forum's all the same."""
    def page(controls: tuple[str, ...]):
        forum = [line for i, post in enumerate(POSTS * 2) for line in (
            f"Member {chr(65 + i)}", f"28/11/2025 at 7:{10 + i} pm", post, *controls)]
        blocks = lines(MENU, forum, FOOTER)
        texts, words, hits, head = _page_parts(blocks)
        story = story_mask(blocks, range(len(MENU) + 2, len(MENU) + 3))
        assert sum(head) >= 3
        return forum, texts, thread_page(texts, words, hits, story, story, head)

    # without controls, by the model's verdicts alone: its first post only, no thread
    assert page(())[2] is None
    forum, texts, posts = page(("Quote", "Report"))
    assert sum(t in ("Quote", "Report") for t in texts) >= FORUM_CONTROLS
    assert posts is not None and posts[0] == len(MENU) and posts[1] >= texts.index(forum[-3])


# A listing's shown text as the line model reads it: P(story) and words of each line. The menu
# (P 0.05), then teasers: a headline the model half believes, a summary it takes for story.
TEASERS_P = np.array([0.05, 0.05, 0.3, 0.55, 0.3, 0.5, 0.25, 0.6, 0.05])
TEASERS_WORDS = [1, 1, 8, 30, 9, 25, 7, 35, 2]
THRESHOLD = 0.4


def test_a_page_of_short_items_that_the_model_doubts_is_not_one_story():
    likely = TEASERS_P >= THRESHOLD
    assert short_items(TEASERS_P, likely, TEASERS_WORDS)


def test_a_sure_story_or_a_long_paragraph_is_one_story():
    sure = np.where(TEASERS_P >= THRESHOLD, 0.9, TEASERS_P)
    assert not short_items(sure, sure >= THRESHOLD, TEASERS_WORDS)
    long_paragraph = list(TEASERS_WORDS)
    long_paragraph[3] = UNSURE_LONGEST_WORDS
    assert not short_items(TEASERS_P, TEASERS_P >= THRESHOLD, long_paragraph)
    assert not short_items(TEASERS_P, np.zeros(len(TEASERS_P), dtype=bool), TEASERS_WORDS)


def test_the_models_doubt_is_weighed_by_words():
    """Four doubted two-word lines and one sure 60-word paragraph: the story's words are sure,
    though most of its lines are not."""
    probability = np.array([0.45, 0.45, 0.45, 0.45, 0.95])
    words = [2, 2, 2, 2, 60]
    assert probability.mean() < UNSURE_STORY_P
    assert not short_items(probability, probability >= THRESHOLD, words)


def test_half_sure_lines_below_the_first_sure_line_are_items():
    probability = np.array([0.3, 0.05, 0.5, 0.3, THRESHOLD * UNSURE_SHARE, THRESHOLD * UNSURE_SHARE - 0.01, 0.6])
    assert half_sure(probability, probability >= THRESHOLD, THRESHOLD).tolist() == [
        False, False, True, True, True, False, True]


def test_find_story_keeps_a_doubted_pages_items_and_a_sure_pages_cut(monkeypatch):
    blocks = lines(MENU[:2], [f"Teaser line {i}" for i in range(len(TEASERS_P) - 2)])
    assert len(blocks) == len(TEASERS_P)
    models = load_text_models()
    threshold = models.line_model("en").threshold

    def scored(probability):
        def score(blocks, rules, models):
            hits, language, x, _, _ = score_lines(blocks, rules, models)
            return hits, language, x, probability, probability
        monkeypatch.setattr("cleaner.region.score_lines", score)

    def story_of(probability):
        scored(probability)
        return find_story(blocks, load_rules(), models).story

    # the listing's P, scaled to the shipped threshold: its items from the first sure line on
    # are kept (the lines are all short)
    doubted = TEASERS_P * threshold / THRESHOLD
    assert list(story_of(doubted)) == [False, False, False, True, True, True, True, True, False]
    sure = np.where(doubted >= threshold, 0.95, doubted)
    assert list(story_of(sure)) == [False, False, False, True, False, True, False, True, False]
