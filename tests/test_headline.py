"""The headline of a text dump: which lines are candidates, which one the scores choose."""

from __future__ import annotations

import numpy as np

from cleaner.extract import split_text
from cleaner.headline import BEFORE, FEATURES, FIRST_AFTER, best_candidate, candidates, find_headline
from cleaner.linefeatures import features, page_language, rule_hits
from cleaner.rules import load_rules

PROSE = ("The regional council approved a new budget for the harbour district on Tuesday evening, after a debate "
         "that lasted more than four hours and drew residents from all over the town to the packed hall.")


def lines(*texts: str) -> tuple:
    return tuple(split_text("\n\n".join(texts)))


def test_a_crumb_glued_to_the_headline_gives_way_to_the_headline_on_the_next_line():
    blocks = lines("Home Cybersecurity Best Practices", "Cybersecurity Best Practices", PROSE)
    assert best_candidate(blocks, [0, 1], np.array([0.9, 0.6]), 0.5) == 1


def test_the_chosen_line_stays_when_no_line_next_to_it_is_its_end():
    # a line that starts it ('Title | Site' chosen over 'Title'): the headline model's to weigh
    blocks = lines("Real Estate Investing for Beginners - Real Estate 101", "Real Estate Investing for Beginners",
                   PROSE)
    assert best_candidate(blocks, [0, 1], np.array([0.9, 0.6]), 0.5) == 0
    # too short a share of it, one word, or too far away
    for end in ("Sales Guide", "Guide"):
        blocks = lines("Guides Getting to Yes: The Anti-Sales Guide", end, PROSE)
        assert best_candidate(blocks, [0, 1], np.array([0.9, 0.6]), 0.5) == 0
    blocks = lines("Home Cybersecurity Best Practices", "Menu", "Search", "Cybersecurity Best Practices", PROSE)
    assert best_candidate(blocks, [0, 3], np.array([0.9, 0.6]), 0.5) == 0


def test_no_headline_below_the_threshold():
    blocks = lines("Council approves harbour budget", PROSE)
    assert best_candidate(blocks, [0], np.array([0.2]), 0.5) is None
    assert best_candidate(blocks, [], np.array([]), 0.5) is None


class _Scores:
    """A headline model that scores the candidates it is given in order (the first highest)."""

    threshold = 0.5

    def probability(self, rows: np.ndarray) -> np.ndarray:
        return np.linspace(0.9, 0.6, len(rows))


def test_a_line_a_rule_names_as_chrome_is_never_the_headline():
    blocks = lines("We Care About Your Privacy", "Council approves harbour budget", PROSE, PROSE)
    hits = rule_hits(blocks, load_rules())
    assert hits[:2] == ["cookie", ""]
    x = features(blocks, hits, page_language(blocks))
    probability = np.array([0.0, 0.0, 1.0, 1.0])
    assert find_headline(blocks, x, probability, 0.5, _Scores()) == 0  # the model alone takes the dialog's heading
    assert find_headline(blocks, x, probability, 0.5, _Scores(), hits) == 1


def test_the_lines_above_the_first_story_line_are_candidates_however_far_below_the_densest_run_starts():
    menu = [f"Menu item {n}" for n in range(80)]
    blocks = lines("Top Ten Harbour Walks", PROSE, *menu, PROSE, PROSE, PROSE)
    x = features(blocks, rule_hits(blocks, load_rules()), page_language(blocks))
    probability = np.array([1.0 if b.text == PROSE else 0.0 for b in blocks])
    found = dict(candidates(blocks, x, probability, 0.5))
    anchor = len(blocks) - 3  # the densest run of story lines
    assert 0 in found  # just above the first story line, 80 lines above the densest run
    assert anchor - 1 in found and anchor - BEFORE in found
    assert not set(range(1 + FIRST_AFTER, anchor - BEFORE)) & set(found)  # near neither
    assert all(len(row) == len(FEATURES) for row in found.values())
